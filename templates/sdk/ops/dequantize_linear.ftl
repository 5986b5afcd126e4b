  quench::${s.kernel}<${s.tx}>(${s.x}, ${s.size}, ${s.op.scale}, ${s.op.zeroPoint}, ${s.y});
