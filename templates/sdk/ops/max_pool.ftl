  {
    const quench::PoolGeom g = ${s.geom};
    quench::max_pool(${s.x}, g, ${s.y});
  }
