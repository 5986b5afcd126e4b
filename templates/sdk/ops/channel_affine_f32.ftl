  quench::${s.kernel}(${s.x}, ${s.op.outer}, ${s.op.c}, ${s.op.inner}, ${s.op.scale}, ${s.op.bias}, ${s.y});
  quench::activation_f32(${s.op.activation}, ${s.y}, ${s.size});
