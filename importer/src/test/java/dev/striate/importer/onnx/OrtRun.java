package dev.striate.importer.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Map;

/**
 * Runs an ONNX model in ONNX Runtime (Java, CPU, one thread): a batch of inputs in one call, so
 * the symbolic batch dimension is exercised too.
 */
final class OrtRun {
    private OrtRun() {
    }

    /** The session's outputs for {@code inputs} (one flat sample each, {@code sampleShape} without the batch). */
    static float[][] run(byte[] model, int[] sampleShape, float[][] inputs) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            try (OrtSession session = env.createSession(model, options)) {
                int size = inputs[0].length;
                FloatBuffer batch = FloatBuffer.allocate(inputs.length * size);
                for (float[] x : inputs) {
                    batch.put(x);
                }
                batch.flip();
                long[] shape = new long[sampleShape.length + 1];
                shape[0] = inputs.length;
                for (int i = 0; i < sampleShape.length; i++) {
                    shape[i + 1] = sampleShape[i];
                }
                String input = session.getInputNames().iterator().next();
                try (OnnxTensor x = OnnxTensor.createTensor(env, batch, shape);
                     OrtSession.Result result = session.run(Map.of(input, x))) {
                    OnnxTensor y = (OnnxTensor) result.get(0);
                    long[] outShape = y.getInfo().getShape();
                    if (outShape[0] != inputs.length) {
                        throw new AssertionError("ONNX Runtime returned a batch of " + outShape[0] + " for " + inputs.length);
                    }
                    FloatBuffer flat = y.getFloatBuffer();
                    int per = flat.remaining() / inputs.length;
                    float[][] out = new float[inputs.length][per];
                    for (float[] o : out) {
                        flat.get(o);
                    }
                    return out;
                }
            }
        }
    }

    /** The model's custom metadata ({@code metadata_props}), as ONNX Runtime reads it. */
    static Map<String, String> metadata(byte[] model) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(model, new OrtSession.SessionOptions())) {
            return session.getMetadata().getCustomMetadata();
        }
    }
}
