  {
    static constexpr quench::ConvTGeom g = ${s.op.geom};
    static constexpr quench::Requant rq{${s.op.rq.shifts}, ${s.op.rq.nshifts}, ${s.op.rq.lo}, ${s.op.rq.hi}};
    quench::${s.kernel}<${s.acc}>(${s.x}, ${s.op.w}, ${s.op.bias}, g, rq, ${s.y}, ${s.scratch});
  }
