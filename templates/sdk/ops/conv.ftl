  {
    static constexpr quench::ConvGeom g = ${s.op.geom};
    static constexpr quench::Requant rq{${s.op.weights.rq.shifts}, ${s.op.weights.rq.nshifts}, ${s.op.weights.rq.lo}, ${s.op.weights.rq.hi}};
    quench::${s.kernel}${s.op.targs}(${s.x}, ${s.op.weights.w}, ${s.op.weights.bias}, g, rq, ${s.y}, ${s.scratch});
  }
