  quench::${s.kernel}(${s.x}, ${s.bytes}, ${s.y});
