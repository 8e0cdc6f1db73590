package dev.striate.importer.safetensors;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.striate.diag.CompileException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Corrupted safetensors files (random bytes changed, mostly in the length and header, or the file
 * cut short) are either imported or refused with a coded {@link CompileException}: never another
 * exception (an internal error).
 */
class CorruptSafetensorsTest {
    @TempDir
    Path tmp;

    @Test
    void randomChangesAreUserErrorsOrImports() throws IOException {
        Random random = new Random(7);
        int refused = 0;
        for (String name : new String[] {"bn_f32", "bn_bf16"}) {
            Path dir = SafetensorsFixturesTest.root().resolve(name);
            List<String> maps = SafetensorsFixturesTest.maps(dir);
            byte[] original = Files.readAllBytes(dir.resolve("weights.safetensors"));
            int headerEnd = 8 + (original[0] & 0xff) + ((original[1] & 0xff) << 8);
            for (int round = 0; round < 200; round++) {
                byte[] bytes = original.clone();
                if (round % 10 == 9) {
                    bytes = Arrays.copyOf(bytes, random.nextInt(bytes.length));
                } else {
                    int changes = 1 + random.nextInt(3);
                    for (int c = 0; c < changes; c++) {
                        int at = random.nextInt(4) == 0 ? random.nextInt(bytes.length) : random.nextInt(headerEnd);
                        bytes[at] = (byte) random.nextInt(256);
                    }
                }
                Path file = tmp.resolve(name + "_" + round + ".safetensors");
                Files.write(file, bytes);
                try {
                    StateDictImport.read(file, dir.resolve("model.cnn"), maps);
                } catch (CompileException e) {
                    refused++;
                } catch (RuntimeException | OutOfMemoryError e) {
                    StringBuilder where = new StringBuilder();
                    for (int i = 0; i < Math.min(6, e.getStackTrace().length); i++) {
                        where.append("\n  at ").append(e.getStackTrace()[i]);
                    }
                    fail(name + " round " + round + ": " + e + where);
                }
            }
        }
        assertTrue(refused > 100, "most corruptions must be caught, " + refused + " were");
    }
}
