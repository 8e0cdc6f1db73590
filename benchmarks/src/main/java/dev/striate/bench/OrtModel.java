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
 * An ONNX Runtime session on a model's ONNX export at a fixed batch size
 * ({@code tools/bench/export_onnx.py}), set up for a fair comparison with the generated code:
 * sequential execution, {@code intraOpThreads} intra-op threads and one inter-op thread, all
 * graph optimizations, and input and output tensors over direct buffers allocated once (the
 * output pinned), so that {@link #predict} allocates no tensors, like the generated
 * {@code predict(float[], float[])}. A call is what a Java caller does: copy the images'
 * {@code float[]}s into the input tensor, run, copy the outputs back into {@code float[]}s.
 */
final class OrtModel implements AutoCloseable {
    private final OrtSession session;
    private final FloatBuffer input;
    private final FloatBuffer output;
    private final OnnxTensor inputTensor;
    private final OnnxTensor outputTensor;
    private final Map<String, OnnxTensor> inputs;
    private final Map<String, OnnxTensor> pinned;

    /**
     * A session on {@code onnx}, whose input is {@code batch} images of shape {@code imageShape}
     * and output {@code batch} outputs of shape {@code outputShape}.
     */
    OrtModel(Path onnx, int batch, int[] imageShape, int[] outputShape, int intraOpThreads) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        long[] inputShape = shape(batch, imageShape);
        long[] fullOutputShape = shape(batch, outputShape);
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(intraOpThreads);
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            session = env.createSession(onnx.toString(), options);
        }
        input = direct(product(inputShape));
        output = direct(product(fullOutputShape));
        inputTensor = OnnxTensor.createTensor(env, input, inputShape);
        outputTensor = OnnxTensor.createTensor(env, output, fullOutputShape);
        inputs = Map.of(session.getInputNames().iterator().next(), inputTensor);
        pinned = Map.of(session.getOutputNames().iterator().next(), outputTensor);
    }

    /** One forward pass of a batch-1 session: copies {@code in} into the input tensor, runs, copies the output out. */
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

    /** One forward pass of the whole batch: {@code in.length} images in, one output array each out. */
    void predictBatch(float[][] in, float[][] out) {
        input.clear();
        for (float[] image : in) {
            input.put(image);
        }
        try (OrtSession.Result ignored = session.run(inputs, pinned)) {
            output.clear();
            for (float[] o : out) {
                output.get(o);
            }
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

    private static long[] shape(int batch, int[] dims) {
        long[] s = new long[dims.length + 1];
        s[0] = batch;
        for (int i = 0; i < dims.length; i++) {
            s[i + 1] = dims[i];
        }
        return s;
    }

    private static int product(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return Math.toIntExact(n);
    }
}
