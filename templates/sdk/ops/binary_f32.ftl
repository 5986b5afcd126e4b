  {
    const quench::Bcast g = ${s.bcast};
    quench::${s.kernel}(${s.opcode}, ${s.x}, ${s.b}, g, ${s.y});
  }
