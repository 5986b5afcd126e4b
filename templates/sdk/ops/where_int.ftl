  {
    const quench::Bcast gx = ${s.op.gx};
    const quench::Bcast gz = ${s.op.gz};
    quench::${s.kernel}(${s.op.c}, ${s.op.x}, ${s.op.z}, gx, gz, ${s.op.shiftX}, ${s.op.shiftZ}, ${s.op.lo}, ${s.op.hi}, ${s.y});
  }
