  quench::${s.kernel}(${s.op.opcode}, ${s.op.pos}, ${s.op.neg}, ${s.x}, ${s.size}, ${s.y});
