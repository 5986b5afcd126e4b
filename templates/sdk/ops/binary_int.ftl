  {
    const quench::Bcast g = ${s.bcast};
    const quench::Requant rq{${s.shifts}, 1, ${s.lo}, ${s.hi}};
    quench::${s.kernel}<${s.acc}>(${s.opcode}, ${s.x}, ${s.b}, g, ${s.shift_a}, ${s.shift_b}, rq, ${s.y});
  }
