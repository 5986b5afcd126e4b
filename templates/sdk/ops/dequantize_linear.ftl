  quench::${s.kernel}<${s.tx}>(${s.x}, ${s.size}, ${s.scale}, ${s.zero_point}, ${s.y});
