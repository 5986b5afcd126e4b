  {
    constexpr quench::ConvGeom g = ${s.op.geom};
    const quench::Requant rq{${s.op.shifts}, ${s.op.nshifts}, ${s.op.lo}, ${s.op.hi}};
    quench::${s.kernel}${s.op.targs}(${s.x}, ${s.op.w}, ${s.op.bias}, g, rq, ${s.y}, ${s.scratch});
  }
