package dev.striate.backend;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeSpec;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * The generated code that gets the weights: the shared copy behind {@code load()} (read once from
 * the {@code ClassName.weights} resource, or in single-file mode decoded once from base64 chunks
 * held by nested classes), and the blob decoder that checks the header and the CRC32.
 */
final class WeightsLoader {
    /** Raw bytes per base64 chunk: a multiple of 3 and 4, giving 32,000-character strings. */
    static final int CHUNK_BYTES = 24_000;
    /** Chunks per nested class: about 256 KB of constants each. */
    static final int CHUNKS_PER_CLASS = 8;

    private final ClassName self;
    private final byte[] blob;
    private final int weightCount;
    private final boolean singleFile;

    WeightsLoader(ClassName self, byte[] blob, int weightCount, boolean singleFile) {
        this.self = self;
        this.blob = blob;
        this.weightCount = weightCount;
        this.singleFile = singleFile;
    }

    void addTo(TypeSpec.Builder type) {
        type.addField(FieldSpec.builder(int.class, "WEIGHT_COUNT", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                .initializer("$L", weightCount).build());
        type.addField(FieldSpec.builder(float[].class, "sharedWeights", Modifier.PRIVATE, Modifier.STATIC).build());
        type.addMethod(MethodSpec.methodBuilder("load")
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .returns(self)
                .addJavadoc("Returns a new instance sharing the weights $L, read and checked once on first\n"
                        + "use. Cheap after the first call: create one instance per thread.\n\n"
                        + "@throws IllegalStateException if the weights are missing or corrupt\n",
                        singleFile ? "embedded in this class" : "of the resource {@code " + self.simpleName()
                                + ".weights} beside this class")
                .addStatement("return new $T(sharedWeights())", self)
                .build());
        type.addMethod(MethodSpec.methodBuilder("load")
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .returns(self)
                .addParameter(InputStream.class, "blob")
                .addException(IOException.class)
                .addJavadoc("Returns a new instance with its own copy of the weights read from {@code blob}, a\n"
                        + "{@code $L.weights} file written by Striate for this model. Does not close the stream.\n\n"
                        + "@throws IOException if the stream fails or does not hold this model's weights\n",
                        self.simpleName())
                .addStatement("return new $T(decode(blob.readAllBytes()))", self)
                .build());
        type.addMethod(MethodSpec.methodBuilder("sharedWeights")
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC, Modifier.SYNCHRONIZED)
                .returns(float[].class)
                .beginControlFlow("if (sharedWeights == null)")
                .addStatement("sharedWeights = $L()", singleFile ? "embeddedWeights" : "resourceWeights")
                .endControlFlow()
                .addStatement("return sharedWeights")
                .build());
        if (singleFile) {
            addEmbedded(type);
        } else {
            addResource(type);
        }
        type.addMethod(decode());
    }

    private void addResource(TypeSpec.Builder type) {
        String resource = self.simpleName() + ".weights";
        String dir = self.packageName().isEmpty() ? "" : self.packageName().replace('.', '/') + "/";
        type.addMethod(MethodSpec.methodBuilder("resourceWeights")
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .returns(float[].class)
                .beginControlFlow("try ($T in = $T.class.getResourceAsStream($S))", InputStream.class, self, resource)
                .beginControlFlow("if (in == null)")
                .addStatement("throw new $T($S)", IllegalStateException.class, "weights resource " + dir + resource
                        + " not found: package it beside " + self.simpleName() + ".class on the class path")
                .endControlFlow()
                .addStatement("return decode(in.readAllBytes())")
                .nextControlFlow("catch ($T e)", IOException.class)
                .addStatement("throw new $T($S + e.getMessage(), e)", IllegalStateException.class,
                        "cannot load weights resource " + dir + resource + ": ")
                .endControlFlow()
                .build());
    }

    private void addEmbedded(TypeSpec.Builder type) {
        String encoded = Base64.getEncoder().encodeToString(blob);
        int chunkChars = CHUNK_BYTES / 3 * 4;
        List<String> chunks = new ArrayList<>();
        for (int at = 0; at < encoded.length(); at += chunkChars) {
            chunks.add(encoded.substring(at, Math.min(encoded.length(), at + chunkChars)));
        }
        CodeBlock.Builder body = CodeBlock.builder()
                .addStatement("byte[] blob = new byte[$L]", blob.length)
                .addStatement("int at = 0");
        for (int k = 0; k * CHUNKS_PER_CLASS < chunks.size(); k++) {
            List<String> part = chunks.subList(k * CHUNKS_PER_CLASS, Math.min(chunks.size(), (k + 1) * CHUNKS_PER_CLASS));
            CodeBlock.Builder init = CodeBlock.builder().add("{\n").indent();
            for (int i = 0; i < part.size(); i++) {
                init.add("$S$L\n", part.get(i), i + 1 < part.size() ? "," : "");
            }
            init.unindent().add("}");
            String name = "Weights" + k;
            type.addType(TypeSpec.classBuilder(name)
                    .addModifiers(Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                    .addJavadoc("Base64 chunks $L to $L of the weights blob.\n", k * CHUNKS_PER_CLASS,
                            k * CHUNKS_PER_CLASS + part.size() - 1)
                    .addField(FieldSpec.builder(String[].class, "CHUNKS", Modifier.STATIC, Modifier.FINAL)
                            .initializer(init.build()).build())
                    .build());
            body.addStatement("at = append(blob, at, $L.CHUNKS)", name);
        }
        body.beginControlFlow("try")
                .addStatement("return decode(blob)")
                .nextControlFlow("catch ($T e)", IOException.class)
                .addStatement("throw new $T($S + e.getMessage(), e)", IllegalStateException.class,
                        "embedded weights are corrupt: ")
                .endControlFlow();
        type.addMethod(MethodSpec.methodBuilder("embeddedWeights")
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .returns(float[].class)
                .addCode(body.build())
                .build());
        type.addMethod(MethodSpec.methodBuilder("append")
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .returns(int.class)
                .addParameter(byte[].class, "blob")
                .addParameter(int.class, "at")
                .addParameter(String[].class, "chunks")
                .beginControlFlow("for (String chunk : chunks)")
                .addStatement("byte[] bytes = $T.getDecoder().decode(chunk)", Base64.class)
                .addStatement("System.arraycopy(bytes, 0, blob, at, bytes.length)")
                .addStatement("at += bytes.length")
                .endControlFlow()
                .addStatement("return at")
                .build());
    }

    private MethodSpec decode() {
        ClassName byteBuffer = ClassName.get("java.nio", "ByteBuffer");
        ClassName byteOrder = ClassName.get("java.nio", "ByteOrder");
        ClassName crc32 = ClassName.get("java.util.zip", "CRC32");
        int header = WeightBlob.HEADER_BYTES;
        return MethodSpec.methodBuilder("decode")
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .returns(float[].class)
                .addParameter(byte[].class, "bytes")
                .addException(IOException.class)
                .addJavadoc("Checks a weights blob (magic, version, float count, length, CRC32) and returns its floats.\n")
                .beginControlFlow("if (bytes.length < $L)", header)
                .addStatement("throw new $T($S + bytes.length + $S)", IOException.class,
                        "corrupt weights blob: ", " bytes is shorter than the " + header + "-byte header")
                .endControlFlow()
                .addStatement("$T b = $T.wrap(bytes).order($T.LITTLE_ENDIAN)", byteBuffer, byteBuffer, byteOrder)
                .beginControlFlow("if (b.getInt(0) != 0x$L || b.getInt(4) != $L)", Integer.toHexString(WeightBlob.MAGIC),
                        WeightBlob.VERSION)
                .addStatement("throw new $T($S)", IOException.class,
                        "not a Striate weights blob (version " + WeightBlob.VERSION + "): bad magic or version")
                .endControlFlow()
                .addStatement("int count = b.getInt(8)")
                .beginControlFlow("if (count != WEIGHT_COUNT)")
                .addStatement("throw new $T($S + count + $S)", IOException.class,
                        "weights blob holds ", " floats but " + self.simpleName() + " needs " + weightCount
                                + ": it belongs to another model")
                .endControlFlow()
                .beginControlFlow("if (bytes.length != $L + 4L * count)", header)
                .addStatement("throw new $T($S + bytes.length + $S)", IOException.class,
                        "corrupt weights blob: ", " bytes, expected " + (header + 4L * weightCount) + " (truncated?)")
                .endControlFlow()
                .addStatement("$T crc = new $T()", crc32, crc32)
                .addStatement("crc.update(bytes, $L, bytes.length - $L)", header, header)
                .beginControlFlow("if ((int) crc.getValue() != b.getInt(12))")
                .addStatement("throw new $T($S)", IOException.class, "corrupt weights blob: CRC32 mismatch")
                .endControlFlow()
                .addStatement("float[] w = new float[count]")
                .addStatement("b.position($L)", header)
                .addStatement("b.asFloatBuffer().get(w)")
                .addStatement("return w")
                .build();
    }
}
