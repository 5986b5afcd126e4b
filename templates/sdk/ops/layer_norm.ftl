  quench::${s.kernel}(${s.x}, ${s.outer}, ${s.inner}, ${s.scale}, ${s.bias}, ${s.eps}, ${s.y});
