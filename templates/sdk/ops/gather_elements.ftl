  quench::${s.kernel}(${s.x}, ${s.op.idx}, ${s.op.rank}, ${s.op.dims}, ${s.op.inStrides}, ${s.op.axis}, ${s.op.dim}, ${s.size}, ${s.y});
