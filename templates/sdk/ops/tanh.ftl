  quench::tanh_f32(${s.x}, ${s.size}, ${s.y});
