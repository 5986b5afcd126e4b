<#list s.parts as p>
  quench::${s.kernel}(${p.x}, ${s.outer}, ${p.len}, ${s.out_len}, ${p.offset}, ${p.shift}, ${s.lo}, ${s.hi}, ${s.y});
</#list>
