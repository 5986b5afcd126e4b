  {
    constexpr quench::PoolGeom g = ${s.geom};
    quench::${s.kernel}(${s.x}, g, ${s.shift_left}, ${s.lo}, ${s.hi}, ${s.y});
  }
