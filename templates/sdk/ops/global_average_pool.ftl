  quench::global_avg_pool_int(${s.x}, ${s.nc}, ${s.inner}, ${s.shift_left}, ${s.lo}, ${s.hi}, ${s.y});
