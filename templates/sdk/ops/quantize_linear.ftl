  quench::${s.kernel}<${s.ty}>(${s.x}, ${s.size}, ${s.op.scale}, ${s.op.zeroPoint}, ${s.op.channels}, ${s.op.inner}u, ${s.y});
