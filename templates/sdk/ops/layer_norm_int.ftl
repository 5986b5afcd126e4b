  {
    static constexpr quench::Requant rq{${s.op.rq.shifts}, ${s.op.rq.nshifts}, ${s.op.rq.lo}, ${s.op.rq.hi}};
    quench::${s.kernel}(${s.x}, ${s.op.outer}, ${s.op.inner}, ${s.op.gamma}, ${s.op.beta}, ${s.op.eps}, rq, ${s.y});
  }
