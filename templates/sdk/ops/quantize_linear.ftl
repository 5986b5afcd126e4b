  quench::${s.kernel}<${s.ty}>(${s.x}, ${s.size}, ${s.scale}, ${s.zero_point}, ${s.lo}, ${s.hi}, ${s.y});
