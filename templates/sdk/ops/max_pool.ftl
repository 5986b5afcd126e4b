  {
    static constexpr quench::PoolGeom g = ${s.op.geom};
    quench::${s.kernel}(${s.x}, g, ${s.y}, ${s.scratch});
  }
