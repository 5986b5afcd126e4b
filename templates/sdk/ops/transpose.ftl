  quench::transpose(${s.x}, ${s.rank}, ${s.dims}, ${s.strides}, ${s.size}, ${s.y});
