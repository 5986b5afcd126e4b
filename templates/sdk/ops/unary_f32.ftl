  quench::${s.kernel}(${s.op.opcode}, ${s.op.p0}, ${s.op.p1}, ${s.x}, ${s.size}, ${s.y});
