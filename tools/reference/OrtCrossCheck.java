import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Runs every ONNX import fixture with ONNX Runtime and compares its outputs with the fixture's
 * PyTorch goldens (atol 1e-5, rtol 1e-4): an implementation independent of both the generator and
 * the importer, so that the onnx.helper graphs (auto_pad SAME_LOWER...) are not checked only
 * against our own reading of the ONNX spec. A developer tool (the 93 MB onnxruntime jar is not a
 * test dependency):
 *
 *   R=~/.m2/repository; java -cp "$R/com/microsoft/onnxruntime/onnxruntime/1.29.0/onnxruntime-1.29.0.jar:\
 *   $R/com/fasterxml/jackson/core/jackson-databind/2.18.2/jackson-databind-2.18.2.jar:\
 *   $R/com/fasterxml/jackson/core/jackson-core/2.18.2/jackson-core-2.18.2.jar:\
 *   $R/com/fasterxml/jackson/core/jackson-annotations/2.18.2/jackson-annotations-2.18.2.jar" \
 *   tools/reference/OrtCrossCheck.java importer/src/test/resources/onnx
 */
public final class OrtCrossCheck {
    public static void main(String[] args) throws Exception {
        Path root = Path.of(args.length > 0 ? args[0] : "importer/src/test/resources/onnx");
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        int failures = 0;
        List<String> cases = Files.readAllLines(root.resolve("cases.txt")).stream().filter(s -> !s.isBlank()).toList();
        for (String name : cases) {
            JsonNode golden = new ObjectMapper().readTree(root.resolve(name).resolve("golden.json").toFile());
            long[] shape = new long[golden.get("input_shape").size() + 1];
            shape[0] = 1;
            for (int i = 1; i < shape.length; i++) {
                shape[i] = golden.get("input_shape").get(i - 1).asLong();
            }
            double worst = 0;
            try (OrtSession session = env.createSession(root.resolve(name).resolve("model.onnx").toString())) {
                String input = session.getInputNames().iterator().next();
                for (int s = 0; s < golden.get("inputs").size(); s++) {
                    JsonNode in = golden.get("inputs").get(s);
                    float[] x = new float[in.size()];
                    for (int i = 0; i < x.length; i++) {
                        x[i] = (float) in.get(i).asDouble();
                    }
                    try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), shape);
                         OrtSession.Result r = session.run(Map.of(input, t))) {
                        FloatBuffer out = ((OnnxTensor) r.get(0)).getFloatBuffer();
                        JsonNode expected = golden.get("outputs").get(s);
                        if (out.remaining() != expected.size()) {
                            throw new AssertionError(name + ": " + out.remaining() + " outputs, expected " + expected.size());
                        }
                        for (int i = 0; i < expected.size(); i++) {
                            double e = expected.get(i).asDouble();
                            double err = Math.abs(out.get(i) - e);
                            worst = Math.max(worst, err / (1e-5 + 1e-4 * Math.abs(e)));
                        }
                    }
                }
            }
            boolean ok = worst <= 1;
            failures += ok ? 0 : 1;
            System.out.printf("%-22s %s (worst error %.3f of the tolerance)%n", name, ok ? "ok" : "DIFFERS", worst);
        }
        System.out.println(failures == 0 ? cases.size() + " passed, 0 failed" : failures + " cases differ");
        System.exit(failures == 0 ? 0 : 1);
    }
}
