package dev.striate.backend;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeSpec;
import dev.striate.ir.Graph;
import dev.striate.ir.Shape;
import dev.striate.text.JavaText;
import dev.striate.text.Lit;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * The class of an ensemble: one instance of each member's generated class (sibling classes in the
 * same package, each with its own weights and size checks) and a forward pass that writes the
 * weighted average of the members' outputs, as {@code predict} returns them (the probabilities of
 * models ending in softmax). Its API is a single model's ({@link ApiMethods}, and {@link PixelApi}
 * when the members share a recorded pixel normalization); the members' agreement on input, output,
 * labels and normalization is checked by the caller.
 */
public final class EnsembleClass {
    /** The most members one ensemble holds (the forward pass takes about 20 bytes of bytecode per member). */
    public static final int MAX_MEMBERS = 64;

    /**
     * One member.
     *
     * @param className   simple name of the member's generated class (same package as the ensemble)
     * @param description where the member comes from, for the Javadoc (model and file names)
     * @param weight      its share of the average; the weights sum to 1
     */
    public record Member(String className, String description, float weight) {
    }

    private EnsembleClass() {
    }

    /**
     * The ensemble's source file. {@code model} is any member's optimized graph: the ensemble takes its input
     * shape, output shape, labels and pixel normalization, which every member shares.
     */
    public static GeneratedFile generate(String packageName, String className, List<Member> members, Graph model) {
        if (members.size() < 2 || members.size() > MAX_MEMBERS) {
            throw new IllegalArgumentException("an ensemble has 2.." + MAX_MEMBERS + " members, got " + members.size());
        }
        ClassName self = ClassName.get(packageName, className);
        Shape input = model.inputs().get(0).shape();
        Shape output = model.node(model.outputs().get(0)).shape();
        boolean classifies = ApiMethods.classifies(output);

        TypeSpec.Builder type = TypeSpec.classBuilder(self)
                .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
                .addJavadoc(doc(self, members, input, output));
        ClassEmitter.addConstants(type, input, output);
        MethodSpec.Builder constructor = MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE);
        CodeBlock.Builder load = CodeBlock.builder().add("return new $T(", self);
        CodeBlock.Builder run = CodeBlock.builder().addStatement("$T.fill(output, 0f)", Arrays.class);
        for (int i = 0; i < members.size(); i++) {
            Member m = members.get(i);
            ClassName member = ClassName.get(packageName, m.className());
            String field = "member" + (i + 1);
            type.addField(member, field, Modifier.PRIVATE, Modifier.FINAL);
            constructor.addParameter(member, field).addStatement("this.$L = $L", field, field);
            load.add(i == 0 ? "$T.load()" : ", $T.load()", member);
            run.addStatement("$L.predict(input, memberOutput)", field)
                    .addStatement("accumulate(output, memberOutput, $L)", Lit.f(m.weight()));
        }
        type.addField(FieldSpec.builder(float[].class, "memberOutput", Modifier.PRIVATE, Modifier.FINAL)
                .addJavadoc("One member's output, before it is added to the average.\n")
                .initializer("new float[OUTPUT_SIZE]").build());
        if (classifies) {
            type.addField(FieldSpec.builder(float[].class, "result", Modifier.PRIVATE, Modifier.FINAL)
                    .initializer("new float[OUTPUT_SIZE]").build());
        }
        type.addMethod(constructor.build());
        type.addMethod(MethodSpec.methodBuilder("load")
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .returns(self)
                .addJavadoc("Returns a new instance holding a new instance of each member ({@code load()} of each\n"
                        + "member class: weights read and checked once, shared). Cheap after the first call.\n\n"
                        + "@throws IllegalStateException if a member's weights are missing or corrupt\n")
                .addStatement(load.add(")").build())
                .build());
        new ApiMethods(self, input, output, false, model.labels(), CodeBlock.of("$T.load()", self), false).addTo(type);
        if (model.pixelNormalization() != null) {
            new PixelApi(model.pixelNormalization(), input, classifies).addTo(type);
        }
        type.addMethod(MethodSpec.methodBuilder("run")
                .addModifiers(Modifier.PRIVATE)
                .addParameter(float[].class, "input")
                .addParameter(float[].class, "output")
                .addParameter(boolean.class, "probabilities")
                .addJavadoc("The weighted average of the members' outputs; always whole outputs (the members'\n"
                        + "probabilities), whatever {@code probabilities} says, since their average decides the class.\n")
                .addCode(run.build())
                .build());
        type.addMethod(MethodSpec.methodBuilder("accumulate")
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .addParameter(float[].class, "sum")
                .addParameter(float[].class, "x")
                .addParameter(float.class, "weight")
                .beginControlFlow("for (int i = 0; i < sum.length; i++)")
                .addStatement("sum[i] += weight * x[i]")
                .endControlFlow()
                .build());
        String source = JavaFile.builder(packageName, type.build())
                .skipJavaLangImports(true)
                .indent("    ")
                .build()
                .toString();
        String dir = packageName.isEmpty() ? "" : packageName.replace('.', '/') + "/";
        return new GeneratedFile(GeneratedFile.Kind.SOURCE, dir + className + ".java",
                source.getBytes(StandardCharsets.UTF_8));
    }

    private static CodeBlock doc(ClassName self, List<Member> members, Shape input, Shape output) {
        CodeBlock.Builder b = CodeBlock.builder()
                .add("An ensemble of $L models, generated by Striate: {@link #predict(float[])} returns the weighted\n"
                        + "average of the members' outputs (their probabilities, for models ending in softmax), and\n"
                        + "{@code classify} and {@code topK} rank that average.\n\n", members.size())
                .add("<p>Input {@code $L} ({@link #INPUT_SIZE} floats, channel-major), output {@code $L}\n"
                        + "({@link #OUTPUT_SIZE} floats). Members (sibling classes, each with its own weights):\n<ul>\n",
                        input, output);
        for (Member m : members) {
            b.add("<li>{@link $L}: $L, weight $L\n", m.className(), JavaText.comment(m.description()), m.weight());
        }
        return b.add("</ul>\n\n")
                .add("<p>Thread safety: an instance holds one instance of each member, each owning its scratch\n"
                        + "buffers, so an instance must not be used by two threads at once: use one per thread\n"
                        + "({@link #load()} is cheap after the first call).\n\n")
                .add("<pre>{@code\n$L model = $L.load();\nint k = model.classify(input);\n}</pre>\n",
                        self.simpleName(), self.simpleName())
                .build();
    }
}
