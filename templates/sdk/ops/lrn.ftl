  quench::${s.kernel}(${s.x}, ${s.op.n}, ${s.op.c}, ${s.op.inner}, ${s.op.size}, ${s.op.alpha}, ${s.op.beta}, ${s.op.bias}, ${s.y});
