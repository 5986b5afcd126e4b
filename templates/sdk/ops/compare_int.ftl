  {
    const quench::Bcast g = ${s.op.bcast};
    quench::${s.kernel}(${s.op.opcode}, ${s.op.a}, ${s.op.b}, g, ${s.op.shiftA}, ${s.op.shiftB}, ${s.y});
  }
