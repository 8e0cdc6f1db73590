package dev.striate.backend.layers;

import dev.striate.ir.Conv2d;
import dev.striate.ir.ConvGeometry;
import dev.striate.ir.Shape;

/** Whether the arrays a vector layer allocates fit in a Java array (else the layer runs its scalar method). */
final class SimdSizes {
    /** The largest array length the JVM allocates (a few below {@code Integer.MAX_VALUE}). */
    static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    private SimdSizes() {
    }

    /**
     * Whether the arrays a vector conv allocates fit in a Java array: its zero-padded HWC input copy
     * (which no model tensor bounds: large explicit padding makes it far bigger than the input) and its
     * weights packed for the widest vector the Vector API has. A layer that does not fit runs the scalar
     * method, which needs neither.
     */
    static boolean convFits(Conv2d op, Shape in, Shape out) {
        ConvGeometry g = ConvGeometry.of(op, in, out);
        long hp = Math.max((long) g.inH() + g.padTop(), (long) (g.outH() - 1) * g.sh() + (long) (g.kh() - 1) * g.dh() + 1);
        long wp = Math.max((long) g.inW() + g.padLeft(), (long) (g.outW() - 1) * g.sw() + (long) (g.kw() - 1) * g.dw() + 1);
        long k = (long) g.inC() / op.groups() * g.kh() * g.kw();
        return times(times(hp, wp), g.inC()) + VectorEmitters.MAX_LANES <= MAX_ARRAY
                && times(lanesUp(g.outC()), k) <= MAX_ARRAY;
    }

    /** Whether a dense layer's weights packed for the widest vector fit in a Java array. */
    static boolean denseFits(int units, int inputs) {
        return times(lanesUp(units), inputs) <= MAX_ARRAY;
    }

    /** {@code n} rounded up to whole vectors of the widest species. */
    static long lanesUp(long n) {
        return (n + VectorEmitters.MAX_LANES - 1) / VectorEmitters.MAX_LANES * VectorEmitters.MAX_LANES;
    }

    /** {@code a * b} for non-negative sizes, saturated above {@link #MAX_ARRAY}. */
    static long times(long a, long b) {
        return a != 0 && b > MAX_ARRAY / a ? MAX_ARRAY + 1 : a * b;
    }

}
