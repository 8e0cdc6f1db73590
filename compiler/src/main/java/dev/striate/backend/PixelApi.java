package dev.striate.backend;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeSpec;
import dev.striate.ir.Normalize;
import dev.striate.ir.Shape;
import dev.striate.text.Lit;
import javax.lang.model.element.Modifier;

/**
 * The pixel path of a class whose weights were trained on normalized pixels (the train block's
 * {@code normalize}, recorded in the weights): {@code normalizePixels}, {@code predictPixels} and,
 * for a class output, {@code classifyPixels} and {@code topKPixels} take raw pixel values ({@code 0..255}, channel-major,
 * as {@code striate train} read them from image files) and apply the recorded
 * {@code (x - mean[c]) / std[c]} in float, as training did, before the forward pass. What
 * {@code predict(float[])} takes is unchanged: the model's input, already normalized.
 */
final class PixelApi {
    private final Normalize normalization;
    private final int channels;
    private final int plane;
    private final boolean classifies;

    PixelApi(Normalize normalization, Shape inputShape, boolean classifies) {
        this.normalization = normalization;
        this.channels = inputShape.rank() == 3 ? inputShape.channels() : 1;
        this.plane = inputShape.size() / channels;
        this.classifies = classifies;
    }

    void addTo(TypeSpec.Builder type) {
        CodeBlock.Builder mean = CodeBlock.builder();
        CodeBlock.Builder std = CodeBlock.builder();
        for (int c = 0; c < channels; c++) {
            mean.add(c == 0 ? "$L" : ", $L", Lit.f(normalization.meanOf(c)));
            std.add(c == 0 ? "$L" : ", $L", Lit.f(normalization.stdOf(c)));
        }
        type.addField(FieldSpec.builder(float[].class, "PIXEL_MEAN", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("Per channel, the mean training subtracted from pixel values (0..255).\n")
                .initializer("{$L}", mean.build()).build());
        type.addField(FieldSpec.builder(float[].class, "PIXEL_STD", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("Per channel, the standard deviation training divided pixel values by.\n")
                .initializer("{$L}", std.build()).build());
        type.addMethod(MethodSpec.methodBuilder("normalizePixels")
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .returns(float[].class)
                .addParameter(float[].class, "pixels")
                .addJavadoc("Turns raw pixel values into the model's input as training did: {@link #INPUT_SIZE}\n"
                        + "floats, channel-major, each {@code 0..255} (gray, or red, green, blue planes), become\n"
                        + "{@code (pixel - PIXEL_MEAN[c]) / PIXEL_STD[c]} in a new array.\n")
                .addStatement("checkLength(pixels, INPUT_SIZE, $S)", "pixels")
                .addStatement("float[] input = new float[INPUT_SIZE]")
                .beginControlFlow("for (int c = 0; c < $L; c++)", channels)
                .addStatement("float mean = PIXEL_MEAN[c]")
                .addStatement("float std = PIXEL_STD[c]")
                .beginControlFlow("for (int i = c * $L; i < (c + 1) * $L; i++)", plane, plane)
                .addStatement("input[i] = (pixels[i] - mean) / std")
                .endControlFlow()
                .endControlFlow()
                .addStatement("return input")
                .build());
        type.addMethod(MethodSpec.methodBuilder("predictPixels")
                .addModifiers(Modifier.PUBLIC)
                .returns(float[].class)
                .addParameter(float[].class, "pixels")
                .addJavadoc("Runs the model on raw pixel values ({@link #normalizePixels}); {@link #predict(float[])}\n"
                        + "takes values already normalized.\n")
                .addStatement("return predict(normalizePixels(pixels))")
                .build());
        if (classifies) {
            type.addMethod(MethodSpec.methodBuilder("classifyPixels")
                    .addModifiers(Modifier.PUBLIC)
                    .returns(int.class)
                    .addParameter(float[].class, "pixels")
                    .addJavadoc("{@link #classify} on raw pixel values ({@link #normalizePixels}).\n")
                    .addStatement("return classify(normalizePixels(pixels))")
                    .build());
            type.addMethod(MethodSpec.methodBuilder("topKPixels")
                    .addModifiers(Modifier.PUBLIC)
                    .returns(ApiMethods.rankingType())
                    .addParameter(float[].class, "pixels")
                    .addParameter(int.class, "k")
                    .addJavadoc("{@link #topK} on raw pixel values ({@link #normalizePixels}).\n")
                    .addStatement("return topK(normalizePixels(pixels), k)")
                    .build());
        }
    }
}
