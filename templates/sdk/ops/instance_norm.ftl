  quench::${s.kernel}(${s.x}, ${s.op.nc}, ${s.op.c}, ${s.op.inner}, ${s.op.scale}, ${s.op.bias}, ${s.op.eps}, ${s.y});
