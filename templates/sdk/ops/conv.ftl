  {
    constexpr quench::ConvGeom g = ${s.geom};
    const quench::Requant rq{${s.shifts}, ${s.nshifts}, ${s.lo}, ${s.hi}};
    quench::${s.kernel}${s.targs}(${s.x}, ${s.w}, ${s.bias}, g, rq, ${s.y}, ${s.scratch});
  }
