<#list s.parts as p>
  quench::concat_part(${p.x}, ${s.outer}, ${p.len}, ${s.out_len}, ${p.offset}, ${p.shift}, ${s.lo}, ${s.hi}, ${s.y});
</#list>
