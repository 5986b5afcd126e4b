  {
    const quench::Requant rq{${s.shifts}, ${s.nshifts}, ${s.lo}, ${s.hi}};
    quench::${s.kernel}${s.targs}(${s.x}, ${s.rows}, ${s.k}, ${s.w}, ${s.n_out}, ${s.bias}, rq, ${s.y}${s.scratch_arg});
  }
