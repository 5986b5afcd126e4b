  {
    const quench::ConvGeom g = ${s.geom};
    const quench::Requant rq{${s.shifts}, ${s.nshifts}, ${s.lo}, ${s.hi}};
    quench::conv2d<${s.acc}>(${s.x}, ${s.w}, ${s.bias}, g, rq, ${s.y});
  }
