package dev.striate.backend.layers;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeSpec;
import dev.striate.backend.MethodSplitter;
import dev.striate.ir.ConvGeometry;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * Winograd layers gathered across the images of a block in {@code runBatch}: each image's tiles are transformed
 * into one block-wide {@code V} (image {@code n}'s tiles after image {@code n - 1}'s), then each of the 16 GEMMs
 * runs once over the tiles of every image of the block, so each transformed weight vector loaded serves
 * {@code BATCH} times more tiles (the Fashion CNN's 7x7 layers have 16 tiles per image), then each image's output
 * transform and the layers up to the next gathered layer run image by image.
 *
 * <p>Bit for bit {@code run}'s results: every tile is a pixel of the GEMM whose lanes sum over the input channels
 * in order from zero in every micro-kernel, whichever block of tiles it falls into, and the transforms are the
 * single-image path's helpers ({@link SimdWinograd}'s phases). A layer is gathered only when no other value is live
 * across it (its input is the only value alive before it and dies there), so each image's state between two
 * gathered layers is its tiles in {@code V}/{@code M}: the value buffers are reused image by image as in
 * {@code run}. Taken at run time when every gathered layer runs Winograd on this JVM ({@code packed.u_m != null})
 * and {@code BATCH_CONV} is on (only with {@code -Dstriate.batchConv=true}: on a quiet AMD EPYC (1 MB L2 per core) the
 * gathered block was 1.25x the time of image by image, its per-image transforms writing to megabytes of block
 * scratch outside L2; docs/vector.md); otherwise {@code runBatch} runs image by image.
 */
final class SimdBatchConv {
    /**
     * The most tiles per image of a gathered layer: the Fashion CNN's 14x14 (49 tiles) and 7x7 (16) layers are;
     * the Go net's 19x19 (100 tiles per image, already long GEMMs, megabytes per gathered image) is not.
     */
    static final int MAX_TILES = 49;

    /** One gathered layer: the run step calling it, its method, buffers, tiles and channels. */
    record Layer(int step, String method, String in, String out, int tiles, int c, int f, CodeBlock copyIn,
                 CodeBlock transformIn, CodeBlock post, CodeBlock transformOut) {
    }

    private SimdBatchConv() {
    }

    /**
     * Whether the Winograd layer of geometry {@code g} being emitted, computing its first {@code needH x needW}
     * outputs (all of them, or the ones a fused pool reads), is gathered across a block's images.
     */
    static boolean worth(SimdClass c, ConvGeometry g, int needH, int needW) {
        long tiles = SimdWinograd.tiles(needH, needW);
        long most = 16L * SimdRunBatch.BATCH * tiles * Math.max(g.inC(), g.outC());
        return c.alone && tiles <= MAX_TILES && most <= SimdSizes.MAX_ARRAY;
    }

    /**
     * Records Winograd layer {@code m}, whose run step is about to be added, as gathered: {@code copyIn} fills its
     * padded input {@code xs}, {@code post} is what follows the transform in its method (activation, pool).
     */
    static void layer(SimdClass c, String m, CodeBlock copyIn, String xs, int wp, ConvGeometry g, int needH, int needW,
                      String target, String floor, CodeBlock post) {
        int th = (needH + 1) / 2;
        int tw = (needW + 1) / 2;
        int tiles = th * tw;
        CodeBlock in = CodeBlock.builder().addStatement("$L($L, $L, $L, $L, $L, wgBV, j * $L, $L)", SimdWinograd.TILES_IN,
                xs, wp, th, tw, g.inC(), tiles, SimdRunBatch.BATCH * tiles * g.inC()).build();
        CodeBlock out = CodeBlock.builder().addStatement("$L(wgBM, j * $L, $L, packed.b_$L, $L, $L, $L, $L, $L, $L, $L)",
                SimdWinograd.TILES_OUT, tiles, SimdRunBatch.BATCH * tiles * g.outC(), m, target, th, tw, g.outH(), g.outW(),
                g.outC(), floor).build();
        c.kernels.use(SimdWinograd.DRIVER);
        c.pendingBatchConv = new Layer(c.run.size(), m, null, null, tiles, g.inC(), g.outC(), copyIn, in, post, out);
    }

    /**
     * Adds {@code convBatch(inputs, outputs, from, to)} and its segment methods to {@code t}: per block of up to
     * {@code BATCH} images, segment 0 (the steps before the first gathered layer, then its input transform) per
     * image, the layer's GEMMs once, segment 1 (its output transform, the steps up to the next gathered layer, that
     * one's input transform) per image, and so on; the last segment ends the run ({@code denseRow}: the dense input
     * copied into row {@code j} of {@code batchA}, then {@code batchTail} runs the dense layers for the block).
     * Then {@code runBatch}: {@code convBatch} when every gathered layer runs Winograd on this JVM, else the dense
     * layers' {@code runBatchDense} (or {@code run} per image).
     */
    static void add(TypeSpec.Builder t, List<Layer> layers, List<MethodSplitter.Step> run, int end,
                         CodeBlock denseRow, boolean denseTail) {
        long v = 0;
        long mm = 0;
        for (Layer l : layers) {
            v = Math.max(v, 16L * SimdRunBatch.BATCH * l.tiles() * l.c());
            mm = Math.max(mm, 16L * SimdRunBatch.BATCH * l.tiles() * l.f());
        }
        t.addField(FieldSpec.builder(float[].class, "wgBV", Modifier.PRIVATE)
                .addJavadoc("The transformed tiles of a block of images ({@code convBatch}), made on its first call.\n")
                .initializer("new float[0]").build());
        t.addField(FieldSpec.builder(float[].class, "wgBM", Modifier.PRIVATE)
                .addJavadoc("The GEMM results of a block of images ({@code convBatch}), made on its first call.\n")
                .initializer("new float[0]").build());
        CodeBlock.Builder b = CodeBlock.builder()
                .beginControlFlow("if (wgBV.length < $L)", v).addStatement("wgBV = new float[$L]", v).endControlFlow()
                .beginControlFlow("if (wgBM.length < $L)", mm).addStatement("wgBM = new float[$L]", mm).endControlFlow()
                .beginControlFlow("for (int i = from; i < to; i += BATCH)")
                .addStatement("int nb = Math.min(BATCH, to - i)");
        CodeBlock.Builder ready = CodeBlock.builder().add("BATCH_CONV");
        for (int s = 0; s <= layers.size(); s++) {
            int first = s == 0 ? 0 : layers.get(s - 1).step() + 1;
            int last = s == layers.size() ? end : layers.get(s).step();
            CodeBlock.Builder seg = CodeBlock.builder().addStatement("boolean probabilities = true");
            if (s > 0) {
                Layer l = layers.get(s - 1);
                seg.addStatement("$L_batchOut($L, j)", l.method(), l.out());
                t.addMethod(MethodSpec.methodBuilder(l.method() + "_batchOut").addModifiers(Modifier.PRIVATE)
                        .addJavadoc("Layer {@code $L} after its gathered GEMMs: image {@code j}'s output transform, then what\n"
                                + "follows the transform in the layer method.\n", l.method())
                        .addParameter(float[].class, "out").addParameter(int.class, "j")
                        .addCode(l.transformOut()).addCode(l.post()).build());
            }
            MethodSplitter.Split split = MethodSplitter.split(new ArrayList<>(run.subList(first, last)),
                    new MethodSplitter.Shape("convBatch" + s + "_", n -> MethodSpec.methodBuilder(n)
                            .addModifiers(Modifier.PRIVATE).addParameter(float[].class, "input")
                            .addParameter(float[].class, "output").addParameter(boolean.class, "probabilities"),
                            "$L(input, output, probabilities)", 7, null), "a segment of a block's images");
            split.chunks().forEach(t::addMethod);
            seg.add(split.body(null));
            if (s < layers.size()) {
                Layer l = layers.get(s);
                ready.add(" && packed.u_$L != null", l.method());
                seg.addStatement("$L_batchIn($L, j)", l.method(), l.in());
                t.addMethod(MethodSpec.methodBuilder(l.method() + "_batchIn").addModifiers(Modifier.PRIVATE)
                        .addJavadoc("Layer {@code $L} before its gathered GEMMs: image {@code j}'s input transform into\n"
                                + "{@code wgBV}.\n", l.method())
                        .addParameter(float[].class, "in").addParameter(int.class, "j")
                        .addCode(l.copyIn()).addCode(l.transformIn()).build());
            } else if (denseTail) {
                seg.add(denseRow);
            }
            t.addMethod(MethodSpec.methodBuilder("convBatch" + s).addModifiers(Modifier.PRIVATE)
                    .addJavadoc("Segment $L of {@code convBatch} for image {@code j} of the block.\n", s)
                    .addParameter(float[].class, "input").addParameter(float[].class, "output")
                    .addParameter(int.class, "j").addCode(seg.build()).build());
            b.beginControlFlow("for (int j = 0; j < nb; j++)")
                    .addStatement("convBatch$L(inputs[i + j], outputs[i + j], j)", s)
                    .endControlFlow();
            if (s < layers.size()) {
                Layer l = layers.get(s);
                b.addStatement("$L(wgBV, $L, nb * $L, $L, packed.u_$L, wgBM, $L, $L, spill)", SimdWinograd.GEMMS,
                        SimdRunBatch.BATCH * l.tiles() * l.c(), l.tiles(), l.c(), l.method(),
                        SimdRunBatch.BATCH * l.tiles() * l.f(), l.f());
            }
        }
        if (denseTail) {
            b.addStatement("batchTail(outputs, i, nb)");
        }
        b.endControlFlow();
        t.addField(FieldSpec.builder(boolean.class, "BATCH_CONV", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("Whether {@code runBatch} gathers its Winograd layers across a block's images ({@code convBatch}):\n"
                        + "only with the system property {@code striate.batchConv=true} (off by default: image by image was\n"
                        + "faster where measured quietly, docs/vector.md).\n")
                .initializer("$T.getBoolean($S)", Boolean.class, "striate.batchConv").build());
        t.addMethod(MethodSpec.methodBuilder("convBatch").addModifiers(Modifier.PRIVATE)
                .addJavadoc("Images {@code from .. to - 1} of {@code inputs} into {@code outputs}, with probabilities, in blocks\n"
                        + "of {@code BATCH}, each gathered Winograd layer's GEMMs once per block: every image's result bit\n"
                        + "for bit that of {@code run}.\n")
                .addParameters(SimdRunBatch.blockParameters())
                .addCode(b.build()).build());
        CodeBlock.Builder r = CodeBlock.builder().beginControlFlow("if ($L)", ready.build())
                .addStatement("convBatch(inputs, outputs, from, to)").addStatement("return").endControlFlow();
        if (denseTail) {
            r.addStatement("runBatchDense(inputs, outputs, from, to)");
        } else {
            r.beginControlFlow("for (int i = from; i < to; i++)").addStatement("run(inputs[i], outputs[i], true)")
                    .endControlFlow();
        }
        t.addMethod(MethodSpec.methodBuilder("runBatch")
                .addJavadoc("Images {@code from .. to - 1} of {@code inputs} into {@code outputs}, with probabilities: its\n"
                        + "Winograd layers gathered across blocks of images where they run, every result bit for bit\n"
                        + "that of {@code run}.\n")
                .addParameters(SimdRunBatch.blockParameters())
                .addCode(r.build()).build());
    }
}
