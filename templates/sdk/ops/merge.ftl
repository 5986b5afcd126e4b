<#if s.op.shiftA??>
  // the taken side requantized onto the output (one concatenation slot of the whole length)
  if (${s.op.cond}) {
    quench::${s.kernel}(${s.op.a}, 1, ${s.size}, ${s.size}, 0, ${s.op.shiftA}, ${s.op.lo}, ${s.op.hi}, ${s.y});
  } else {
    quench::${s.kernel}(${s.op.b}, 1, ${s.size}, ${s.size}, 0, ${s.op.shiftB}, ${s.op.lo}, ${s.op.hi}, ${s.y});
  }
<#else>
  quench::${s.kernel}(${s.op.cond}, ${s.op.a}, ${s.op.b}, ${s.bytes}, ${s.y});
</#if>
