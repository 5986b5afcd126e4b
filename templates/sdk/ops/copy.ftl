  quench::copy_bytes(${s.x}, ${s.bytes}, ${s.y});
