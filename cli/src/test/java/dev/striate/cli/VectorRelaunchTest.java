package dev.striate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code java -jar striate-cli.jar train ...} without the vector module runs again with it. */
class VectorRelaunchTest {
    private static final String[] TRAIN = {"train", "m.cnn", "--data", "mnist"};

    @Test
    void onlyTrainRelaunches() {
        assertTrue(VectorRelaunch.trains(TRAIN));
        assertFalse(VectorRelaunch.trains(new String[] {"evaluate", "m.cnn"}), "evaluate runs the scalar class");
        assertFalse(VectorRelaunch.trains(new String[] {"compile", "m.cnn"}));
        assertFalse(VectorRelaunch.trains(new String[0]));
    }

    @Test
    void theChildGetsTheModuleTheMarkerAndTheSameArguments() {
        List<String> cmd = VectorRelaunch.command(TRAIN);
        assertTrue(cmd.contains("--add-modules=jdk.incubator.vector"), cmd.toString());
        assertTrue(cmd.contains("-Dstriate.relaunched=true"), cmd.toString());
        assertEquals(List.of(Main.class.getName(), "train", "m.cnn", "--data", "mnist"),
                cmd.subList(cmd.size() - 5, cmd.size()));
    }

    @Test
    void aJvmWithoutTheModuleTrainsOnTheVectorKernel(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        SyntheticIdx.write(data, 64, 32);
        Path model = dir.resolve("bars.cnn");
        Files.writeString(model, SyntheticIdx.MODEL);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "train", model.toString(), "--data", data.toString(), "--epochs", "1", "--progress", "summary",
                "--no-checkpoint", "--no-test", "--out", dir.resolve("w.weights.json").toString())
                .redirectErrorStream(true);
        pb.environment().remove("STRIATE_KERNEL");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        assertTrue(out.contains("matrix kernel: vector (jdk.incubator.vector)"), out);
        assertTrue(Files.isRegularFile(dir.resolve("w.weights.json")), out);
    }
}
