  quench::${s.kernel}(${s.x}, ${s.op.nc}, ${s.op.inner}, ${s.op.shiftLeft}, ${s.op.lo}, ${s.op.hi}, ${s.y});
