/**
 * The Java backend: turns a shaped IR graph with bound weights into one specialized,
 * dependency-free Java class (plus its weights blob).
 *
 * <p>Flow: {@link dev.striate.backend.JavaBackend} checks the graph and picks the nodes the
 * output needs; {@code ClassEmitter} assembles the class, asking
 * {@link dev.striate.backend.layers.EmitterFactory} (the only switch over op kinds) for one
 * {@link dev.striate.backend.layers.LayerEmitter} per node; each emitter writes one fused method
 * and appends its weights, pre-laid-out in read order, to the {@link dev.striate.backend.WeightBlob};
 * {@code BufferPlan} assigns scratch buffers by liveness; {@code WeightsLoader} and
 * {@code ApiMethods} write the loading code and the public API.
 *
 * <p>JVM limits: every layer method stays far below HotSpot's 8,000-byte {@code HugeMethodLimit}
 * (kernel windows are unrolled only up to 5x5, larger ones loop); weights are never literals
 * (a resource blob, or base64 chunks of 32,000 characters in nested classes of eight chunks);
 * label arrays beyond 256 entries are one string split at class initialization.
 */
package dev.striate.backend;
