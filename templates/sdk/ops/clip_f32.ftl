  quench::${s.kernel}(${s.x}, ${s.size}, ${s.op.lo}, ${s.op.hi}, ${s.y});
