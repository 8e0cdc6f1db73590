package dev.striate.testing;

/**
 * Whether golden tests rewrite their goldens: {@code -Dstriate.updateGoldens=true}, refused on CI.
 * The one copy of this rule: the grammar's, compiler's and CLI's golden tests all ask here (the
 * grammar module publishes it in its test-jar).
 */
public final class Goldens {
    private Goldens() {
    }

    /** -Dstriate.updateGoldens, refused on CI (CI=true), which must compare goldens, never rewrite them. */
    public static boolean update() {
        return update(Boolean.getBoolean("striate.updateGoldens"), System.getenv("CI"));
    }

    /**
     * The rule itself, for a requested update and the value of the {@code CI} environment variable
     * (null when unset).
     *
     * @throws IllegalStateException when an update is requested on CI
     */
    static boolean update(boolean requested, String ciVariable) {
        if (requested && "true".equals(ciVariable)) {
            throw new IllegalStateException("CI must compare the goldens, not rewrite them: drop -Dstriate.updateGoldens");
        }
        return requested;
    }
}
