package dev.striate.spark;

import java.io.Serializable;

/**
 * A sample placed in an epoch: its position in the epoch's shuffled order, or, for a validation
 * row ({@code held}), its index in the validation rows (their order, which evaluation keeps).
 */
record Slot(int position, Sample sample, boolean held) implements Serializable {
}
