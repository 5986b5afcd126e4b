  quench::${s.kernel}(${s.x}, ${s.b}, ${s.batch}, ${s.m}, ${s.n}, ${s.k}, ${s.b_batched}, ${s.y});
