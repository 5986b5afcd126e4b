  {
    uint8_t* const scratch = ${s.scratch};  // the intermediates of the passes
    (void)scratch;
<#list s.op.passes as p>
    quench::${s.kernel}(${p.src}, ${p.outer}, ${p.inLen}, ${p.inner}, ${p.outLen}, ${p.taps}, ${p.idx}, ${p.w}, ${p.fill}, ${p.dst});
</#list>
  }
