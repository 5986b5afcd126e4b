  {
    static constexpr quench::RnnGeom g = ${s.op.geom};
    static constexpr quench::RnnAct acts[] = ${s.op.acts};
    quench::${s.kernel}<${s.op.tw}>(${s.x}, ${s.op.w}, ${s.op.wScale}, ${s.op.r}, ${s.op.rScale}, ${s.op.b}, ${s.op.lens}, ${s.op.h0}, ${s.op.c0}, ${s.op.p}, g, acts, ${s.y}, ${s.op.yh}, ${s.op.yc}, ${s.scratch});
  }
