package dev.striate.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Index arithmetic for generated code drops {@code + 0}, {@code * 1} and terms of a loop that runs once. */
class LitTest {
    @Test
    void timesDropsOnesAndZerosAndBracketsSums() {
        assertEquals("ky", Lit.times("ky", 1));
        assertEquals("ky * 2", Lit.times("ky", 2));
        assertEquals("0", Lit.times("0", 3));
        assertEquals("0", Lit.times("ky", 0));
        assertEquals("(ic * 3 + ky) * 3", Lit.times("ic * 3 + ky", 3));
    }

    @Test
    void plusAndAddDropZeros() {
        assertEquals("oc", Lit.plus("oc", 0));
        assertEquals("oc + 4", Lit.plus("oc", 4));
        assertEquals("oy * 2 - 1", Lit.plus("oy * 2", -1));
        assertEquals("-1", Lit.plus("0", -1));
        assertEquals("kx", Lit.add("0", "kx"));
        assertEquals("g * 4", Lit.add("g * 4", "0"));
        assertEquals("g * 4 + f", Lit.add("g * 4", "f"));
    }

    @Test
    void aTapIndexOfOneByOneKernelsIsTheChannel() {
        String tap = Lit.add(Lit.times(Lit.add(Lit.times("ic", 1), "0"), 1), "0");
        assertEquals("ic + 1", Lit.plus(tap, 1));
    }
}
