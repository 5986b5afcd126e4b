  quench::${s.kernel}(${s.x}, ${s.op.outer}, ${s.op.dim}, ${s.op.inner}, ${s.op.k}, ${s.op.largest}, ${s.op.values}, ${s.op.indices});
