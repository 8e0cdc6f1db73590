package dev.striate.testing;

/** Whether golden tests rewrite their goldens: {@code -Dstriate.updateGoldens=true}, refused on CI. */
public final class Goldens {
    private Goldens() {
    }

    /** -Dstriate.updateGoldens, refused on CI (CI=true), which must compare goldens, never rewrite them. */
    public static boolean update() {
        boolean update = Boolean.getBoolean("striate.updateGoldens");
        if (update && "true".equals(System.getenv("CI"))) {
            throw new IllegalStateException("CI must compare the goldens, not rewrite them: drop -Dstriate.updateGoldens");
        }
        return update;
    }
}
