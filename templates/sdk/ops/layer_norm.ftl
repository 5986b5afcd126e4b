  quench::${s.kernel}(${s.x}, ${s.op.outer}, ${s.op.inner}, ${s.op.scale}, ${s.op.bias}, ${s.op.eps}, ${s.y}, ${s.op.mean}, ${s.op.inv});
