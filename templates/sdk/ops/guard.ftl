  quench::${s.kernel}();  // ${s.y} enters the branch as it is (run() calls this step only on the branch)
