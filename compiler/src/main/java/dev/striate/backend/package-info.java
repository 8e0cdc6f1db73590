/**
 * The Java backend: turns a shaped IR graph with bound weights into one specialized,
 * dependency-free Java class (plus its weights blob).
 *
 * <p>Flow: {@link dev.striate.backend.JavaBackend} checks the graph and picks the nodes the
 * output needs; {@code ClassEmitter} assembles the class, asking
 * {@link dev.striate.backend.layers.EmitterFactory} (a visitor over the op kinds, the one place
 * that maps a kind to its emitter) for one {@link dev.striate.backend.layers.LayerEmitter} per node
 * that has code (not the input, not the {@linkplain dev.striate.ir.Op#isInferenceView() views}); each emitter writes one fused method
 * and appends its weights, pre-laid-out in read order, to the {@link dev.striate.backend.WeightBlob};
 * {@link dev.striate.passes.PlanMemory} assigns scratch buffers by liveness; {@code WeightsLoader} and
 * {@code ApiMethods} write the loading code and the public API.
 *
 * <p>Speed (C2, JDK 17): C2 auto-vectorizes a loop only when its arrays share one index
 * expression, and {@code Math.tanh} is a native call. So a convolution unfolds its input into
 * the class's scratch rows ({@code ScratchRows}, {@code ConvRows}) and accumulates
 * {@code acc[p] += k * row[p]} over a whole output plane, and tanh goes through
 * {@code Math.exp} ({@code TanhHelper}).
 *
 * <p>JVM limits: every layer method stays far below HotSpot's 8,000-byte {@code HugeMethodLimit}
 * (loops over taps and rows, not unrolled code; transposed convolutions unroll windows only up to
 * 5x5); weights are never literals
 * (a resource blob, or base64 chunks of 32,000 characters in nested classes of eight chunks);
 * label arrays beyond 256 entries are one string split at class initialization.
 */
package dev.striate.backend;
