  quench::${s.kernel}(${s.x}, ${s.op.size}, ${s.op.rank}, ${s.op.dims}, ${s.op.kept}, ${s.op.groups}, ${s.y}, ${s.scratch});
