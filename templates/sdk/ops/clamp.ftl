  quench::${s.kernel}(${s.x}, ${s.size}, ${s.lo}, ${s.hi}, ${s.y});
