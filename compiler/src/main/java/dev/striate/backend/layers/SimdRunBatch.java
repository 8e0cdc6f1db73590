package dev.striate.backend.layers;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterSpec;
import com.palantir.javapoet.TypeSpec;
import dev.striate.text.JavaText;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * The {@code runBatch} method of the nested vector class, which runs a block of images at once: the model's last
 * dense layers as one product per block, and the Winograd layers gathered across the block's images
 * ({@link SimdBatchConv}).
 */
final class SimdRunBatch {
    private SimdRunBatch() {
    }

    /**
     * A dense layer of the model's last run of dense layers (see {@link SimdClass#runsBatches}): its method, the buffer
     * holding its input after {@code run}'s earlier steps, its sizes, the body of its batch method
     * {@code methodBatch(in, out, nb)} (one product over {@code nb} images whose inputs are rows of {@code in}),
     * and the enclosing class's softmax step for its result, or null.
     */
    record BatchDense(String method, String input, int inputs, int units, CodeBlock body, String softmax) {
    }

    /** Images per block of {@code runBatch}: the rows of its dense products. */
    static final int BATCH = 8;
    /**
     * The fewest weights of the last dense layers for which {@code runBatch} is made: below (tiny_resnet's
     * 16 x 10), reading them once per image costs nothing worth the copies into the block's rows.
     */
    static final int MIN_BATCH_WEIGHTS = 4096;

    /**
     * Whether the run ends with dense layers that {@code runBatch} runs as one product over a block of images
     * (each weight read once per block instead of once per image): at least {@link #MIN_BATCH_WEIGHTS} weights,
     * only the last may have a softmax, and its result must be the model's output.
     */
    static boolean batchable(SimdClass c, String result) {
        if (c.tail.isEmpty()) {
            return false;
        }
        for (int i = 0; i < c.tail.size() - 1; i++) {
            if (c.tail.get(i).softmax() != null) {
                return false;
            }
        }
        long weights = 0;
        for (BatchDense d : c.tail) {
            weights += (long) d.inputs() * d.units();
        }
        return weights >= MIN_BATCH_WEIGHTS && result.equals(SimdClass.OUTPUT)
                && (c.tailStart == 0 || !c.tail.get(0).input().equals("input"));
    }

    /**
     * {@code runBatch}: per block of up to {@link #BATCH} images, the steps before the dense layers for each
     * image (its dense input copied into a row of {@code batchA}), then each dense layer once for the block,
     * then each image's row copied to its output (and its softmax). Each row is computed exactly as
     * {@code run} computes the image (the same kernel, weights, order of sums): the same results, bit for bit.
     */
    static void addBatch(SimdClass c, TypeSpec.Builder t, int floats, String name) {
        for (String f : new String[] {"batchA", "batchB"}) {
            t.addField(FieldSpec.builder(float[].class, f, Modifier.PRIVATE, Modifier.FINAL)
                    .initializer("new float[$L]", BATCH * floats).build());
        }
        BatchDense first = c.tail.get(0);
        BatchDense last = c.tail.get(c.tail.size() - 1);
        CodeBlock.Builder b = CodeBlock.builder()
                .beginControlFlow("for (int i = from; i < to; i += BATCH)")
                .addStatement("int nb = Math.min(BATCH, to - i)")
                .beginControlFlow("for (int j = 0; j < nb; j++)");
        if (first.input().equals("input")) {
            b.addStatement("System.arraycopy(inputs[i + j], 0, batchA, j * $L, $L)", first.inputs(), first.inputs());
        } else {
            b.addStatement("prefix(inputs[i + j])")
                    .addStatement("System.arraycopy($L, 0, batchA, j * $L, $L)", first.input(), first.inputs(), first.inputs());
        }
        b.endControlFlow().addStatement("batchTail(outputs, i, nb)").endControlFlow();
        CodeBlock.Builder tb = CodeBlock.builder();
        String from = "batchA";
        String to = "batchB";
        for (BatchDense d : c.tail) {
            tb.addStatement("$LBatch($L, $L, nb)", d.method(), from, to);
            t.addMethod(MethodSpec.methodBuilder(d.method() + "Batch")
                    .addModifiers(Modifier.PRIVATE)
                    .addJavadoc("Layer {@code $L} on {@code nb} images at once: image {@code j}'s input is row {@code j} of\n"
                            + "{@code in}, its result row {@code j} of {@code out}.\n", JavaText.comment(d.method()))
                    .addParameter(float[].class, "in").addParameter(float[].class, "out").addParameter(int.class, "nb")
                    .addCode(d.body())
                    .build());
            String swap = from;
            from = to;
            to = swap;
        }
        tb.beginControlFlow("for (int j = 0; j < nb; j++)")
                .addStatement("System.arraycopy($L, j * $L, outputs[i + j], 0, $L)", from, last.units(), last.units());
        if (last.softmax() != null) {
            tb.addStatement("$T.$L(outputs[i + j])", c.outer, last.softmax());
        }
        tb.endControlFlow();
        t.addMethod(MethodSpec.methodBuilder("batchTail").addModifiers(Modifier.PRIVATE)
                .addJavadoc("The dense layers of images {@code i .. i + nb - 1}, whose inputs are the rows of {@code batchA},\n"
                        + "once for the block, into their outputs (with the softmax).\n")
                .addParameter(float[][].class, "outputs").addParameter(int.class, "i").addParameter(int.class, "nb")
                .addCode(tb.build()).build());
        t.addMethod(MethodSpec.methodBuilder(name)
                .addJavadoc("Images {@code from .. to - 1} of {@code inputs} into {@code outputs}, with probabilities, in blocks of\n"
                        + "{@code BATCH}: each dense layer runs once per block (its weights read once for the block), every\n"
                        + "image's result bit for bit that of {@code run}.\n")
                .addParameters(blockParameters())
                .addCode(b.build())
                .build());
        t.addMethod(MethodSpec.methodBuilder("batchRows")
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .addJavadoc("{@code rows[nb]}: where each of {@code nb} rows of {@code n} floats starts, for {@code nb <= BATCH}.\n")
                .returns(int[][].class)
                .addParameter(int.class, "n")
                .addStatement("int[][] rows = new int[BATCH + 1][]")
                .beginControlFlow("for (int nb = 0; nb <= BATCH; nb++)")
                .addStatement("rows[nb] = new int[nb]")
                .beginControlFlow("for (int j = 0; j < nb; j++)")
                .addStatement("rows[nb][j] = j * n")
                .endControlFlow()
                .endControlFlow()
                .addStatement("return rows")
                .build());
    }

    /**
     * {@code runBatch} of a class with gathered Winograd layers: {@code convBatch} when every one of them runs
     * Winograd on this JVM, else the dense layers' {@code runBatchDense} (or {@code run} per image).
     */
    static void addConvBatch(SimdClass c, TypeSpec.Builder t) {
        boolean dense = !c.tail.isEmpty();
        BatchDense first = dense ? c.tail.get(0) : null;
        CodeBlock row = dense ? CodeBlock.builder().addStatement("System.arraycopy($L, 0, batchA, j * $L, $L)",
                first.input(), first.inputs(), first.inputs()).build() : null;
        SimdBatchConv.add(t, c.batchConvs, c.run, dense ? c.tailStart : c.run.size(), row, dense);
    }

    /** The parameters {@code (inputs, outputs, from, to)} of the methods running a range of a batch's images. */
    static List<ParameterSpec> blockParameters() {
        return List.of(ParameterSpec.builder(float[][].class, "inputs").build(),
                ParameterSpec.builder(float[][].class, "outputs").build(), ParameterSpec.builder(int.class, "from").build(),
                ParameterSpec.builder(int.class, "to").build());
    }
}
