package dev.striate.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.striate.ir.Activation;
import dev.striate.ir.Conv2d;
import dev.striate.ir.Graph;
import dev.striate.ir.Padding;
import dev.striate.ir.Pool2d;
import dev.striate.ir.Shape;
import dev.striate.testing.CompiledModel;
import dev.striate.testing.GraphBuilder;
import dev.striate.testing.ReferenceInterpreter;
import dev.striate.testing.Tolerance;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The blocked conv product's two loops, four rows a pass (taken from JDK 25) and two rows a pass
 * (JDK 17), give the same bits: the test runs on one JDK, so it compiles the generated class twice
 * with the {@code FOUR_ROW_PASSES} flag fixed to {@code true} and to {@code false}, and compares
 * both with each other and with the double-precision reference. Row counts (input channels x 9
 * taps) of every remainder modulo 4, output channels not a multiple of the block, one case fused
 * with its pool, one in bands; and the channel-inner product of small planes (two pixels a pass
 * with the flag, one without), in several weight blocks, with and without a fused pool; and the scalar
 * Winograd product (four input channels a pass with the flag, two without).
 */
class FourRowPassesTest {
    private static final String FLAG = "FOUR_ROW_PASSES = Runtime.version().feature() >= 25;";

    @ParameterizedTest(name = "{0} channels -> {1}, {2}x{2}, pool {3}")
    @CsvSource({"4, 6, 9, false", "5, 8, 9, false", "6, 5, 7, true", "7, 4, 10, false", "64, 8, 23, false",
            // the channel-inner product (planes of 13-64 pixels, >= 128 output channels): odd and even
            // pixel counts, rows in several weight blocks with a remainder of every kind modulo 4, a pool
            "7, 128, 7, false", "6, 130, 4, true", "13, 136, 5, false", "21, 256, 8, true", "3, 128, 6, false"})
    void fourAndTwoRowPassesGiveTheSameBits(int inC, int outC, int size, boolean pool) {
        check("Rows", 31L * inC + outC, Shape.chw(inC, size, size), outC, pool, false);
    }

    /**
     * The scalar Winograd product ({@code winogradProduct}): four tiles a pass, four channels a pass with the flag
     * and two without, the tiles left over one at a time (four channels); every count of tiles modulo 4 (20,
     * 25, 27, 36 and 21 tiles of 2x2), a block of channels with a remainder (132), one case fused with its pool.
     */
    @ParameterizedTest(name = "Winograd {0} channels -> {1}, {2}x{3}, pool {4}")
    @CsvSource({"64, 64, 8, 10, false", "68, 72, 9, 9, true", "64, 96, 6, 18, false", "132, 64, 12, 11, false",
            "64, 80, 6, 14, false"})
    void winogradFourAndTwoChannelPassesGiveTheSameBits(int inC, int outC, int h, int w, boolean pool) {
        check("Tiles", 37L * inC + outC + h, Shape.chw(inC, h, w), outC, pool, true);
    }

    /**
     * A 3x3 conv (padding 1, ReLU) of {@code in} to {@code outC} channels, with a 2x2 max pool when {@code pool}, in
     * the class compiled with the flag true and false: the same bits on random inputs, and the double reference's
     * values within the fixtures' tolerance; with {@code winograd} the layer must run as Winograd.
     */
    private static void check(String name, long seed, Shape in, int outC, boolean pool, boolean winograd) {
        GraphBuilder b = new GraphBuilder(name, seed);
        String x = b.input(in);
        String y = b.add("c", new Conv2d(outC, 3, 3, 1, 1, Padding.Explicit.of(1), 1, 1, 1, true, Activation.RELU), x);
        if (pool) {
            y = b.add("p", new Pool2d(Pool2d.Kind.MAX, 2, 2, 2, 2, Padding.VALID, true), y);
        }
        Graph g = b.build(y);
        List<GeneratedFile> files = JavaBackend.generate(g, new GenerateOptions("t." + name.toLowerCase(), name, false));
        if (winograd) {
            String src = new String(files.stream().filter(f -> f.kind() == GeneratedFile.Kind.SOURCE).findFirst()
                    .orElseThrow().content(), StandardCharsets.UTF_8);
            assertTrue(src.contains("winogradProduct("), "the layer runs as Winograd");
        }
        CompiledModel.Instance four = CompiledModel.compile(withFlag(files, true)).load();
        CompiledModel.Instance two = CompiledModel.compile(withFlag(files, false)).load();
        for (int trial = 0; trial < 3; trial++) {
            float[] input = b.randomInput(in.size());
            float[] a = four.predict(input);
            float[] c = two.predict(input);
            for (int i = 0; i < a.length; i++) {
                assertEquals(Float.floatToIntBits(c[i]), Float.floatToIntBits(a[i]), "output " + i);
            }
            Tolerance.assertClose(ReferenceInterpreter.run(g, input), a, "four a pass, trial " + trial);
        }
    }

    /** The files with the flag's initializer replaced by a constant (the source must have the flag). */
    private static List<GeneratedFile> withFlag(List<GeneratedFile> files, boolean value) {
        List<GeneratedFile> out = new ArrayList<>();
        boolean found = false;
        for (GeneratedFile f : files) {
            if (f.kind() == GeneratedFile.Kind.SOURCE) {
                String src = new String(f.content(), StandardCharsets.UTF_8);
                found |= src.contains(FLAG);
                src = src.replace(FLAG, "FOUR_ROW_PASSES = " + value + ";");
                out.add(new GeneratedFile(f.kind(), f.relativePath(), src.getBytes(StandardCharsets.UTF_8)));
            } else {
                out.add(f);
            }
        }
        assertTrue(found, "the generated class has no " + FLAG);
        return out;
    }
}
