  {
    static constexpr quench::Requant rq{${s.op.weights.rq.shifts}, ${s.op.weights.rq.nshifts}, ${s.op.weights.rq.lo}, ${s.op.weights.rq.hi}};
    quench::${s.kernel}${s.op.targs}(${s.x}, ${s.op.rows}, ${s.op.k}, ${s.op.weights.w}, ${s.op.nOut}, ${s.op.weights.bias}, rq, ${s.y}${s.scratchArg});
  }
