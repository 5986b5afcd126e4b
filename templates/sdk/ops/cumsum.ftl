  quench::${s.kernel}(${s.x}, ${s.op.outer}, ${s.op.len}, ${s.op.inner}, ${s.op.exclusive}, ${s.op.reverse}, ${s.y});
