  quench::layer_norm_f32(${s.x}, ${s.outer}, ${s.inner}, ${s.scale}, ${s.bias}, ${s.eps}, ${s.y});
