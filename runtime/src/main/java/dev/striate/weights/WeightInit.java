package dev.striate.weights;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.SplittableRandom;

/**
 * Seeded weight initializers over {@code float[]}, with PyTorch's conventions
 * ({@code torch.nn.init}): for a weight of shape {@code [d0, d1, k...]} the receptive field is
 * the product of {@code k...}, {@code fan_in = d1 * receptive} and {@code fan_out = d0 * receptive}.
 * <ul>
 *   <li>Glorot (Xavier) uniform: {@code U(-a, a)}, {@code a = sqrt(6 / (fan_in + fan_out))};
 *       normal: {@code N(0, 2 / (fan_in + fan_out))}.</li>
 *   <li>He (Kaiming, gain {@code sqrt(2)}, mode fan_in) uniform: {@code a = sqrt(6 / fan_in)};
 *       normal: {@code N(0, 2 / fan_in)}.</li>
 * </ul>
 * Randomness comes from a {@link SplittableRandom} (SplitMix64): uniform values are
 * {@code -a + 2a * nextDouble()}, rounded to float; normal values use the Box-Muller transform
 * with {@link StrictMath}, so a seed gives the same bits on every JVM. {@link #stream(long, String)}
 * derives an independent stream per tensor name, so adding a layer leaves the others unchanged.
 */
public final class WeightInit {
    private WeightInit() {
    }

    /** PyTorch's fan-in: {@code shape[1]} times the receptive field; needs at least two dimensions. */
    public static int fanIn(int[] shape) {
        int r = receptiveField(shape);
        return shape[1] * r;
    }

    /** PyTorch's fan-out: {@code shape[0]} times the receptive field; needs at least two dimensions. */
    public static int fanOut(int[] shape) {
        int r = receptiveField(shape);
        return shape[0] * r;
    }

    private static int receptiveField(int[] shape) {
        if (shape.length < 2) {
            throw new IllegalArgumentException("fan in and fan out need a tensor of at least 2 dimensions, got "
                    + shape.length);
        }
        int r = 1;
        for (int i = 2; i < shape.length; i++) {
            r = Math.multiplyExact(r, shape[i]);
        }
        return r;
    }

    /** The bound {@code a} of Glorot uniform: {@code sqrt(6 / (fan_in + fan_out))}. */
    public static double glorotBound(int[] shape) {
        return Math.sqrt(6.0 / ((double) fanIn(shape) + fanOut(shape)));
    }

    /** The bound {@code a} of He uniform: {@code sqrt(6 / fan_in)}. */
    public static double heBound(int[] shape) {
        return Math.sqrt(6.0 / fanIn(shape));
    }

    /** Fills {@code out} (laid out as {@code shape}) with Glorot uniform values. */
    public static void glorotUniform(float[] out, int[] shape, SplittableRandom rng) {
        uniform(out, glorotBound(shape), rng);
    }

    /** Fills {@code out} with Glorot normal values, standard deviation {@code sqrt(2 / (fan_in + fan_out))}. */
    public static void glorotNormal(float[] out, int[] shape, SplittableRandom rng) {
        normal(out, Math.sqrt(2.0 / ((double) fanIn(shape) + fanOut(shape))), rng);
    }

    /** Fills {@code out} with He uniform values. */
    public static void heUniform(float[] out, int[] shape, SplittableRandom rng) {
        uniform(out, heBound(shape), rng);
    }

    /** Fills {@code out} with He normal values, standard deviation {@code sqrt(2 / fan_in)}. */
    public static void heNormal(float[] out, int[] shape, SplittableRandom rng) {
        normal(out, Math.sqrt(2.0 / fanIn(shape)), rng);
    }

    /** Fills {@code out} with values uniform in {@code [-bound, bound]}. */
    public static void uniform(float[] out, double bound, SplittableRandom rng) {
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (-bound + 2 * bound * rng.nextDouble());
        }
    }

    /** Fills {@code out} with normal values of mean 0 and standard deviation {@code std} (Box-Muller). */
    public static void normal(float[] out, double std, SplittableRandom rng) {
        for (int i = 0; i < out.length; i += 2) {
            double u1 = 1.0 - rng.nextDouble(); // (0, 1]: log is finite
            double u2 = rng.nextDouble();
            double r = StrictMath.sqrt(-2.0 * StrictMath.log(u1));
            double theta = 2 * Math.PI * u2;
            out[i] = (float) (std * r * StrictMath.cos(theta));
            if (i + 1 < out.length) {
                out[i + 1] = (float) (std * r * StrictMath.sin(theta));
            }
        }
    }

    /**
     * An independent random stream for one tensor: seeded with the first 8 bytes of
     * SHA-256(seed as 8 big-endian bytes, then the name in UTF-8).
     */
    public static SplittableRandom stream(long seed, String tensorName) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(ByteBuffer.allocate(Long.BYTES).putLong(seed).array());
            md.update(tensorName.getBytes(StandardCharsets.UTF_8));
            return new SplittableRandom(ByteBuffer.wrap(md.digest()).getLong());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
