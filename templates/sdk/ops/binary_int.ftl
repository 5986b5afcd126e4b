  {
    const quench::Bcast g = ${s.op.bcast};
    static constexpr quench::Requant rq{${s.op.shifts}, 1, ${s.op.lo}, ${s.op.hi}};
    quench::${s.kernel}<${s.acc}>(${s.op.opcode}, ${s.op.a}, ${s.op.b}, g, ${s.op.shiftA}, ${s.op.shiftB}, rq, ${s.y});
  }
