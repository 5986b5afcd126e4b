  quench::${s.kernel}(${s.x}, ${s.size}, ${s.op.toBool}, ${s.y});
