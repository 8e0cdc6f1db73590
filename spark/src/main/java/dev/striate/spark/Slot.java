package dev.striate.spark;

import java.io.Serializable;

/** A sample placed in an epoch: its position in the epoch's shuffled order. */
record Slot(int position, Sample sample) implements Serializable {
}
