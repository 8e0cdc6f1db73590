package dev.striate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.striate.autodiff.GradRule;
import dev.striate.autodiff.GradRules;
import dev.striate.backend.layers.EmitterFactory;
import dev.striate.backend.layers.LayerEmitter;
import dev.striate.ir.Activate;
import dev.striate.ir.Activation;
import dev.striate.ir.Add;
import dev.striate.ir.BatchNorm;
import dev.striate.ir.ChannelAffineOp;
import dev.striate.ir.Concat;
import dev.striate.ir.Conv2d;
import dev.striate.ir.ConvPool;
import dev.striate.ir.ConvTranspose2d;
import dev.striate.ir.Dense;
import dev.striate.ir.Dropout;
import dev.striate.ir.Flatten;
import dev.striate.ir.GlobalPool;
import dev.striate.ir.Input;
import dev.striate.ir.LinearLayer;
import dev.striate.ir.Maxout;
import dev.striate.ir.Normalize;
import dev.striate.ir.Op;
import dev.striate.ir.Pad;
import dev.striate.ir.Padding;
import dev.striate.ir.PixelShuffle;
import dev.striate.ir.Pool2d;
import dev.striate.ir.Rescale;
import dev.striate.ir.Shape;
import dev.striate.ir.ShapeException;
import dev.striate.ir.UntiedBias;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Every op kind of the sealed {@link Op} (read from the class files, so a new op fails here until
 * it is listed) has an emitter and a gradient rule of its own, or the documented refusal, and
 * its properties (views, linear layers, withers) keep the contracts their users rely on.
 */
class OpDispatchTest {
    private static final Conv2d CONV = new Conv2d(4, 3, 3, 1, 1, Padding.VALID, 1, 1, 1, true, Activation.RELU);
    private static final Pool2d POOL = new Pool2d(Pool2d.Kind.MAX, 2, 2, 2, 2, Padding.VALID, true);

    /** One op of each kind, with an input shape it fits. */
    private record Sample(Op op, Shape in) {
    }

    private static final List<Sample> SAMPLES = List.of(
            new Sample(new Input(Shape.chw(2, 6, 6)), null),
            new Sample(CONV, Shape.chw(2, 6, 6)),
            new Sample(new ConvTranspose2d(4, 2, 2, 2, 2, 0, 0, 0, 0, 1, 1, 2, false, Activation.TANH), Shape.chw(2, 3, 3)),
            new Sample(POOL, Shape.chw(2, 6, 6)),
            new Sample(new GlobalPool(Pool2d.Kind.AVG), Shape.chw(2, 6, 6)),
            new Sample(new Dense(3, true, Activation.SIGMOID), Shape.of(8)),
            new Sample(new Flatten(), Shape.chw(2, 3, 3)),
            new Sample(new Dropout(0.5f), Shape.chw(2, 3, 3)),
            new Sample(new BatchNorm(1e-5f, 0.1f), Shape.chw(2, 3, 3)),
            new Sample(new Activate(Activation.SOFTMAX), Shape.of(5)),
            new Sample(new Maxout(2), Shape.chw(4, 3, 3)),
            new Sample(new Add(), Shape.chw(2, 3, 3)),
            new Sample(new Concat(), Shape.chw(2, 3, 3)),
            new Sample(new PixelShuffle(2), Shape.chw(8, 3, 3)),
            new Sample(new Normalize(List.of(0.5f), List.of(2f)), Shape.chw(2, 3, 3)),
            new Sample(new Rescale(1 / 255f, 0f), Shape.chw(2, 3, 3)),
            new Sample(new Pad(Padding.Explicit.of(1)), Shape.chw(2, 3, 3)),
            new Sample(new ConvPool(CONV, POOL), Shape.chw(2, 6, 6)),
            new Sample(new UntiedBias(), Shape.chw(1, 3, 3)));

    /** The records that implement {@link Op}, found through the permits lists (sub-interfaces included). */
    private static Set<Class<?>> opKinds() {
        Set<Class<?>> kinds = new HashSet<>();
        List<Class<?>> todo = new ArrayList<>(List.of(Op.class));
        while (!todo.isEmpty()) {
            Class<?> c = todo.remove(todo.size() - 1);
            if (c.isRecord()) {
                kinds.add(c);
            } else {
                assertTrue(c.isSealed(), c + " must be sealed or a record");
                todo.addAll(List.of(c.getPermittedSubclasses()));
            }
        }
        return kinds;
    }

    @Test
    void theSamplesCoverEveryOpKind() {
        Set<Class<?>> sampled = SAMPLES.stream().map(s -> s.op().getClass()).collect(Collectors.toSet());
        assertEquals(opKinds(), sampled, "add a sample of the new op kind to SAMPLES");
        assertEquals(SAMPLES.size(), sampled.size());
    }

    @Test
    void everyKindWithCodeHasItsOwnEmitterAndTheOthersHaveNone() {
        for (Sample s : SAMPLES) {
            Op op = s.op();
            LayerEmitter emitter = EmitterFactory.forOp(op);
            String expected = EmitterFactory.hasCode(op) ? op.getClass().getSimpleName() + "Emitter" : "AliasEmitter";
            assertEquals(expected, emitter.getClass().getSimpleName(), op.kind());
        }
    }

    @Test
    void everyTrainableKindHasItsOwnGradientRuleAndConvPoolRefuses() {
        for (Sample s : SAMPLES) {
            Op op = s.op();
            if (op instanceof ConvPool) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GradRules.forOp(op));
                assertTrue(e.getMessage().contains("inference-only"), e.getMessage());
                continue;
            }
            GradRule rule = GradRules.forOp(op);
            String expected = !GradRules.hasCode(op) ? "AliasGrad"
                    : op instanceof ChannelAffineOp ? "AffineGrad"
                    : op.getClass().getSimpleName() + "Grad";
            assertEquals(expected, rule.getClass().getSimpleName(), op.kind());
        }
    }

    /**
     * One forward: a gradient rule that declares its own {@code forward} writes a second forward
     * pass beside the inference class's. Only these still do: batch norm (batch statistics) and
     * dropout (masks), by nature. Every other kind trains on the class's code (conv2d on its
     * emitter's batched form, a max pool on its training form that records the argmax).
     */
    @Test
    void onlyTheseGradientRulesWriteTheirOwnForwardPass() {
        Set<String> own = new HashSet<>();
        for (Sample s : SAMPLES) {
            if (!GradRules.hasCode(s.op()) || s.op() instanceof ConvPool) {
                continue;
            }
            Class<?> rule = GradRules.forOp(s.op()).getClass();
            if (Arrays.stream(rule.getDeclaredMethods()).anyMatch(m -> m.getName().equals("forward"))) {
                own.add(s.op().kind());
            }
        }
        assertEquals(Set.of("batchnorm", "dropout"), own);
    }

    @Test
    void viewsKeepTheirInputsValuesAndTrainingViewsAreInferenceViews() throws ShapeException {
        Set<String> inference = new HashSet<>();
        Set<String> training = new HashSet<>();
        for (Sample s : SAMPLES) {
            Op op = s.op();
            if (op.isTrainingView()) {
                training.add(op.kind());
                assertTrue(op.isInferenceView(), op.kind() + ": a training view must be an inference view");
            }
            if (op.isInferenceView()) {
                inference.add(op.kind());
                assertEquals(1, op.arity(), op.kind());
                assertEquals(List.of(), op.params(List.of(s.in())), op.kind() + ": a view has no parameters");
                assertEquals(s.in().size(), op.inferShape(List.of(s.in())).size(), op.kind() + ": a view keeps every value");
            }
        }
        assertEquals(Set.of("flatten", "dropout"), inference);
        assertEquals(Set.of("flatten"), training);
    }

    @Test
    void linearLayersChangeOnlyWhatTheirWithersSay() {
        for (Sample s : SAMPLES) {
            if (!(s.op() instanceof LinearLayer layer)) {
                Activation expected = s.op() instanceof Activate a ? a.activation() : null;
                assertEquals(expected, s.op().appliedActivation(), s.op().kind());
                continue;
            }
            assertEquals(layer.activation(), layer.appliedActivation());
            assertEquals(layer, layer.withActivation(layer.activation()));
            assertEquals(layer, layer.withBias(layer.bias()));
            LinearLayer elu = layer.withActivation(new Activation.Elu(0.5f));
            assertEquals(new Activation.Elu(0.5f), elu.activation());
            assertEquals(layer, elu.withActivation(layer.activation()), "only the activation changed");
            LinearLayer flipped = layer.withBias(!layer.bias());
            assertEquals(!layer.bias(), flipped.bias());
            assertNotEquals(layer.params(List.of(s.in())).size(), flipped.params(List.of(s.in())).size());
            assertEquals(layer, flipped.withBias(layer.bias()), "only the bias changed");
        }
    }

    @Test
    void weightLayoutsNameTheOutputChannelEachWeightFeeds() {
        // conv2d [F, C/groups, kh, kw] and dense [units, in]: the first index.
        int[] conv = {4, 2, 3, 3};
        for (int i = 0; i < 4 * 2 * 3 * 3; i++) {
            assertEquals(i / 18, CONV.outputChannelOf(conv, i));
        }
        Dense dense = new Dense(3, true, Activation.IDENTITY);
        for (int i = 0; i < 3 * 5; i++) {
            assertEquals(i / 5, dense.outputChannelOf(new int[] {3, 5}, i));
        }
        // conv_transpose2d [C, F/groups, kh, kw] with C = 4, F = 6, groups = 2: input channels 0-1
        // feed outputs 0-2, channels 2-3 feed outputs 3-5.
        ConvTranspose2d t = new ConvTranspose2d(6, 2, 2, 1, 1, 0, 0, 0, 0, 1, 1, 2, true, Activation.IDENTITY);
        int i = 0;
        for (int ic = 0; ic < 4; ic++) {
            for (int fl = 0; fl < 3; fl++) {
                for (int k = 0; k < 4; k++) {
                    assertEquals((ic < 2 ? 0 : 3) + fl, t.outputChannelOf(new int[] {4, 3, 2, 2}, i++));
                }
            }
        }
    }

    @Test
    void affineOpsStateTheirMapPerChannel() {
        Rescale r = new Rescale(0.5f, -1f);
        assertEquals(0.5, r.scaleOf(1));
        assertEquals(-1.0, r.shiftOf(1));
        Normalize n = new Normalize(List.of(0.5f, 2f), List.of(0.25f, 4f));
        // (x - 2) / 4 = 0.25 x - 0.5 on channel 1
        assertEquals(0.25, n.scaleOf(1));
        assertEquals(-0.5, n.shiftOf(1));
        assertEquals(4.0, n.scaleOf(0));
        assertEquals(-2.0, n.shiftOf(0));
    }

    @Test
    void paddingWithersChangeOnlyThePadding() {
        Padding p = Padding.Explicit.of(1, 2);
        assertEquals(p, CONV.withPadding(p).padding());
        assertEquals(CONV, CONV.withPadding(p).withPadding(CONV.padding()));
        assertEquals(p, POOL.withPadding(p).padding());
        assertEquals(POOL, POOL.withPadding(p).withPadding(POOL.padding()));
    }
}
