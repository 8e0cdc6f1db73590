package dev.striate.testing;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.TreeMap;

/**
 * Measures what an instance of a generated class holds, by reflection on the loaded object:
 * the floats of each instance field that is a {@code float[]} or a {@code float[][]} (the sum
 * of its rows), by field name. Independent of the code that decides the allocation.
 */
public final class InstanceArrays {
    private InstanceArrays() {
    }

    /** Floats per array field of {@code instance}, by field name, sorted; fails on any other array field. */
    public static Map<String, Long> floatsByField(Object instance) {
        Map<String, Long> floats = new TreeMap<>();
        for (Field f : instance.getClass().getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) || !f.getType().isArray()) {
                continue;
            }
            f.setAccessible(true);
            Object value;
            try {
                value = f.get(instance);
            } catch (IllegalAccessException e) {
                throw new AssertionError(e);
            }
            if (value instanceof float[] a) {
                floats.put(f.getName(), (long) a.length);
            } else if (value instanceof float[][] rows) {
                long n = 0;
                for (float[] r : rows) {
                    n += r.length;
                }
                floats.put(f.getName(), n);
            } else {
                throw new AssertionError("unexpected array field " + f.getName() + " of type " + f.getType());
            }
        }
        return floats;
    }
}
