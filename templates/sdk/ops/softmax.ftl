  {
    float scratch[${s.scratch}];
    quench::softmax_f32(${s.x}, ${s.outer}, ${s.len}, ${s.inner}, ${s.y}, scratch);
  }
