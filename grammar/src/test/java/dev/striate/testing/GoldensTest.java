package dev.striate.testing;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** CI (CI=true) compares goldens and refuses -Dstriate.updateGoldens; elsewhere the flag rewrites them. */
class GoldensTest {
    @Test
    void ciRefusesToRewriteGoldens() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Goldens.update(true, "true"));
        assertTrue(e.getMessage().contains("-Dstriate.updateGoldens"), e.getMessage());
    }

    @Test
    void outsideCiTheFlagRewritesGoldens() {
        assertTrue(Goldens.update(true, null));
        assertTrue(Goldens.update(true, "false"));
    }

    @Test
    void withoutTheFlagGoldensAreCompared() {
        assertFalse(Goldens.update(false, "true"));
        assertFalse(Goldens.update(false, null));
    }
}
