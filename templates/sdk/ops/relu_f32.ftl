  quench::${s.kernel}(${s.x}, ${s.size}, ${s.y});
