  quench::${s.kernel}(${s.x}, ${s.op.outer}, ${s.op.len}, ${s.op.inner}, ${s.op.max}, ${s.op.selectLast}, ${s.y});
