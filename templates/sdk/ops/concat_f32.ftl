<#list s.parts as p>
  quench::concat_f32(${p.x}, ${s.outer}, ${p.len}, ${s.out_len}, ${p.offset}, ${s.y});
</#list>
