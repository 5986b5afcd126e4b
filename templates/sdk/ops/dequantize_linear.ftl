  quench::${s.kernel}<${s.tx}>(${s.x}, ${s.size}, ${s.op.scale}, ${s.op.zeroPoint}, ${s.op.channels}, ${s.op.inner}u, ${s.y});
