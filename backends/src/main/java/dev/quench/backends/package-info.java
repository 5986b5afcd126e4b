/**
 * Targets (issues 5 and 6): a {@code Backend} per target, the arena planner and the FreeMarker
 * emitter that turns middleware into a C++ SDK. Depends on the IR only.
 */
package dev.quench.backends;
