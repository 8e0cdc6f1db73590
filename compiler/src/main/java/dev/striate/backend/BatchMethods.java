package dev.striate.backend;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeSpec;
import java.util.Arrays;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RejectedExecutionException;
import javax.lang.model.element.Modifier;

/**
 * The batch API of the generated class: {@code predictBatch} allocating its outputs, writing into the
 * caller's outputs on the calling thread, and spread over threads (an {@link Executor} and a
 * parallelism, or a parallelism on the common pool).
 *
 * <p>The threaded form keeps the class's contract (an instance is used by one thread at a time): the
 * extra threads never touch the instance's scratch buffers. On its first call the instance makes a
 * nested {@code ParallelBatch} holding {@code parallelism - 1} helper tasks ({@code BatchHelper}), each
 * with an instance of the class of its own (its own scratch buffers, the shared weights), kept for
 * later calls; so a steady state allocates nothing but what the executor does per task. The calling
 * thread works too; images are handed out in blocks under the batch's lock (at most a quarter of a thread's
 * share, and at most the images left divided by twice the threads, so the last blocks are small and the
 * threads finish together), each image runs exactly as {@code predict} would, so results are bit for bit
 * those of the sequential call whatever the split.
 * The caller waits only for helpers that have started: a helper the executor has not started yet
 * leaves without work when it does (no deadlock when the executor is busy or is the caller's own pool).
 */
final class BatchMethods {
    private final ClassName self;
    private final ClassName batch;
    private final ClassName helper;
    private final boolean blocks;

    private final CodeBlock newInstance;

    /**
     * The batch API of {@code self}; {@code newInstance} is an expression (reading the nested batch's field
     * {@code owner}) giving another instance on the same weights, with scratch buffers of its own; with
     * {@code blocks}, the class has {@code runBlock(inputs, outputs, from, to)} (the vector variant whose dense
     * layers run as one product over a block of images), called for each block of images instead of {@code run}
     * for each image.
     */
    BatchMethods(ClassName self, CodeBlock newInstance, boolean blocks) {
        this.self = self;
        this.newInstance = newInstance;
        this.blocks = blocks;
        this.batch = self.nestedClass(nestedName(self, "ParallelBatch"));
        this.helper = self.nestedClass(nestedName(self, "BatchHelper"));
    }

    /** {@code wanted}, or {@code Model + wanted} in a class of that very name (Java forbids the clash). */
    static String nestedName(ClassName outer, String wanted) {
        return outer.simpleName().equals(wanted) ? "Model" + wanted : wanted;
    }

    void addTo(TypeSpec.Builder type) {
        type.addField(FieldSpec.builder(batch, "parallel", Modifier.PRIVATE)
                .addJavadoc("The helpers of the threaded {@code predictBatch}, made by its first call (null until then).\n")
                .build());
        type.addMethod(MethodSpec.methodBuilder("predictBatch")
                .addModifiers(Modifier.PUBLIC)
                .returns(float[][].class)
                .addParameter(float[][].class, "inputs")
                .addJavadoc("Runs {@link #predict(float[])} on each input, returning one new output per input.\n")
                .beginControlFlow("if (inputs == null)")
                .addStatement("throw new $T($S)", IllegalArgumentException.class, "inputs must not be null")
                .endControlFlow()
                .addStatement("float[][] outputs = new float[inputs.length][OUTPUT_SIZE]")
                .addStatement("predictBatch(inputs, outputs)")
                .addStatement("return outputs")
                .build());
        type.addMethod(MethodSpec.methodBuilder("predictBatch")
                .addModifiers(Modifier.PUBLIC)
                .addParameter(float[][].class, "inputs")
                .addParameter(float[][].class, "outputs")
                .addJavadoc("Runs {@link #predict(float[], float[])} on each input in order on the calling thread,\n"
                        + "writing {@code outputs[i]}; allocates nothing. {@code outputs} holds one array of\n"
                        + "{@link #OUTPUT_SIZE} floats per input; no output array may be an input or another output.\n")
                .addStatement("checkBatch(inputs, outputs)")
                .addCode(runAll("inputs.length"))
                .build());
        type.addMethod(threaded());
        type.addMethod(MethodSpec.methodBuilder("predictBatch")
                .addModifiers(Modifier.PUBLIC)
                .addParameter(float[][].class, "inputs")
                .addParameter(float[][].class, "outputs")
                .addParameter(int.class, "parallelism")
                .addJavadoc("{@link #predictBatch(float[][], float[][], $T, int)} on the common fork-join pool.\n",
                        Executor.class)
                .addStatement("predictBatch(inputs, outputs, $T.commonPool(), parallelism)", ForkJoinPool.class)
                .build());
        type.addMethod(checkBatch());
        type.addType(batchType());
        type.addType(helperType());
    }

    private MethodSpec threaded() {
        return MethodSpec.methodBuilder("predictBatch")
                .addModifiers(Modifier.PUBLIC)
                .addParameter(float[][].class, "inputs")
                .addParameter(float[][].class, "outputs")
                .addParameter(Executor.class, "executor")
                .addParameter(int.class, "parallelism")
                .addJavadoc("Runs {@link #predictBatch(float[][], float[][])} on up to {@code parallelism} threads: the\n"
                        + "calling thread and {@code parallelism - 1} tasks given to {@code executor}; returns when every\n"
                        + "output is written. Results are bit for bit those of the sequential call. The helper tasks\n"
                        + "have scratch buffers of their own, made on the first call and kept by this instance, so a\n"
                        + "steady state allocates nothing but what {@code executor} does per task; the instance must\n"
                        + "still not be used by two callers at once. A task the executor has not started when the\n"
                        + "caller has finished the batch leaves without work when it runs.\n\n"
                        + "@throws IllegalArgumentException for a bad batch (naming the index), a null executor or a\n"
                        + "    parallelism below 1\n"
                        + "@throws $T when {@code executor} rejects a task (after the started tasks finished)\n"
                        + "@throws RuntimeException or {@link Error} thrown while computing an image, on any thread:\n"
                        + "    the first one, rethrown once every thread has stopped; the instance stays usable\n",
                        RejectedExecutionException.class)
                .addStatement("checkBatch(inputs, outputs)")
                .beginControlFlow("if (executor == null)")
                .addStatement("throw new $T($S)", IllegalArgumentException.class, "executor must not be null")
                .endControlFlow()
                .beginControlFlow("if (parallelism < 1)")
                .addStatement("throw new $T($S + parallelism)", IllegalArgumentException.class,
                        "parallelism must be at least 1, got ")
                .endControlFlow()
                .addStatement("int helpers = Math.min(parallelism, inputs.length) - 1")
                .beginControlFlow("if (helpers < 1)")
                .addCode(runAll("inputs.length"))
                .addStatement("return")
                .endControlFlow()
                .beginControlFlow("if (parallel == null)")
                .addStatement("parallel = new $T(this)", batch)
                .endControlFlow()
                .addStatement("parallel.run(inputs, outputs, executor, helpers)")
                .build();
    }

    /** Runs images {@code 0 .. count - 1} of {@code inputs} into {@code outputs} on the calling thread. */
    private CodeBlock runAll(String count) {
        if (blocks) {
            return CodeBlock.builder().addStatement("runBlock(inputs, outputs, 0, $L)", count).build();
        }
        return CodeBlock.builder().beginControlFlow("for (int i = 0; i < $L; i++)", count)
                .addStatement("run(inputs[i], outputs[i], true)")
                .endControlFlow().build();
    }

    /** The argument checks of a batch; the messages (which allocate) are built only on failure. */
    private static MethodSpec checkBatch() {
        return MethodSpec.methodBuilder("checkBatch")
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .addParameter(float[][].class, "inputs")
                .addParameter(float[][].class, "outputs")
                .beginControlFlow("if (inputs == null || outputs == null)")
                .addStatement("throw new $T((inputs == null ? $S : $S) + $S)", IllegalArgumentException.class,
                        "inputs", "outputs", " must not be null")
                .endControlFlow()
                .beginControlFlow("if (outputs.length != inputs.length)")
                .addStatement("throw new $T($S + inputs.length + $S + outputs.length)", IllegalArgumentException.class,
                        "outputs must have one array per input (", "), got ")
                .endControlFlow()
                .beginControlFlow("for (int i = 0; i < inputs.length; i++)")
                .beginControlFlow("if (inputs[i] == null || inputs[i].length != INPUT_SIZE)")
                .addStatement("checkLength(inputs[i], INPUT_SIZE, $S + i + $S)", "inputs[", "]")
                .endControlFlow()
                .beginControlFlow("if (outputs[i] == null || outputs[i].length != OUTPUT_SIZE)")
                .addStatement("checkLength(outputs[i], OUTPUT_SIZE, $S + i + $S)", "outputs[", "]")
                .endControlFlow()
                .beginControlFlow("if (outputs[i] == inputs[i])")
                .addStatement("throw new $T($S + i + $S + i + $S)", IllegalArgumentException.class,
                        "inputs[", "] and outputs[", "] must be different arrays")
                .endControlFlow()
                .endControlFlow()
                .build();
    }

    private TypeSpec batchType() {
        TypeSpec.Builder t = TypeSpec.classBuilder(batch)
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("The state of the threaded {@code predictBatch} of one instance: its helper tasks (kept\n"
                        + "between calls) and the call in progress. The images are handed out in blocks under this\n"
                        + "object's lock to whichever thread asks first; the caller waits for the helpers that\n"
                        + "started, never for one still queued in the executor (it leaves without work when it runs).\n")
                .addField(self, "owner", Modifier.PRIVATE, Modifier.FINAL)
                .addField(FieldSpec.builder(ArrayTypeName.of(helper), "helpers", Modifier.PRIVATE)
                        .initializer("new $T[0]", helper).build())
                .addField(float[][].class, "inputs", Modifier.PRIVATE)
                .addField(float[][].class, "outputs", Modifier.PRIVATE)
                .addField(FieldSpec.builder(int.class, "next", Modifier.PRIVATE)
                        .addJavadoc("The first image not handed out yet.\n").build())
                .addField(int.class, "end", Modifier.PRIVATE)
                .addField(FieldSpec.builder(int.class, "block", Modifier.PRIVATE)
                        .addJavadoc("The most images handed out at a time.\n").build())
                .addField(FieldSpec.builder(int.class, "share", Modifier.PRIVATE)
                        .addJavadoc("Twice the threads of the call: a hand-out is at most the images left over this,\n"
                                + "so the blocks shrink towards the end and the threads finish together.\n").build())
                .addField(FieldSpec.builder(int.class, "running", Modifier.PRIVATE)
                        .addJavadoc("Helpers working on the call in progress.\n").build())
                .addField(FieldSpec.builder(boolean.class, "open", Modifier.PRIVATE)
                        .addJavadoc("True while a call is in progress: a helper starting later leaves.\n").build())
                .addField(FieldSpec.builder(Throwable.class, "failure", Modifier.PRIVATE)
                        .addJavadoc("The first exception of the call in progress.\n").build())
                .addMethod(MethodSpec.constructorBuilder()
                        .addParameter(self, "owner")
                        .addStatement("this.owner = owner")
                        .build());
        t.addMethod(MethodSpec.methodBuilder("run")
                .addJavadoc("One call: starts {@code count} helpers (those not still queued from an earlier call),\n"
                        + "works on the batch, waits for the helpers that started, then rethrows the first failure.\n")
                .addParameter(float[][].class, "inputs")
                .addParameter(float[][].class, "outputs")
                .addParameter(Executor.class, "executor")
                .addParameter(int.class, "count")
                .beginControlFlow("if (helpers.length < count)")
                .addStatement("grow(count)")
                .endControlFlow()
                .beginControlFlow("synchronized (this)")
                .addStatement("this.inputs = inputs")
                .addStatement("this.outputs = outputs")
                .addStatement("next = 0")
                .addStatement("end = inputs.length")
                .addStatement("block = Math.max(1, inputs.length / (4 * (count + 1)))")
                .addStatement("share = 2 * (count + 1)")
                .addStatement("open = true")
                .endControlFlow()
                .addStatement("$T rejected = null", RuntimeException.class)
                .beginControlFlow("for (int h = 0; h < count && rejected == null; h++)")
                .addStatement("rejected = start(helpers[h], executor)")
                .endControlFlow()
                .addStatement("work(owner)")
                .addStatement("boolean interrupted = false")
                .addStatement("$T thrown", Throwable.class)
                .beginControlFlow("synchronized (this)")
                .beginControlFlow("while (running > 0)")
                .beginControlFlow("try")
                .addStatement("wait()")
                .nextControlFlow("catch ($T e)", InterruptedException.class)
                .addStatement("interrupted = true")
                .endControlFlow()
                .endControlFlow()
                .addStatement("open = false")
                .addStatement("this.inputs = null")
                .addStatement("this.outputs = null")
                .addStatement("thrown = failure != null ? failure : rejected")
                .addStatement("failure = null")
                .endControlFlow()
                .beginControlFlow("if (interrupted)")
                .addStatement("$T.currentThread().interrupt()", Thread.class)
                .endControlFlow()
                .beginControlFlow("if (thrown instanceof $T)", RuntimeException.class)
                .addStatement("throw ($T) thrown", RuntimeException.class)
                .endControlFlow()
                .beginControlFlow("if (thrown != null)")
                .addStatement("throw ($T) thrown", Error.class)
                .endControlFlow()
                .build());
        t.addMethod(MethodSpec.methodBuilder("grow")
                .addModifiers(Modifier.PRIVATE)
                .addJavadoc("Adds helpers up to {@code count}, each with an instance of its own on the shared weights.\n")
                .addParameter(int.class, "count")
                .addStatement("int had = helpers.length")
                .addStatement("helpers = $T.copyOf(helpers, count)", Arrays.class)
                .beginControlFlow("for (int h = had; h < count; h++)")
                .addStatement("helpers[h] = new $T(this, $L)", helper, newInstance)
                .endControlFlow()
                .build());
        t.addMethod(MethodSpec.methodBuilder("start")
                .addModifiers(Modifier.PRIVATE)
                .returns(RuntimeException.class)
                .addJavadoc("Gives {@code helper} to the executor unless it is still queued there; returns the\n"
                        + "executor's exception (the batch is then closed to new work), else null.\n")
                .addParameter(helper, "helper")
                .addParameter(Executor.class, "executor")
                .beginControlFlow("synchronized (this)")
                .beginControlFlow("if (helper.queued)")
                .addStatement("return null")
                .endControlFlow()
                .addStatement("helper.queued = true")
                .endControlFlow()
                .beginControlFlow("try")
                .addStatement("executor.execute(helper)")
                .addStatement("return null")
                .nextControlFlow("catch ($T e)", RuntimeException.class)
                .beginControlFlow("synchronized (this)")
                .addStatement("helper.queued = false")
                .addStatement("next = end")
                .endControlFlow()
                .addStatement("return e")
                .endControlFlow()
                .build());
        t.addMethod(MethodSpec.methodBuilder("help")
                .addJavadoc("A helper's turn: joins the call in progress, if any, with its own instance.\n")
                .addParameter(helper, "helper")
                .beginControlFlow("synchronized (this)")
                .beginControlFlow("if (!open)")
                .addStatement("helper.queued = false")
                .addStatement("return")
                .endControlFlow()
                .addStatement("running++")
                .endControlFlow()
                .addStatement("work(helper.model)")
                .beginControlFlow("synchronized (this)")
                .addStatement("helper.queued = false")
                .beginControlFlow("if (--running == 0)")
                .addStatement("notifyAll()")
                .endControlFlow()
                .endControlFlow()
                .build());
        t.addMethod(MethodSpec.methodBuilder("work")
                .addModifiers(Modifier.PRIVATE)
                .addJavadoc("Takes blocks of images until none is left, running them on {@code model}'s scratch\n"
                        + "buffers; an exception is kept for the caller and ends the hand-out.\n")
                .addParameter(self, "model")
                .beginControlFlow("while (true)")
                .addStatement("int from")
                .addStatement("int to")
                .addStatement("float[][] in")
                .addStatement("float[][] out")
                .beginControlFlow("synchronized (this)")
                .beginControlFlow("if (next >= end)")
                .addStatement("return")
                .endControlFlow()
                .addStatement("from = next")
                .addStatement("to = Math.min(end, next + Math.max(1, Math.min(block, (end - next) / share)))")
                .addStatement("next = to")
                .addStatement("in = inputs")
                .addStatement("out = outputs")
                .endControlFlow()
                .beginControlFlow("try")
                .addCode(blocks ? CodeBlock.builder().addStatement("model.runBlock(in, out, from, to)").build()
                        : CodeBlock.builder().beginControlFlow("for (int i = from; i < to; i++)")
                                .addStatement("model.run(in[i], out[i], true)").endControlFlow().build())
                .nextControlFlow("catch ($T | $T e)", RuntimeException.class, Error.class)
                .beginControlFlow("synchronized (this)")
                .beginControlFlow("if (failure == null)")
                .addStatement("failure = e")
                .endControlFlow()
                .addStatement("next = end")
                .endControlFlow()
                .addStatement("return")
                .endControlFlow()
                .endControlFlow()
                .build());
        return t.build();
    }

    private TypeSpec helperType() {
        return TypeSpec.classBuilder(helper)
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                .addSuperinterface(Runnable.class)
                .addJavadoc("A task of the threaded {@code predictBatch}, given to the executor: joins the call in\n"
                        + "progress with an instance of its own.\n")
                .addField(batch, "batch", Modifier.PRIVATE, Modifier.FINAL)
                .addField(self, "model", Modifier.PRIVATE, Modifier.FINAL)
                .addField(FieldSpec.builder(boolean.class, "queued", Modifier.PRIVATE)
                        .addJavadoc("Given to the executor and not finished yet (guarded by {@code batch}).\n").build())
                .addMethod(MethodSpec.constructorBuilder()
                        .addParameter(batch, "batch")
                        .addParameter(self, "model")
                        .addStatement("this.batch = batch")
                        .addStatement("this.model = model")
                        .build())
                .addMethod(MethodSpec.methodBuilder("run")
                        .addAnnotation(Override.class)
                        .addModifiers(Modifier.PUBLIC)
                        .addStatement("batch.help(this)")
                        .build())
                .build();
    }
}
