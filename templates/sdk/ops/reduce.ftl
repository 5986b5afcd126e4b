  quench::${s.kernel}(${s.x}, ${s.op.rank}, ${s.op.inDims}, ${s.op.kept}, ${s.op.inSize}, ${s.op.outSize}, ${s.op.op}, ${s.y}, ${s.scratch});
