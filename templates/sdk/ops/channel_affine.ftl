  {
    static constexpr quench::Requant rq{${s.op.weights.rq.shifts}, ${s.op.weights.rq.nshifts}, ${s.op.weights.rq.lo}, ${s.op.weights.rq.hi}};
    quench::${s.kernel}<${s.acc}>(${s.x}, ${s.op.n}, ${s.op.c}, ${s.op.inner}, ${s.op.weights.w}, ${s.op.weights.bias}, rq, ${s.y});
  }
