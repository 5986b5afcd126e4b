  quench::${s.kernel}(${s.x}, ${s.op.outer}, ${s.op.len}, ${s.op.inner}, ${s.op.low}, ${s.op.high}, ${s.op.outFrac}, ${s.op.lo}, ${s.op.hi}, ${s.y}, ${s.scratch});
