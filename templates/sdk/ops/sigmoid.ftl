  quench::sigmoid_f32(${s.x}, ${s.size}, ${s.y});
