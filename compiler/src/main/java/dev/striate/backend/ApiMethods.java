package dev.striate.backend;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.striate.ir.Shape;
import dev.striate.text.JavaText;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import javax.lang.model.element.Modifier;

/**
 * The public API of the generated class besides loading: {@code predict} (allocating and
 * allocation-free), {@code predictBatch} (see {@link BatchMethods}), {@code apply} (the class is a
 * {@code UnaryOperator<float[]>}, so classifiers of different models can be held and called alike), and
 * for a model with a vector output ({@code [N]}) {@code classify}, {@code topK} and
 * {@code labels}/{@code label}, with argument checks that say what was
 * expected. A model with a map output (an image filter, an autoencoder) has no classes, so its
 * class has no {@code classify}, {@code topK}, {@code CLASS_COUNT} or {@code result} buffer.
 */
final class ApiMethods {
    static final int MAX_LITERAL_LABELS = 256;

    private final ClassName self;
    private final Shape inputShape;
    private final boolean classifies;
    private final int classCount;
    private final boolean finalSoftmaxSkippable;
    private final List<String> labels;
    private final CodeBlock newInstance;

    private final boolean blocks;

    /** The API of {@code self}; {@code blocks}: see {@link BatchMethods#BatchMethods(ClassName, CodeBlock, boolean)}. */
    ApiMethods(ClassName self, Shape inputShape, Shape outputShape, boolean finalSoftmaxSkippable, List<String> labels,
               boolean blocks) {
        this(self, inputShape, outputShape, finalSoftmaxSkippable, labels, CodeBlock.of("new $T(owner.weights)", self),
                blocks);
    }

    /**
     * The API of a class whose {@code run(input, output, probabilities)} is the forward pass; {@code newInstance}
     * makes another instance on the same weights for a {@code predictBatch} helper thread (see {@link BatchMethods});
     * {@code blocks}: the class has {@code runBlock} (see {@link BatchMethods}).
     */
    ApiMethods(ClassName self, Shape inputShape, Shape outputShape, boolean finalSoftmaxSkippable, List<String> labels,
               CodeBlock newInstance, boolean blocks) {
        this.newInstance = newInstance;
        this.self = self;
        this.blocks = blocks;
        this.inputShape = inputShape;
        this.classifies = classifies(outputShape);
        this.classCount = outputShape.size();
        this.finalSoftmaxSkippable = finalSoftmaxSkippable;
        this.labels = labels;
    }

    /** True when the class has {@code classify}: the output is a vector of class scores. */
    static boolean classifies(Shape output) {
        return output.rank() == 1;
    }

    /** {@code UnaryOperator<float[]>}: what every generated class implements. */
    static TypeName operatorType() {
        return ParameterizedTypeName.get(ClassName.get(UnaryOperator.class), ArrayTypeName.of(float.class));
    }

    /** {@code List<Map.Entry<String, Float>>}: what {@code topK} returns. */
    static TypeName rankingType() {
        return ParameterizedTypeName.get(ClassName.get(List.class), ParameterizedTypeName.get(
                ClassName.get(Map.Entry.class), ClassName.get(String.class), ClassName.get(Float.class)));
    }

    void addTo(TypeSpec.Builder type) {
        type.addSuperinterface(operatorType());
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
        type.addMethod(MethodSpec.methodBuilder("apply")
                .addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC)
                .returns(float[].class)
                .addParameter(float[].class, "input")
                .addJavadoc("{@link #predict(float[])}, as a {@code UnaryOperator<float[]>}: lets a program hold\n"
                        + "classes of several models alike (e.g. a {@code Map<String, UnaryOperator<float[]>>}) with no\n"
                        + "shared dependency. Same rules as {@code predict}: one thread at a time per instance.\n")
                .addStatement("return predict(input)")
                .build());
        new BatchMethods(self, newInstance, blocks).addTo(type);
        if (classifies) {
            addClassify(type);
            addTopK(type);
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
     * {@code topK(input, k)}: the {@code k} best classes as (label, score) entries, best first; ties by lower
     * class index, scores ordered as {@link Float#compare} orders them but a NaN last (as {@code striate predict}).
     */
    private void addTopK(TypeSpec.Builder type) {
        type.addMethod(MethodSpec.methodBuilder("topK")
                .addModifiers(Modifier.PUBLIC)
                .returns(rankingType())
                .addParameter(float[].class, "input")
                .addParameter(int.class, "k")
                .addJavadoc("Runs the model on {@code input} and returns its {@code k} highest-scoring classes, best\n"
                        + "first, as an unmodifiable list of (label, score) entries: the score is the output\n"
                        + "{@link #predict(float[])} returns for that class (its probability for a model ending in\n"
                        + "softmax), the label $L. Ordered by {@link Float#compare} on the scores, highest first, a\n"
                        + "NaN score last; equal scores by class index, lowest first (so the first entry is the class\n"
                        + "{@code classify} picks, for numbers). Allocates the list and its entries.\n\n"
                        + "@throws IllegalArgumentException if {@code k} is outside {@code 1..CLASS_COUNT}\n",
                        labels.isEmpty() ? "the class index in decimal (the model declares no labels)"
                                : "{@link #label(int)} of the class")
                .addStatement("checkLength(input, INPUT_SIZE, $S)", "input")
                .beginControlFlow("if (k < 1 || k > CLASS_COUNT)")
                .addStatement("throw new $T($S + k)", IllegalArgumentException.class,
                        "k must be between 1 and " + classCount + ", got ")
                .endControlFlow()
                .addStatement("run(input, result, true)")
                .addStatement("boolean[] taken = new boolean[OUTPUT_SIZE]")
                .addStatement("$T<$T<$T, $T>> top = new $T<>(k)", List.class, Map.Entry.class, String.class, Float.class,
                        ArrayList.class)
                .beginControlFlow("for (int r = 0; r < k; r++)")
                .addStatement("int best = -1")
                .beginControlFlow("for (int c = 0; c < OUTPUT_SIZE; c++)")
                .beginControlFlow("if (!taken[c] && (best < 0 || ranksAbove(result[c], result[best])))")
                .addStatement("best = c")
                .endControlFlow()
                .endControlFlow()
                .addStatement("taken[best] = true")
                .addStatement("top.add($T.entry($L, result[best]))", Map.class,
                        labels.isEmpty() ? "String.valueOf(best)" : "LABELS[best]")
                .endControlFlow()
                .addStatement("return $T.unmodifiableList(top)", Collections.class)
                .build());
        type.addMethod(MethodSpec.methodBuilder("ranksAbove")
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .returns(boolean.class)
                .addParameter(float.class, "a")
                .addParameter(float.class, "b")
                .addJavadoc("Whether score {@code a} ranks above {@code b} in {@link #topK}: higher by\n"
                        + "{@link Float#compare}, a NaN below every number.\n")
                .addStatement("return !Float.isNaN(a) && (Float.isNaN(b) || Float.compare(a, b) > 0)")
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
