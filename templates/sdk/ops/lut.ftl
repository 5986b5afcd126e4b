  quench::${s.kernel}(${s.x}, ${s.size}, ${s.table}, ${s.first}, ${s.y});
