  {
    static constexpr quench::PoolGeom g = ${s.op.geom};
    quench::${s.kernel}(${s.x}, g, ${s.op.max}, ${s.y});
  }
