  quench::${s.kernel}(${s.x}, ${s.op.b}, ${s.op.batch}, ${s.op.m}, ${s.op.n}, ${s.op.k}, ${s.op.bBatched}, ${s.y});
