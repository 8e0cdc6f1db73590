/**
 * ONNX import: {@link dev.striate.importer.onnx.OnnxImport} reads an ONNX model with the
 * protobuf classes of {@code ai.onnx.proto.OnnxMl} (Tribuo's {@code tribuo-util-onnx}), folds its
 * constants and shape arithmetic, maps each node to a Striate layer and writes a readable
 * {@code .cnn} model with its weights. The stages: {@code OnnxFile} (reading, tensors, external
 * data) → {@code Translator} and {@code ConstantFolder} (the graph walk) → {@code LayerOps} (one
 * method per operator) → {@code CnnWriter} (the text).
 */
package dev.striate.importer.onnx;
