package dev.striate.backend;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeSpec;
import dev.striate.ir.Shape;
import dev.striate.text.JavaText;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * The public API of the generated class besides loading: {@code predict} (allocating and
 * allocation-free), {@code predictBatch} (see {@link BatchMethods}), and for a model with a vector output ({@code [N]})
 * {@code classify} and {@code labels}/{@code label}, with argument checks that say what was
 * expected. A model with a map output (an image filter, an autoencoder) has no classes, so its
 * class has no {@code classify}, {@code CLASS_COUNT} or {@code result} buffer.
 */
final class ApiMethods {
    static final int MAX_LITERAL_LABELS = 256;

    private final ClassName self;
    private final Shape inputShape;
    private final boolean classifies;
    private final boolean finalSoftmaxSkippable;
    private final List<String> labels;

    private final boolean blocks;

    /** The API of {@code self}; {@code blocks}: see {@link BatchMethods#BatchMethods(ClassName, boolean)}. */
    ApiMethods(ClassName self, Shape inputShape, Shape outputShape, boolean finalSoftmaxSkippable, List<String> labels,
               boolean blocks) {
        this.self = self;
        this.blocks = blocks;
        this.inputShape = inputShape;
        this.classifies = classifies(outputShape);
        this.finalSoftmaxSkippable = finalSoftmaxSkippable;
        this.labels = labels;
    }

    /** True when the class has {@code classify}: the output is a vector of class scores. */
    static boolean classifies(Shape output) {
        return output.rank() == 1;
    }

    void addTo(TypeSpec.Builder type) {
        type.addMethod(MethodSpec.methodBuilder("predict")
                .addModifiers(Modifier.PUBLIC)
                .returns(float[].class)
                .addParameter(float[].class, "input")
                .addJavadoc("Runs the model on one input of {@link #INPUT_SIZE} floats ($L, channel-major)\n"
                        + "and returns a new array of {@link #OUTPUT_SIZE} floats.\n", inputShape)
                .addStatement("float[] output = new float[OUTPUT_SIZE]")
                .addStatement("predict(input, output)")
                .addStatement("return output")
                .build());
        type.addMethod(MethodSpec.methodBuilder("predict")
                .addModifiers(Modifier.PUBLIC)
                .addParameter(float[].class, "input")
                .addParameter(float[].class, "output")
                .addJavadoc("Runs the model on {@code input} and writes the {@link #OUTPUT_SIZE} results into\n"
                        + "{@code output}, allocating nothing. The arrays must be distinct.\n")
                .addStatement("checkLength(input, INPUT_SIZE, $S)", "input")
                .addStatement("checkLength(output, OUTPUT_SIZE, $S)", "output")
                .beginControlFlow("if (input == output)")
                .addStatement("throw new $T($S)", IllegalArgumentException.class,
                        "input and output must be different arrays")
                .endControlFlow()
                .addStatement("run(input, output, true)")
                .build());
        new BatchMethods(self, blocks).addTo(type);
        if (classifies) {
            addClassify(type);
        }
        if (!labels.isEmpty()) {
            addLabels(type);
        }
        type.addMethod(MethodSpec.methodBuilder("checkLength")
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .addParameter(float[].class, "array")
                .addParameter(int.class, "expected")
                .addParameter(String.class, "what")
                .beginControlFlow("if (array == null)")
                .addStatement("throw new $T(what + $S)", IllegalArgumentException.class, " must not be null")
                .endControlFlow()
                .beginControlFlow("if (array.length != expected)")
                .addStatement("throw new $T(what + $S + expected + $S + array.length)",
                        IllegalArgumentException.class, " must have ", " floats, got ")
                .endControlFlow()
                .build());
    }

    private void addClassify(TypeSpec.Builder type) {
        type.addMethod(MethodSpec.methodBuilder("classify")
                .addModifiers(Modifier.PUBLIC)
                .returns(int.class)
                .addParameter(float[].class, "input")
                .addJavadoc("Returns the index of the largest output (the first one on ties)$L.\n",
                        finalSoftmaxSkippable ? "; skips the final softmax, which does not change it" : "")
                .addStatement("checkLength(input, INPUT_SIZE, $S)", "input")
                .addStatement("run(input, result, false)")
                .addStatement("int best = 0")
                .beginControlFlow("for (int k = 1; k < OUTPUT_SIZE; k++)")
                .beginControlFlow("if (result[k] > result[best])")
                .addStatement("best = k")
                .endControlFlow()
                .endControlFlow()
                .addStatement("return best")
                .build());
    }

    /**
     * An array literal for up to {@link #MAX_LITERAL_LABELS} labels (about 8 bytes of static
     * initializer each); beyond that one newline-joined string split at class initialization.
     */
    private CodeBlock labelsInitializer() {
        if (labels.size() <= MAX_LITERAL_LABELS) {
            CodeBlock.Builder b = CodeBlock.builder().add("{");
            for (int i = 0; i < labels.size(); i++) {
                b.add(i == 0 ? "$L" : ", $L", JavaText.stringLiteral(labels.get(i)));
            }
            return b.add("}").build();
        }
        return CodeBlock.of("($L).split($S, -1)", JavaText.stringLiteral(String.join("\n", labels)), "\n");
    }

    private void addLabels(TypeSpec.Builder type) {
        type.addField(FieldSpec.builder(String[].class, "LABELS", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                .initializer(labelsInitializer())
                .build());
        type.addMethod(MethodSpec.methodBuilder("labels")
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .returns(String[].class)
                .addJavadoc("The class labels, in output order (a new copy).\n")
                .addStatement("return LABELS.clone()")
                .build());
        type.addMethod(MethodSpec.methodBuilder("label")
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .returns(String.class)
                .addParameter(int.class, "k")
                .addJavadoc("The label of class {@code k}, e.g. {@code label(classify(input))}.\n")
                .beginControlFlow("if (k < 0 || k >= LABELS.length)")
                .addStatement("throw new $T($S + k + $S)", IllegalArgumentException.class,
                        "class index ", " is outside 0.." + (labels.size() - 1))
                .endControlFlow()
                .addStatement("return LABELS[k]")
                .build());
    }
}
