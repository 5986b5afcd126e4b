package dev.quench.ir.mw;

/** A graph in middleware form: the {@code .qir} text and its {@code .qir.bin} weights. */
public record Middleware(String text, byte[] weights) {}
