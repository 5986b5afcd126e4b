<#if s.x?? && s.x == s.y>
  // in place: the output shares the input's storage, nothing to copy
<#else>
  quench::${s.kernel}(${s.x}, ${s.bytes}, ${s.y});
</#if>
