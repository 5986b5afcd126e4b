  quench::${s.kernel}(${s.x}, ${s.op.outer}, ${s.op.len}, ${s.op.inner}, ${s.op.mode}, ${s.y}, ${s.scratch});
