  quench::${s.kernel}(${s.x}, ${s.size}, ${s.op.table}, ${s.op.first}, ${s.y});
