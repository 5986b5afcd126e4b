  quench::${s.kernel}(${s.x}, ${s.op.rows}, ${s.op.k}, ${s.op.w}, ${s.op.nOut}, ${s.op.bias}, ${s.y});
  quench::activation_f32(${s.op.activation}, ${s.y}, ${s.size});
