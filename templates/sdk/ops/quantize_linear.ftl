  quench::${s.kernel}<${s.ty}>(${s.x}, ${s.size}, ${s.op.scale}, ${s.op.zeroPoint}, ${s.op.lo}, ${s.op.hi}, ${s.y});
