package dev.striate.passes;

import dev.striate.ir.Activate;
import dev.striate.ir.Activation;
import dev.striate.ir.BatchNorm;
import dev.striate.ir.Conv2d;
import dev.striate.ir.ConvTranspose2d;
import dev.striate.ir.Dense;
import dev.striate.ir.Normalize;
import dev.striate.ir.Padding;
import dev.striate.ir.Rescale;
import java.util.List;

/** Short constructors for the ops the pass tests use. */
final class Ops {
    private Ops() {
    }

    static Conv2d conv(int filters, int k, Padding p, boolean bias, Activation a) {
        return new Conv2d(filters, k, k, 1, 1, p, 1, 1, 1, bias, a);
    }

    static Conv2d conv(int filters, int k) {
        return conv(filters, k, Padding.VALID, true, Activation.IDENTITY);
    }

    static Conv2d grouped(int filters, int k, int groups, Padding p) {
        return new Conv2d(filters, k, k, 2, 1, p, 1, 2, groups, true, Activation.IDENTITY);
    }

    static ConvTranspose2d convT(int filters, int k, int groups, boolean bias) {
        return new ConvTranspose2d(filters, k, k, 2, 2, 1, 1, 1, 1, 1, 1, groups, bias, Activation.IDENTITY);
    }

    static Dense dense(int units, boolean bias, Activation a) {
        return new Dense(units, bias, a);
    }

    static BatchNorm bn() {
        return new BatchNorm(1e-3f, 0.1f);
    }

    static Activate act(Activation a) {
        return new Activate(a);
    }

    static Activate relu() {
        return act(Activation.RELU);
    }

    static Normalize normalize(List<Float> mean, List<Float> std) {
        return new Normalize(mean, std);
    }

    static Rescale rescale(float scale, float offset) {
        return new Rescale(scale, offset);
    }
}
