  quench::${s.kernel}(${s.x}, ${s.op.rank}, ${s.op.inDims}, ${s.op.kept}, ${s.op.inSize}, ${s.op.outSize}, ${s.op.op}, ${s.op.shiftLeft}, ${s.op.lo}, ${s.op.hi}, ${s.y}, ${s.scratch});
