  {
    const quench::Requant rq{${s.op.shifts}, ${s.op.nshifts}, ${s.op.lo}, ${s.op.hi}};
    quench::${s.kernel}${s.op.targs}(${s.x}, ${s.op.rows}, ${s.op.k}, ${s.op.w}, ${s.op.nOut}, ${s.op.bias}, rq, ${s.y}${s.scratchArg});
  }
