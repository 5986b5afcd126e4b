<#list s.op.parts as p>
<#if p.base??>
  quench::${p.kernel}(${s.x}, ${p.rank}, ${p.dims}, ${p.base}, ${p.strides}, ${p.size}, ${p.y});
<#else>
  quench::${p.kernel}(${s.x}, ${p.rank}, ${p.dims}, ${p.inStrides}, ${p.maps}, ${p.fill}, ${p.size}, ${p.y});
</#if>
</#list>
