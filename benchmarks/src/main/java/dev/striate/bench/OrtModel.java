package dev.striate.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Map;

/**
 * An ONNX Runtime session on a model's ONNX export ({@code tools/bench/export_onnx.py}), set up
 * for a fair batch-1 comparison with the generated code: one intra-op and one inter-op thread,
 * all graph optimizations, and input and output tensors over direct buffers allocated once
 * (the output pinned), so that {@link #predict} allocates no tensors, like the generated
 * {@code predict(float[], float[])}.
 */
final class OrtModel implements AutoCloseable {
    private final OrtSession session;
    private final FloatBuffer input;
    private final FloatBuffer output;
    private final OnnxTensor inputTensor;
    private final OnnxTensor outputTensor;
    private final Map<String, OnnxTensor> inputs;
    private final Map<String, OnnxTensor> pinned;

    OrtModel(Path onnx, long[] inputShape, long[] outputShape) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            session = env.createSession(onnx.toString(), options);
        }
        input = direct(product(inputShape));
        output = direct(product(outputShape));
        inputTensor = OnnxTensor.createTensor(env, input, inputShape);
        outputTensor = OnnxTensor.createTensor(env, output, outputShape);
        inputs = Map.of(session.getInputNames().iterator().next(), inputTensor);
        pinned = Map.of(session.getOutputNames().iterator().next(), outputTensor);
    }

    /** One forward pass: copies {@code in} into the input tensor, runs, copies the output out. */
    void predict(float[] in, float[] out) {
        input.clear();
        input.put(in);
        try (OrtSession.Result ignored = session.run(inputs, pinned)) {
            output.clear();
            output.get(out);
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws OrtException {
        inputTensor.close();
        outputTensor.close();
        session.close();
    }

    private static FloatBuffer direct(int floats) {
        return ByteBuffer.allocateDirect(floats * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    private static int product(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return Math.toIntExact(n);
    }
}
