  {
    const quench::Bcast g = ${s.op.bcast};
    quench::${s.kernel}(${s.op.opcode}, ${s.op.flag}, ${s.op.a}, ${s.op.b}, g, ${s.y});
  }
