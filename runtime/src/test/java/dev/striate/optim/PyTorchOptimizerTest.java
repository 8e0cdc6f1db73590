package dev.striate.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays PyTorch's {@code torch.optim} on fixed tensors: three steps of every case in the
 * fixtures, parameters compared after each step within {@code 1e-6 * max(1, |expected|)}.
 */
class PyTorchOptimizerTest {
    private static final double TOL = 1e-6;

    static Stream<Arguments> cases() {
        return Stream.of("sgd.json", "adagrad.json", "rmsprop.json", "adam.json")
                .flatMap(f -> OptimFixtures.cases(f).stream())
                .map(c -> Arguments.of(c.get("name").asText(), c));
    }

    @Test
    void everyOptimizerHasCases() {
        assertEquals(23, cases().count());
        assertTrue(cases().allMatch(a -> ((JsonNode) a.get()[1]).get("after").size() == 3));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesPyTorch(String name, JsonNode c) {
        Optimizer opt = build(c.get("optimizer").asText(), c.get("hyper"), c.get("l1").asDouble());
        float[][] params = OptimFixtures.tensors(c.get("params"));
        for (int step = 0; step < 3; step++) {
            float[][] grads = OptimFixtures.tensors(c.get("grads").get(step));
            float[][] before = copy(grads);
            opt.step(params, grads);
            assertArrayEquals2(before, grads, name + ": the gradients must not change");
            float[][] expected = OptimFixtures.tensors(c.get("after").get(step));
            for (int p = 0; p < params.length; p++) {
                for (int i = 0; i < params[p].length; i++) {
                    double want = expected[p][i];
                    double tol = TOL * Math.max(1, Math.abs(want));
                    assertEquals(want, params[p][i], tol,
                            name + ": step " + (step + 1) + ", parameter " + p + ", element " + i);
                }
            }
        }
        assertEquals(3, opt.steps());
    }

    /** Builds an optimizer from PyTorch's keyword arguments, failing on a key this test does not know. */
    static Optimizer build(String kind, JsonNode hyper, double l1) {
        double lr = hyper.path("lr").asDouble(Double.NaN);
        Regularization reg = new Regularization(hyper.path("weight_decay").asDouble(0), l1);
        List<String> known;
        Optimizer opt;
        switch (kind) {
            case "sgd":
                known = List.of("lr", "momentum", "dampening", "nesterov", "weight_decay");
                opt = Sgd.builder(lr).momentum(hyper.path("momentum").asDouble(0))
                        .dampening(hyper.path("dampening").asDouble(0))
                        .nesterov(hyper.path("nesterov").asBoolean(false)).regularization(reg).build();
                break;
            case "adagrad": {
                known = List.of("lr", "lr_decay", "initial_accumulator_value", "eps", "weight_decay");
                Adagrad.Builder b = Adagrad.builder().regularization(reg);
                if (hyper.has("lr")) {
                    b.lr(lr);
                }
                if (hyper.has("lr_decay")) {
                    b.lrDecay(hyper.get("lr_decay").asDouble());
                }
                if (hyper.has("initial_accumulator_value")) {
                    b.initialAccumulatorValue(hyper.get("initial_accumulator_value").asDouble());
                }
                if (hyper.has("eps")) {
                    b.eps(hyper.get("eps").asDouble());
                }
                opt = b.build();
                break;
            }
            case "rmsprop": {
                known = List.of("lr", "alpha", "eps", "momentum", "centered", "weight_decay");
                RmsProp.Builder b = RmsProp.builder().regularization(reg);
                if (hyper.has("lr")) {
                    b.lr(lr);
                }
                if (hyper.has("alpha")) {
                    b.alpha(hyper.get("alpha").asDouble());
                }
                if (hyper.has("eps")) {
                    b.eps(hyper.get("eps").asDouble());
                }
                opt = b.momentum(hyper.path("momentum").asDouble(0))
                        .centered(hyper.path("centered").asBoolean(false)).build();
                break;
            }
            case "adam": {
                known = List.of("lr", "betas", "eps", "amsgrad", "weight_decay");
                Adam.Builder b = Adam.builder().regularization(reg);
                if (hyper.has("lr")) {
                    b.lr(lr);
                }
                if (hyper.has("betas")) {
                    b.betas(hyper.get("betas").get(0).asDouble(), hyper.get("betas").get(1).asDouble());
                }
                if (hyper.has("eps")) {
                    b.eps(hyper.get("eps").asDouble());
                }
                opt = b.amsgrad(hyper.path("amsgrad").asBoolean(false)).build();
                break;
            }
            default:
                throw new AssertionError("unknown optimizer " + kind);
        }
        for (Iterator<String> it = hyper.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            assertTrue(known.contains(key), kind + ": the test does not map hyper-parameter " + key);
        }
        assertEquals(kind, opt.name());
        return opt;
    }

    static float[][] copy(float[][] a) {
        float[][] out = new float[a.length][];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i].clone();
        }
        return out;
    }

    private static void assertArrayEquals2(float[][] want, float[][] got, String message) {
        for (int i = 0; i < want.length; i++) {
            assertArrayEquals(want[i], got[i], message);
        }
    }
}
