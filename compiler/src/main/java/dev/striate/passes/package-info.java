/**
 * Graph-to-graph passes over the immutable IR. The front end runs {@link
 * dev.striate.ir.InferShapes} and {@link dev.striate.passes.BindWeights} binds the weights;
 * then {@link dev.striate.passes.PassPipeline} — the one list of optimization passes with the
 * modes they run in and whether they repeat — rewrites the graph for the backend, and {@link
 * dev.striate.passes.PlanMemory} plans its scratch buffers. Each pass is one class named for
 * what it does ({@code FoldBatchNorm}), documents when it is exact, and returns its input
 * unchanged (the same instance) when nothing applies.
 */
package dev.striate.passes;
