  quench::clamp_int(${s.x}, ${s.size}, ${s.lo}, ${s.hi}, ${s.y});
