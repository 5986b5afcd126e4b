  quench::${s.kernel}(${s.x}, ${s.op.idx}, ${s.op.count}, ${s.op.outer}, ${s.op.dim}, ${s.op.inner}, ${s.y});
