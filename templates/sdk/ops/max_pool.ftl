  {
    constexpr quench::PoolGeom g = ${s.geom};
    quench::${s.kernel}(${s.x}, g, ${s.y}, ${s.scratch});
  }
