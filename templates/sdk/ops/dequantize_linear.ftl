  quench::dequantize_linear<${s.tx}>(${s.x}, ${s.size}, ${s.scale}, ${s.zero_point}, ${s.y});
