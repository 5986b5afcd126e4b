  quench::${s.kernel}(${s.x}, ${s.size}, ${s.op.rows}, ${s.op.cols}, ${s.op.k}, ${s.op.upper}, ${s.y});
