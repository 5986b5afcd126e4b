  quench::${s.kernel}(${s.x}, ${s.bytes}, ${s.y});
  std::memset(${s.op.mask}, 1, ${s.op.size});  // the mask: every element kept (bool)
