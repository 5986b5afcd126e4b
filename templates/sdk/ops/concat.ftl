<#list s.op.parts as p>
  quench::${s.kernel}(${p.x}, ${s.op.outer}, ${p.len}, ${s.op.outLen}, ${p.offset}, ${p.shift}, ${s.op.lo}, ${s.op.hi}, ${s.y});
</#list>
