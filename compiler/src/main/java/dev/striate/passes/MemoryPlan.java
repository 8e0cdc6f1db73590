package dev.striate.passes;

import java.util.List;
import java.util.Map;

/**
 * Where each value of a graph lives while the generated {@code predict} runs, as planned by
 * {@link PlanMemory}: the model input stays in the caller's input array ({@link #INPUT}), the
 * output is written straight into the caller's output array ({@link #OUTPUT}), views share their
 * input's storage, and every other value gets one of the reused scratch buffers
 * {@code buf0, buf1, ...}: the generated class allocates these (with its scratch rows and result,
 * see {@code backend.ClassFootprint}). Also carries the numbers the pass log reports: scratch
 * without planning (one buffer per value), the peak of simultaneously live values, and what the
 * plan allocates.
 */
public final class MemoryPlan {
    /** Storage of the model input: the caller's array. */
    public static final String INPUT = "input";
    /** Storage of the model output: the caller's array. */
    public static final String OUTPUT = "output";

    private final Map<String, String> storage;
    private final List<Integer> bufferSizes;
    private final String inputRoot;
    private final String outputRoot;
    private final long unplannedFloats;
    private final long peakLiveFloats;

    MemoryPlan(Map<String, String> storage, List<Integer> bufferSizes, String inputRoot, String outputRoot,
               long unplannedFloats, long peakLiveFloats) {
        this.storage = Map.copyOf(storage);
        this.bufferSizes = List.copyOf(bufferSizes);
        this.inputRoot = inputRoot;
        this.outputRoot = outputRoot;
        this.unplannedFloats = unplannedFloats;
        this.peakLiveFloats = peakLiveFloats;
    }

    /** The array holding node {@code name}'s value: {@code input}, {@code output} or {@code bufK}. */
    public String storageOf(String name) {
        String s = storage.get(name);
        if (s == null) {
            throw new IllegalArgumentException("no storage planned for " + name);
        }
        return s;
    }

    /** Sizes in floats of the scratch buffers {@code buf0, buf1, ...}. */
    public List<Integer> bufferSizes() {
        return bufferSizes;
    }

    /** True when the output is the input itself (only views between them): predict must copy. */
    public boolean outputIsInput() {
        return outputRoot.equals(inputRoot);
    }

    /** The node whose computation writes the output (the output node, or the node it is a view of). */
    public String outputRoot() {
        return outputRoot;
    }

    /** Scratch floats without reuse: one buffer per computed value other than the output. */
    public long unplannedFloats() {
        return unplannedFloats;
    }

    /** The most scratch floats live at one time: no plan can use less. */
    public long peakLiveFloats() {
        return peakLiveFloats;
    }

    /** Scratch floats this plan allocates (the sum of {@link #bufferSizes()}). */
    public long plannedFloats() {
        long sum = 0;
        for (int s : bufferSizes) {
            sum += s;
        }
        return sum;
    }

    /** {@code scratch 1234 B unplanned -> 567 B planned (peak live 560 B, 2 buffers)}. */
    @Override
    public String toString() {
        return "scratch " + unplannedFloats * Float.BYTES + " B unplanned -> " + plannedFloats() * Float.BYTES
                + " B planned (peak live " + peakLiveFloats * Float.BYTES + " B, " + bufferSizes.size() + " buffers)";
    }
}
