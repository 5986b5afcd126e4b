  {
    static constexpr quench::ConvTGeom g = ${s.op.geom};
    quench::${s.kernel}(${s.x}, ${s.op.w}, ${s.op.bias}, g, ${s.y});
    quench::activation_f32(${s.op.activation}, ${s.y}, ${s.size});
  }
