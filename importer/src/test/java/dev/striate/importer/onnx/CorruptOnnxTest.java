package dev.striate.importer.onnx;

import static org.junit.jupiter.api.Assertions.fail;

import dev.striate.diag.CompileException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Corrupted ONNX files (random bytes changed in real PyTorch exports) are either imported or
 * refused with a coded {@link CompileException}: never another exception (an internal error).
 */
class CorruptOnnxTest {
    @TempDir
    Path tmp;

    @Test
    void randomByteChangesAreUserErrorsOrImports() throws IOException {
        Random random = new Random(12);
        for (String name : new String[] {"branches_op11", "grouped_op13", "tf_same_op13", "pools_op11"}) {
            byte[] original = Files.readAllBytes(OnnxFixturesTest.root().resolve(name).resolve("model.onnx"));
            for (int round = 0; round < 150; round++) {
                byte[] bytes = original.clone();
                int changes = 1 + random.nextInt(4);
                for (int c = 0; c < changes; c++) {
                    // most of a model file is weights; aim half of the changes at the graph's start
                    int at = random.nextBoolean() ? random.nextInt(Math.min(bytes.length, 600)) : random.nextInt(bytes.length);
                    bytes[at] = (byte) random.nextInt(256);
                }
                Path file = tmp.resolve(name + "_" + round + ".onnx");
                Files.write(file, bytes);
                try {
                    OnnxImport.read(file, null);
                } catch (CompileException e) {
                    // a user error with a code: fine
                } catch (RuntimeException | StackOverflowError e) {
                    StringBuilder where = new StringBuilder();
                    for (int i = 0; i < Math.min(6, e.getStackTrace().length); i++) {
                        where.append("\n  at ").append(e.getStackTrace()[i]);
                    }
                    fail(name + " round " + round + ": " + e + where);
                }
            }
        }
    }
}
