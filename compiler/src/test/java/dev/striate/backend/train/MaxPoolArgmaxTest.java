package dev.striate.backend.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.striate.ir.GlobalPool;
import dev.striate.ir.Graph;
import dev.striate.ir.Op;
import dev.striate.ir.Padding;
import dev.striate.ir.Pool2d;
import dev.striate.ir.Shape;
import dev.striate.testing.GraphBuilder;
import dev.striate.train.TrainableModel;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Where the max pools' gradient goes when windows tie or hold NaNs, against PyTorch's indices
 * ({@code pool-argmax/cases.json}, written by {@code tools/reference/pool_argmax_fixtures.py}): the
 * trainer's forward pass is the class's max pool in its training form, which records each window's
 * argmax (the first maximum in window order, never a padded cell, the last NaN), and the backward
 * pass routes each output's gradient there. With distinct output gradients, every input gradient
 * names the cells that won; the outputs are the values of those cells.
 */
class MaxPoolArgmaxTest {

    static Stream<JsonNode> cases() throws IOException {
        try (InputStream in = MaxPoolArgmaxTest.class.getResourceAsStream("/pool-argmax/cases.json")) {
            List<JsonNode> cases = new ArrayList<>();
            new ObjectMapper().readTree(in).get("cases").forEach(cases::add);
            return cases.stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void gradientGoesToPyTorchsArgmax(JsonNode c) throws Exception {
        JsonNode dims = c.get("shape");
        Shape shape = Shape.chw(dims.get(0).asInt(), dims.get(1).asInt(), dims.get(2).asInt());
        Op op;
        if (c.get("kernel").isNull()) {
            op = new GlobalPool(Pool2d.Kind.MAX);
        } else {
            int k = c.get("kernel").asInt();
            int s = c.get("stride").asInt();
            int p = c.get("padding").asInt();
            op = new Pool2d(Pool2d.Kind.MAX, k, k, s, s, new Padding.Explicit(p, p, p, p), true);
        }
        GraphBuilder b = new GraphBuilder("Pool", 1);
        Graph graph = b.build(b.add("pool", op, b.input(shape)));
        int n = c.get("n").asInt();
        float[] x = new float[n * shape.size()];
        for (int i = 0; i < x.length; i++) {
            JsonNode v = c.get("x").get(i);
            x[i] = v.isNull() ? Float.NaN : v.floatValue();
        }

        TrainableModel trainer = TrainerBackend.load(graph, new TrainerOptions(false, true));
        int outSize = trainer.outputSize();
        float[] out = new float[n * outSize];
        float[] dy = new float[n * outSize];
        float[] expectedDx = new float[x.length];
        float[] expectedOut = new float[out.length];
        for (int j = 0; j < dy.length; j++) {
            int s = j / outSize;
            int at = s * shape.size() + c.get("argmax").get(s).get(j % outSize).asInt();
            dy[j] = j + 1;
            expectedDx[at] += dy[j];
            expectedOut[j] = x[at];
        }
        TrainableModel.Worker worker = trainer.newWorker(n);
        worker.forward(x, n, out, 1L);
        worker.backward(dy, n);
        Method gradient = worker.getClass().getMethod("inputGradient");
        gradient.setAccessible(true);
        assertArrayEquals(expectedOut, out, 0f);
        assertArrayEquals(expectedDx, (float[]) gradient.invoke(worker), 0f);
        assertEquals(shape.size(), trainer.inputSize());
    }
}
