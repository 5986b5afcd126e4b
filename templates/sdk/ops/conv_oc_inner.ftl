  {
    const quench::ConvGeom g = ${s.geom};
    const quench::Requant rq{${s.shifts}, ${s.nshifts}, ${s.lo}, ${s.hi}};
    quench::conv2d_oc_inner<${s.acc}, ${s.tx}, ${s.ty}, ${s.max_m}>(${s.x}, ${s.w}, ${s.bias}, g, rq, ${s.y});
  }
