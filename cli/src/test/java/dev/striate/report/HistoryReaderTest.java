package dev.striate.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.striate.diag.CompileException;
import dev.striate.diag.Diagnostic;
import dev.striate.train.EpochStats;
import dev.striate.train.TrainingLog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The history files {@code striate train --log} writes are read back exactly; bad ones are positioned errors. */
class HistoryReaderTest {
    @TempDir
    Path dir;

    @Test
    void readsTheCsvAndTheJsonLinesTheTrainerWrites() throws Exception {
        List<EpochStats> run = Histories.run(7, true);
        Path csv = Histories.write(dir.resolve("train.csv"), run);
        for (Path file : List.of(csv, TrainingLog.jsonLinesPath(csv))) {
            History h = HistoryReader.read(file);
            assertEquals(run.size(), h.epochs().size(), file.toString());
            for (int i = 0; i < run.size(); i++) {
                EpochStats s = run.get(i);
                History.Epoch e = h.epochs().get(i);
                assertEquals(s.epoch(), e.epoch());
                assertEquals(Histories.logged(s.trainLoss()), e.trainLoss());
                assertEquals(Histories.logged(s.trainAccuracy()), e.trainAccuracy());
                assertEquals(Histories.logged(s.valLoss()), e.valLoss());
                assertEquals(Histories.logged(s.valAccuracy()), e.valAccuracy());
            }
            assertTrue(h.hasValidation());
        }
    }

    @Test
    void aRunWithoutValidationHasNone() throws Exception {
        Path csv = Histories.write(dir.resolve("train.csv"), Histories.run(3, false));
        History h = HistoryReader.read(csv);
        assertFalse(h.hasValidation());
        assertTrue(Double.isNaN(h.epochs().get(0).valLoss()));
        assertFalse(HistoryReader.read(TrainingLog.jsonLinesPath(csv)).hasValidation());
    }

    @Test
    void testColumnsAreNeverRead() throws Exception {
        Path csv = write("h.csv", "epoch,train_loss,train_acc,test_loss,test_acc\n1,0.5,0.8,0.1,0.99\n");
        History h = HistoryReader.read(csv);
        assertEquals(1, h.epochs().size());
        assertFalse(h.hasValidation(), "a test column is not validation");
    }

    @Test
    void badFilesArePositionedErrors() throws Exception {
        String header = TrainingLog.HEADER + "\n";
        assertError("E711", ":3:11:", write("a.csv", header + "1,0.1,0.5,0.5,,,1,1\n2,0.1,0.4,NaN,,,1,1\n"));
        assertError("E711", ":2:1:", write("b.csv", header + "1,0.1,0.5\n"));
        assertError("E711", ":3:1:", write("c.csv", header + "2,0.1,0.5,0.5,,,1,1\n2,0.1,0.4,0.6,,,1,1\n"));
        assertError("E711", ":1:1:", write("d.csv", "epoch,loss,acc\n1,2,3\n"));
        assertError("E711", ":2:1:", write("e.jsonl", "{\"epoch\":1,\"train_loss\":0.5,\"train_acc\":0.5}\n[1]\n"));
        assertError("E711", ":1:1:", write("f.jsonl", "{\"epoch\":1,\"train_loss\":\"x\",\"train_acc\":0.5}\n"));
        assertError("E712", ": error:", write("g.csv", header));
        assertError("E710", ": error:", dir.resolve("missing.csv"));
        Path latin1 = dir.resolve("h.csv");
        Files.write(latin1, "epoch,train_loss,train_acc\n1,0.5,0.5 \u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        assertError("E710", ": error:", latin1);
    }

    private Path write(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text);
    }

    private static void assertError(String code, String position, Path file) {
        CompileException e = assertThrows(CompileException.class, () -> HistoryReader.read(file));
        Diagnostic d = e.diagnostics().get(0);
        assertEquals(code, d.code().code(), d.toString());
        assertTrue(d.toString().contains(file + position), d.toString());
    }
}
