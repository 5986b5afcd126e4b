  quench::${s.kernel}(${s.x}, ${s.outer}, ${s.len}, ${s.inner}, ${s.y}, ${s.scratch});
