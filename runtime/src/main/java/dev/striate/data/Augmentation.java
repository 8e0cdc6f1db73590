package dev.striate.data;

import java.util.SplittableRandom;

/**
 * Random, seeded changes to training images, applied in this order with draws from one
 * {@link SplittableRandom} per image: a rotation by an angle uniform in
 * {@code [-maxRotationDegrees, maxRotationDegrees]} (bilinear, zero outside), a shift by whole
 * pixels uniform in {@code [-maxShift, maxShift]} in each direction (zero fill: torchvision's
 * {@code RandomCrop(size, padding=maxShift)}), and a horizontal flip with probability 1/2.
 * A switched-off part draws nothing, so its presence does not change the other parts' draws.
 *
 * @param maxShift the largest shift (crop padding) in pixels, {@code >= 0}
 * @param horizontalFlip whether images are mirrored half of the time (not for digits)
 * @param maxRotationDegrees the largest rotation in degrees, in {@code [0, 180]}
 */
public record Augmentation(int maxShift, boolean horizontalFlip, double maxRotationDegrees) implements java.io.Serializable {
    /** No augmentation. */
    public static final Augmentation NONE = new Augmentation(0, false, 0);

    /** Checks the ranges. */
    public Augmentation {
        if (maxShift < 0) {
            throw new IllegalArgumentException("the shift must not be negative, got " + maxShift);
        }
        if (!(maxRotationDegrees >= 0 && maxRotationDegrees <= 180)) {
            throw new IllegalArgumentException("the rotation must be in [0, 180] degrees, got " + maxRotationDegrees);
        }
    }

    /** Whether this changes nothing. */
    public boolean isNone() {
        return maxShift == 0 && !horizontalFlip && maxRotationDegrees == 0;
    }

    /**
     * Augments the image at {@code values[offset ..]} in place; {@code scratch} holds at least one
     * image ({@code C*H*W} floats).
     */
    public void apply(float[] values, int offset, ImageShape shape, SplittableRandom rng, float[] scratch) {
        if (maxRotationDegrees > 0) {
            double degrees = (rng.nextDouble() * 2 - 1) * maxRotationDegrees;
            ImageOps.rotate(values, offset, shape, degrees, scratch, 0);
            System.arraycopy(scratch, 0, values, offset, shape.size());
        }
        if (maxShift > 0) {
            int dx = rng.nextInt(2 * maxShift + 1) - maxShift;
            int dy = rng.nextInt(2 * maxShift + 1) - maxShift;
            ImageOps.shift(values, offset, shape, dx, dy, scratch, 0);
            System.arraycopy(scratch, 0, values, offset, shape.size());
        }
        if (horizontalFlip && rng.nextBoolean()) {
            ImageOps.flipHorizontal(values, offset, shape, scratch, 0);
            System.arraycopy(scratch, 0, values, offset, shape.size());
        }
    }
}
