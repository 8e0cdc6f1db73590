/**
 * ONNX import: {@link dev.striate.importer.onnx.OnnxImport} reads an ONNX model with the
 * protobuf classes of {@code ai.onnx.proto.OnnxMl} (Tribuo's {@code tribuo-util-onnx}), folds its
 * constants and shape arithmetic, maps each node to a Striate layer and writes a readable
 * {@code .cnn} model with its weights. The stages: {@code OnnxFile} (reading, tensors, external
 * data) → {@code Translator} and {@code ConstantFolder} (the graph walk) → {@code LayerOps} (one
 * method per operator, with {@code WindowOps} and {@code ShapeOps}) → {@code CnnWriter} (the text).
 * <p>
 * ONNX export, the inverse: {@link dev.striate.importer.onnx.OnnxExport} turns a shaped Striate
 * graph with its weights bound into an ONNX model with the same classes ({@code ExportOps}: one
 * visit per op, the decompositions of ops ONNX lacks). It lives here, beside the importer, because
 * the compiler does not depend on protobuf.
 */
package dev.striate.importer.onnx;
