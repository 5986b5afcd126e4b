  quench::${s.kernel}(${s.x}, ${s.nc}, ${s.inner}, ${s.shift_left}, ${s.lo}, ${s.hi}, ${s.y});
