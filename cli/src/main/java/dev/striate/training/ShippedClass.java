package dev.striate.training;

import dev.striate.Compiler;
import dev.striate.backend.GenerateOptions;
import dev.striate.backend.GeneratedFile;
import dev.striate.backend.train.InProcessCompiler;
import dev.striate.backend.train.TrainerBackend;
import dev.striate.ir.Activation;
import dev.striate.ir.Graph;
import dev.striate.train.Loss;
import dev.striate.train.Predictor;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The class {@code striate compile} writes for a model (scalar variant, same passes, weights in its
 * resource blob), compiled and loaded in process, so that {@code striate evaluate} measures the
 * code that ships rather than the trainer's forward pass. Each {@link #newInstance()} is a
 * {@code load()}ed instance: one per thread.
 */
public final class ShippedClass {
    private static final String PACKAGE = "dev.striate.evaluated";
    private static final MethodType PREDICT = MethodType.methodType(void.class, float[].class, float[].class);

    private static final MethodType PIXELS = MethodType.methodType(float[].class, float[].class);

    private final Graph bound;
    private final MethodHandle load;
    private final MethodHandle predict;
    private final MethodHandle pixels;

    private ShippedClass(Graph bound, MethodHandle load, MethodHandle predict, MethodHandle pixels) {
        this.bound = bound;
        this.load = load;
        this.predict = predict;
        this.pixels = pixels;
    }

    /** Generates and compiles the class for {@code bound} (a model with its weights bound). */
    public static ShippedClass compile(Graph bound) {
        String className = bound.name();
        List<GeneratedFile> files = Compiler.generateClass(bound, new GenerateOptions(PACKAGE, className, false));
        return load(bound, files, PACKAGE + "." + className);
    }

    /**
     * Compiles {@code files} (what {@code striate compile} or {@code check} generated for {@code bound})
     * in memory and loads the class {@code binaryName}.
     */
    public static ShippedClass load(Graph bound, List<GeneratedFile> files, String binaryName) {
        Class<?> type = InProcessCompiler.compile(files, binaryName);
        try {
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            MethodHandle load = lookup.findStatic(type, "load", MethodType.methodType(type))
                    .asType(MethodType.methodType(Object.class));
            MethodHandle predict = lookup.findVirtual(type, "predict", PREDICT)
                    .asType(MethodType.methodType(void.class, Object.class, float[].class, float[].class));
            // raw pixels: predictPixels when the train block normalized the data, else predict (the model's
            // own layers scale the pixels)
            boolean normalizes = bound.pixelNormalization() != null;
            MethodHandle pixels = lookup.findVirtual(type, normalizes ? "predictPixels" : "predict", PIXELS)
                    .asType(MethodType.methodType(float[].class, Object.class, float[].class));
            return new ShippedClass(bound, load, predict, pixels);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the generated class lacks load(), predict or predictPixels", e);
        }
    }

    /**
     * A new instance (its {@code load()}) taking one image's pixel values {@code 0..255}, channel-major,
     * through the class's {@code predictPixels} when it has one, else its {@code predict}.
     */
    public UnaryOperator<float[]> newPixelInstance() {
        Object instance = newObject();
        return input -> {
            try {
                return (float[]) pixels.invokeExact(instance, input);
            } catch (Throwable t) {
                throw rethrow(t);
            }
        };
    }

    private Object newObject() {
        try {
            return (Object) load.invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** A new instance of the class (its {@code load()}), seen as a {@link Predictor}. */
    public Predictor newInstance() {
        Object instance = newObject();
        return (input, output) -> {
            try {
                predict.invokeExact(instance, input, output);
            } catch (Throwable t) {
                throw rethrow(t);
            }
        };
    }

    /**
     * {@code loss} (as training uses it) applied to the class's outputs. When the trainer leaves out
     * a final softmax or sigmoid for the loss to fuse, the class's probabilities become logits again
     * ({@code ln p}, or {@code ln p - ln(1 - p)} for a sigmoid), with each probability kept off 0 and
     * 1 by the float spacing there ({@link Float#MIN_VALUE}, 2^-24), so a saturated output adds a
     * large but finite loss.
     */
    public Loss lossOnOutputs(Loss loss) {
        Activation dropped = TrainingRun.trainerOptions(loss).logits() ? TrainerBackend.logitsDrop(bound) : null;
        if (dropped == null) {
            return loss;
        }
        boolean sigmoid = dropped instanceof Activation.Sigmoid;
        return (outputs, targets, dense, n, k, dOutputs) -> {
            float[] logits = new float[n * k];
            for (int i = 0; i < n * k; i++) {
                double p = Math.max(outputs[i], Float.MIN_VALUE);
                logits[i] = (float) (sigmoid ? Math.log(p) - Math.log(Math.max(1 - p, 0x1p-24)) : Math.log(p));
            }
            return loss.forwardBackward(logits, targets, dense, n, k, dOutputs);
        };
    }

    /** {@code t} to throw: itself when unchecked (an {@link Error} is thrown here), else wrapped. */
    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof Error e) {
            throw e;
        }
        return t instanceof RuntimeException r ? r : new IllegalStateException(t.getMessage(), t);
    }
}
