  {
    static constexpr quench::Requant rq{${s.op.rq.shifts}, ${s.op.rq.nshifts}, ${s.op.rq.lo}, ${s.op.rq.hi}};
    quench::${s.kernel}<${s.acc}>(${s.x}, ${s.op.b}, ${s.op.batch}, ${s.op.m}, ${s.op.n}, ${s.op.k}, ${s.op.bBatched}, rq, ${s.y});
  }
