package dev.striate.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ProgressAndLogTest {
    private static final EpochStats WITH_VAL = new EpochStats(2, 0.001, 0.123456789, 0.9625, 0.0871, 0.975, 12.3456,
            4870.25);
    private static final EpochStats NO_VAL = new EpochStats(1, 0.1, 0.5, 0.5, Double.NaN, Double.NaN, 1, 100);

    @Test
    void drawsTheBarWithEtaLossAndAccuracy() {
        ProgressBar bar = new ProgressBar(null, TrainingConfig.ProgressMode.LINES, 5);
        bar.startEpoch(0, 100);
        assertEquals("epoch 1/5 [======>                 ] 25/100 ETA 0:30 loss 0.3000 acc 91.00%",
                bar.line(25, 25, 10.0, 0.3, 0.91));
        assertEquals("epoch 1/5 [========================] 100/100 ETA 0:00 loss 0.3000 acc 91.00%",
                bar.line(100, 100, 10.0, 0.3, 0.91));
        assertTrue(bar.line(0, 0, 0, 0, 0).contains("ETA -:--"));
    }

    @Test
    void redrawsInPlaceOnATerminalAndPrintsLinesOtherwise() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressBar terminal = new ProgressBar(new PrintStream(bytes, true, StandardCharsets.UTF_8),
                TrainingConfig.ProgressMode.TERMINAL, 1);
        terminal.startEpoch(0, 20);
        for (int b = 1; b <= 20; b++) {
            terminal.batch(b, b, b * 0.25, 1.0 / b, 0.5);
        }
        terminal.endEpoch(NO_VAL);
        String t = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(22, t.chars().filter(c -> c == '\r').count(), "20 redraws and one clearing: " + t);

        bytes.reset();
        terminal.startEpoch(0, 20);
        for (int b = 1; b <= 20; b++) {
            terminal.batch(b, b, b * 0.02, 1.0 / b, 0.5);
        }
        String fast = bytes.toString(StandardCharsets.UTF_8);
        long redraws = fast.chars().filter(c -> c == '\r').count();
        assertTrue(redraws >= 4 && redraws <= 6, "fast batches redraw at most ten times a second: " + redraws);
        assertTrue(fast.contains("20/20"), "the last batch is always drawn");
        assertEquals(1, t.chars().filter(c -> c == '\n').count(), "only the summary ends a line: " + t);

        bytes.reset();
        ProgressBar lines = new ProgressBar(new PrintStream(bytes, true, StandardCharsets.UTF_8),
                TrainingConfig.ProgressMode.LINES, 1);
        lines.startEpoch(0, 20);
        for (int b = 1; b <= 20; b++) {
            lines.batch(b, b, b * 0.1, 1.0 / b, 0.5);
        }
        String l = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(9, l.lines().count(), "a line every 2 batches except the last: " + l);
        assertTrue(!l.contains("\r"));
    }

    @Test
    void summarisesAnEpoch() {
        assertEquals("epoch 2/5  loss 0.1235  acc 96.25%  val_loss 0.0871  val_acc 97.50%  lr 0.00100  12.3s  4870 img/s",
                ProgressBar.summary(WITH_VAL, 5));
        assertEquals("epoch 1/1  loss 0.5000  acc 50.00%  lr 0.100  1.0s  100 img/s", ProgressBar.summary(NO_VAL, 1));
    }

    @Test
    void formatsDurations() {
        assertEquals("0:59", ProgressBar.duration(59.4));
        assertEquals("1:00", ProgressBar.duration(59.6));
        assertEquals("1:01:05", ProgressBar.duration(3665));
        assertEquals("-:--", ProgressBar.duration(Double.NaN));
    }

    @Test
    void writesLogRowsWithEmptyFieldsForMissingValidation() {
        assertEquals("2,0.001,0.123457,0.962500,0.087100,0.975000,12.346,4870.3", TrainingLog.csvLine(WITH_VAL));
        assertEquals("1,0.1,0.500000,0.500000,,,1.000,100.0", TrainingLog.csvLine(NO_VAL));
        assertEquals("{\"epoch\":1,\"lr\":0.1,\"train_loss\":0.500000,\"train_acc\":0.500000,\"val_loss\":null,"
                + "\"val_acc\":null,\"seconds\":1.000,\"images_per_s\":100.0}", TrainingLog.jsonLine(NO_VAL));
        assertEquals(Path.of("/tmp/run/train.jsonl"), TrainingLog.jsonLinesPath(Path.of("/tmp/run/train.csv")));
        assertEquals(Path.of("log.txt.jsonl"), TrainingLog.jsonLinesPath(Path.of("log.txt")));
    }
}
