  {
    const quench::PoolGeom g = ${s.geom};
    quench::avg_pool_int(${s.x}, g, ${s.shift_left}, ${s.lo}, ${s.hi}, ${s.y});
  }
