package dev.striate.frontend.args;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Every named range at and beside its bounds, and what it says in messages. */
class RangeTest {
    private static final double[] NOT_FINITE = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};

    @Test
    void aFractionIncludesBothEnds() {
        assertTrue(Range.FRACTION.contains(0));
        assertTrue(Range.FRACTION.contains(-0.0));
        assertTrue(Range.FRACTION.contains(0.5));
        assertTrue(Range.FRACTION.contains(1));
        assertFalse(Range.FRACTION.contains(Math.nextUp(1.0)));
        assertFalse(Range.FRACTION.contains(-Double.MIN_VALUE));
        assertEquals("must be in [0, 1]", Range.FRACTION.describe());
    }

    @Test
    void aProperFractionStopsBelowOne() {
        assertTrue(Range.PROPER_FRACTION.contains(0));
        assertTrue(Range.PROPER_FRACTION.contains(Math.nextDown(1.0)));
        assertFalse(Range.PROPER_FRACTION.contains(1));
        assertFalse(Range.PROPER_FRACTION.contains(-Double.MIN_VALUE));
        assertEquals("must be in [0, 1)", Range.PROPER_FRACTION.describe());
    }

    @Test
    void signs() {
        assertFalse(Range.POSITIVE.contains(0));
        assertTrue(Range.POSITIVE.contains(Double.MIN_VALUE));
        assertTrue(Range.NON_NEGATIVE.contains(0));
        assertFalse(Range.NON_NEGATIVE.contains(-Double.MIN_VALUE));
        assertFalse(Range.NON_ZERO.contains(0));
        assertFalse(Range.NON_ZERO.contains(-0.0));
        assertTrue(Range.NON_ZERO.contains(-1e-30));
        assertTrue(Range.ANY.contains(-Double.MAX_VALUE));
        assertEquals("must be positive", Range.POSITIVE.describe());
        assertEquals("must not be negative", Range.NON_NEGATIVE.describe());
        assertEquals("must not be zero", Range.NON_ZERO.describe());
    }

    @Test
    void aClosedRangeIncludesItsEnds() {
        Range degrees = Range.closed(0, 180);
        assertTrue(degrees.contains(0));
        assertTrue(degrees.contains(180));
        assertFalse(degrees.contains(180.0001));
        assertFalse(degrees.contains(-0.0001));
        assertEquals("must be in [0, 180]", degrees.describe());
        assertEquals("must be in [0.5, 2.5]", Range.closed(0.5, 2.5).describe());
    }

    @Test
    void noRangeHoldsNanOrInfinity() {
        for (Range r : new Range[] {Range.ANY, Range.POSITIVE, Range.NON_NEGATIVE, Range.NON_ZERO, Range.FRACTION,
            Range.PROPER_FRACTION, Range.closed(-1e300, 1e300)}) {
            for (double x : NOT_FINITE) {
                assertFalse(r.contains(x), r + " holds " + x);
            }
        }
    }
}
