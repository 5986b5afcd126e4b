  {
    const quench::Bcast g = ${s.bcast};
    quench::binary_f32(${s.opcode}, ${s.x}, ${s.b}, g, ${s.y});
  }
