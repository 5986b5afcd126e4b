  {
    static constexpr quench::PoolNGeom g = ${s.op.geom};
    quench::${s.kernel}(${s.x}, g, ${s.y}, ${s.op.indices});
  }
