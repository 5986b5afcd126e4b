<#list s.parts as p>
  quench::${s.kernel}(${p.x}, ${s.outer}, ${p.len}, ${s.out_len}, ${p.offset}, ${s.y});
</#list>
