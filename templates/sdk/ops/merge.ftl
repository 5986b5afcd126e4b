<#if s.op.shiftA??>
  quench::${s.kernel}(${s.op.cond}, ${s.op.a}, ${s.op.b}, ${s.size}, ${s.op.shiftA}, ${s.op.shiftB}, ${s.op.lo}, ${s.op.hi}, ${s.y});
<#else>
  quench::${s.kernel}(${s.op.cond}, ${s.op.a}, ${s.op.b}, ${s.bytes}, ${s.y});
</#if>
