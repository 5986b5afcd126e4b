  {
    const quench::Requant rq{${s.shifts}, ${s.nshifts}, ${s.lo}, ${s.hi}};
    quench::${s.kernel}<${s.acc}>(${s.x}, ${s.n}, ${s.c}, ${s.inner}, ${s.w}, ${s.bias}, rq, ${s.y});
  }
