  {
    double acc[${s.out_size}];
    quench::reduce_f32(${s.x}, ${s.rank}, ${s.in_dims}, ${s.kept}, ${s.in_size}, ${s.out_size}, ${s.mean}, acc, ${s.y});
  }
