package dev.striate.spark;

import java.io.Serializable;

/** A training sample: its index in the data (row order), its class and the model's input values. */
record Sample(long index, int label, float[] values) implements Serializable {
}
