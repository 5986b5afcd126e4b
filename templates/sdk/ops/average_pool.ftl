  {
    static constexpr quench::PoolGeom g = ${s.op.geom};
    quench::${s.kernel}(${s.x}, g, ${s.op.shiftLeft}, ${s.op.lo}, ${s.op.hi}, ${s.y});
  }
