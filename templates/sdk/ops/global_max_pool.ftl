  quench::${s.kernel}(${s.x}, ${s.op.nc}, ${s.op.inner}, ${s.y});
