  quench::${s.kernel}(${s.x}, ${s.op.b}, ${s.op.c}, ${s.op.m}, ${s.op.n}, ${s.op.k}, ${s.op.transA}, ${s.op.transB}, ${s.op.alpha}, ${s.op.beta}, ${s.op.cRs}, ${s.op.cCs}, ${s.y});
  quench::activation_f32(${s.op.activation}, ${s.y}, ${s.size});
