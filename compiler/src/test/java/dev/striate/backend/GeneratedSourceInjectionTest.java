package dev.striate.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.JavaFileObjects;
import dev.striate.diag.Diagnostics;
import dev.striate.diag.SourcePos;
import dev.striate.frontend.Frontend;
import dev.striate.ir.Graph;
import dev.striate.ir.Node;
import dev.striate.passes.BindWeights;
import dev.striate.passes.InitWeights;
import dev.striate.passes.Pass;
import dev.striate.passes.PassLog;
import dev.striate.passes.PassPipeline;
import dev.striate.testing.CompiledModel;
import dev.striate.testing.NastyStrings;
import dev.striate.testing.NormalizedBytecode;
import dev.striate.text.JavaText;
import dev.striate.weights.Tensor;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import javax.tools.JavaFileObject;
import net.jqwik.api.Example;

/**
 * Hostile names cannot change the generated code: a model whose every node is named with a
 * generated hostile string ({@link NastyStrings}: comment ends, unicode escapes, line and paragraph
 * separators, surrogate halves, Java statements...) and whose labels are hostile but printable
 * generates ASCII-only source that javac compiles, whose every method has the same instructions on
 * the same lines as its twin with harmless names, and whose labels come back unchanged.
 */
class GeneratedSourceInjectionTest {
    private static final int MODELS = 60;
    private static final String MODEL = """
            model M {
                input x: [2, 6, 6]
                a = conv2d(x, 4, kernel=3, padding=same, activation=relu, name="h0")
                b = conv2d(a, 4, kernel=3, padding=same, name="h1") -> batchnorm(name="h2") -> relu(name="h3")
                c = add(a, b, name="h4") -> maxpool(2, name="h5") -> flatten(name="h6")
                d = dense(c, 8, activation=tanh, name="h7") -> dropout(0.5, name="h8") -> dense(3, name="h9")
                e = softmax(d, name="h10")
                labels ["l0", "l1", "l2"]
            }
            """;

    @Example
    void hostileNamesAndLabelsLeaveTheCodeAsItWas() throws Exception {
        Graph harmless = harmlessModel();
        int nodes = harmless.nodes().size();
        List<String> names = NastyStrings.sample(NastyStrings.any(), MODELS * nodes, 11);
        List<String> labels = NastyStrings.sample(NastyStrings.printable(), MODELS * 3, 12);
        List<JavaFileObject> sources = new ArrayList<>();
        Map<String, byte[]> resources = new TreeMap<>();
        Map<Integer, List<String>> labelsOf = new HashMap<>();
        for (int k = 0; k < MODELS; k++) {
            Map<String, String> rename = new LinkedHashMap<>();
            for (int i = 0; i < nodes; i++) {
                rename.put(harmless.nodes().get(i).name(), names.get(k * nodes + i));
            }
            labelsOf.put(k, labels.subList(k * 3, k * 3 + 3));
            Graph nasty = rename(harmless, rename, labelsOf.get(k));
            for (String variant : List.of("nasty", "plain")) {
                Graph g = variant.equals("nasty") ? nasty : harmless;
                String pkg = variant + k;
                Graph optimized = PassPipeline.standard().run(g, Pass.Mode.INFERENCE, new PassLog());
                for (GeneratedFile f : JavaBackend.generate(optimized, new GenerateOptions(pkg, "M", false))) {
                    if (f.kind() == GeneratedFile.Kind.SOURCE) {
                        String text = new String(f.content(), StandardCharsets.UTF_8);
                        assertAsciiLines(text, pkg);
                        sources.add(JavaFileObjects.forSourceString(pkg + ".M", text));
                    } else {
                        resources.put(f.relativePath(), f.content());
                    }
                }
            }
        }
        Map<String, byte[]> classes = CompiledModel.javac(sources);
        // per model: the class and the two nested classes of the threaded predictBatch, nothing else
        assertEquals(3 * 2 * MODELS, classes.size(), "no other nested or extra classes: " + classes.keySet());
        for (String name : classes.keySet()) {
            assertTrue(name.matches("(nasty|plain)[0-9]+\\.M(\\$ParallelBatch|\\$BatchHelper)?"), name);
        }
        ClassLoader loader = new CompiledModel.MemoryLoader(classes, resources);
        float[] input = new float[72];
        Random random = new Random(5);
        for (int i = 0; i < input.length; i++) {
            input[i] = random.nextFloat() * 2 - 1;
        }
        for (int k = 0; k < MODELS; k++) {
            List<String> nasty = NormalizedBytecode.of(classes.get("nasty" + k + ".M"));
            List<String> plain = NormalizedBytecode.of(classes.get("plain" + k + ".M"));
            assertSameCode(plain, nasty, "model " + k);
            Class<?> type = loader.loadClass("nasty" + k + ".M");
            assertArrayEquals(labelsOf.get(k).toArray(), (String[]) type.getMethod("labels").invoke(null));
            Object a = type.getMethod("load").invoke(null);
            Object b = loader.loadClass("plain" + k + ".M").getMethod("load").invoke(null);
            float[] pa = (float[]) a.getClass().getMethod("predict", float[].class).invoke(a, (Object) input);
            float[] pb = (float[]) b.getClass().getMethod("predict", float[].class).invoke(b, (Object) input);
            assertArrayEquals(pb, pa);
        }
        System.out.println("injection test: " + MODELS * nodes + " hostile node names and " + MODELS * 3
                + " hostile labels in " + MODELS + " models");
    }

    private static void assertSameCode(List<String> plain, List<String> nasty, String where) {
        assertEquals(plain.size(), nasty.size(), where + ": method count");
        for (int m = 0; m < plain.size(); m++) {
            String[] a = plain.get(m).split("\n");
            String[] b = nasty.get(m).split("\n");
            for (int i = 0; i < Math.max(a.length, b.length); i++) {
                String x = i < a.length ? a[i] : "<end>";
                String y = i < b.length ? b[i] : "<end>";
                if (!x.equals(y)) {
                    throw new AssertionError(where + ", method " + a[0] + ", instruction " + i + ": harmless names give '"
                            + x + "', hostile names '" + JavaText.comment(y) + "'");
                }
            }
        }
    }

    private static Graph harmlessModel() {
        Diagnostics d = new Diagnostics();
        Graph g = Frontend.parse(MODEL, "m.cnn").model(null, d);
        return BindWeights.run(g, InitWeights.run(g, 3), new SourcePos("m.weights.json", 1, 1), d);
    }

    /** The same graph, weights and all, under other node names and labels. */
    static Graph rename(Graph g, Map<String, String> rename, List<String> labels) {
        List<Node> nodes = new ArrayList<>();
        for (Node n : g.nodes()) {
            nodes.add(new Node(rename.get(n.name()), n.op(), n.inputs().stream().map(rename::get).toList(),
                    n.shape(), n.pos()));
        }
        Map<String, Tensor> weights = new LinkedHashMap<>();
        g.weights().forEach((key, t) -> {
            int dot = key.lastIndexOf('.');
            String k = rename.get(key.substring(0, dot)) + key.substring(dot);
            weights.put(k, new Tensor(k, t.shape(), t.data()));
        });
        return new Graph(g.name(), nodes, g.outputs().stream().map(rename::get).toList(), labels, weights);
    }

    private static void assertAsciiLines(String text, String where) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '\n' && (c < 0x20 || c >= 0x7f)) {
                int from = text.lastIndexOf('\n', i) + 1;
                int to = text.indexOf('\n', i);
                throw new AssertionError(where + ": character " + (int) c + " in line: "
                        + JavaText.comment(text.substring(from, to < 0 ? text.length() : to)));
            }
        }
    }
}
