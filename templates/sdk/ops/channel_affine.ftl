  {
    const quench::Requant rq{${s.op.shifts}, ${s.op.nshifts}, ${s.op.lo}, ${s.op.hi}};
    quench::${s.kernel}<${s.acc}>(${s.x}, ${s.op.n}, ${s.op.c}, ${s.op.inner}, ${s.op.w}, ${s.op.bias}, rq, ${s.y});
  }
