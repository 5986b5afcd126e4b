  quench::${s.kernel}(${s.x}, ${s.rank}, ${s.in_dims}, ${s.kept}, ${s.in_size}, ${s.out_size}, ${s.mean}, ${s.y}, ${s.scratch});
