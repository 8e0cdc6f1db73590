package dev.striate.spark;

import dev.striate.data.Shuffle;
import dev.striate.optim.Optimizer;
import dev.striate.train.ShardStep;
import dev.striate.train.Trainer;
import dev.striate.train.TrainableModel;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.broadcast.Broadcast;
import scala.runtime.AbstractFunction1;

/**
 * One epoch on one task of the barrier stage. The task holds slice {@code t} of every batch of
 * the epoch (the driver shuffled them to it). For each batch it runs the generated trainer's
 * forward and backward over its slice ({@link ShardStep}), sums the slice gradients of all tasks
 * in task order 0 + 1 + ... (over a {@link ChainExchange}, or {@link BarrierTaskContext#allGather}
 * with {@link Exchange#SPARK}) and applies the optimizer step; every task therefore holds the same
 * weights after every step. Task 0 returns the state after the epoch; every task returns a CRC of
 * its weights so the driver can check that they agree.
 */
final class EpochTask extends AbstractFunction1<scala.collection.Iterator<Slot>, scala.collection.Iterator<EpochTask.Out>>
        implements Serializable {
    private static final long serialVersionUID = 1L;
    private final TrainSpec spec;
    private final Broadcast<TrainState> start;
    private final double lr;

    /**
     * A task's result: the CRC of its weights, (task 0) the state, the epoch's totals, and its share
     * of the validation: per evaluation batch, its slice's mean loss times its size (0 where it has
     * no slice), and how many of its validation rows it classified right.
     */
    record Out(int task, long crc, TrainState state, double lossSum, long correct, long seen, double[] heldLoss,
            long heldCorrect) implements Serializable {
    }

    EpochTask(TrainSpec spec, Broadcast<TrainState> start, double lr) {
        this.spec = spec;
        this.start = start;
        this.lr = lr;
    }

    @Override
    public scala.collection.Iterator<Out> apply(scala.collection.Iterator<Slot> rows) {
        BarrierTaskContext ctx = BarrierTaskContext.get();
        int t = ctx.partitionId();
        int tasks = spec.tasks;
        List<Slot> mine = new ArrayList<>();
        List<Slot> held = new ArrayList<>();
        scala.jdk.javaapi.CollectionConverters.asJava(rows).forEachRemaining(r -> (r.held() ? held : mine).add(r));
        mine.sort(Comparator.comparingInt(Slot::position));
        held.sort(Comparator.comparingInt(Slot::position));
        TrainState state = start.value();
        TrainableModel model = spec.newModel(state.tensors());
        Optimizer optimizer = spec.optimizer.get();
        state.restoreOptimizer(model, optimizer);
        optimizer.setLearningRate(lr);                   // the epoch's rate from the schedule, as striate train sets it
        boolean[] kernels = Trainer.kernels(model.parameters());
        float[] scratch = spec.augmentation.isNone() ? null : new float[model.inputSize()];
        int batch = spec.batchSize;
        ShardStep step = new ShardStep(model, spec.loss.get(), spec.targets(), spec.imageTargets, spec.seed,
                (batch + tasks - 1) / tasks);
        float[][] params = model.parameters().stream().map(p -> p.data()).toArray(float[][]::new);
        float[][] sum = new float[params.length][];
        int count = 0;
        for (int p = 0; p < params.length; p++) {
            sum[p] = new float[params[p].length];
            count += params[p].length;
        }
        float[] own = new float[count];
        float[] total = new float[count];
        ChainExchange.Totals totals = new ChainExchange.Totals(tasks);
        int in = model.inputSize();
        float[] images = new float[step.maxSlice() * in];
        int[] labels = new int[step.maxSlice()];
        int[] indices = new int[step.maxSlice()];
        double lossSum = 0;
        long correct = 0;
        int cursor = 0;
        int batches = (int) ((spec.size + batch - 1) / batch);
        try (ChainExchange chain = spec.exchange == Exchange.DIRECT && tasks > 1
                ? ChainExchange.open(ctx, tasks, spec.token) : null) {
            for (int b = 0; b < batches; b++) {
                int n = (int) Math.min(batch, spec.size - (long) b * batch);
                int from = ShardStep.sliceStart(t, n, tasks);
                int m = ShardStep.sliceStart(t + 1, n, tasks) - from;
                totals.present[t] = m > 0;
                if (m > 0) {
                    for (int k = 0; k < m; k++) {
                        Slot s = mine.get(cursor + k);
                        if (s.position() != b * batch + from + k) {
                            throw new IllegalStateException("task " + t + " holds position " + s.position()
                                    + " where batch " + b + " needs " + (b * batch + from + k));
                        }
                        System.arraycopy(s.sample().values(), 0, images, k * in, in);
                        if (scratch != null) {             // MiniBatches' seed: (seed, epoch, the row's index)
                            spec.augmentation.apply(images, k * in, spec.shape, new SplittableRandom(
                                    Shuffle.seed(spec.seed, state.epoch, s.sample().index())), scratch);
                        }
                        if (spec.normalization != null) {
                            spec.normalization.apply(images, k * in, spec.shape);
                        }
                        labels[k] = s.sample().label();
                        indices[k] = (int) s.sample().index();
                    }
                    cursor += m;
                    float[][] g = step.run(images, labels, indices, m, n, t, state.epoch,
                            ShardStep.batchSeed(spec.seed, state.epoch, b));
                    flatten(g, own);
                    totals.loss[t] = step.loss() * m / n;
                    totals.correct[t] = step.correct();
                }
                reduce(ctx, chain, own, total, totals);
                double batchLoss = 0;                        // as the single JVM's TrainStep and Trainer sum it
                for (int u = 0; u < tasks; u++) {            // the fixed order: task 0, 1, ...
                    if (totals.present[u]) {
                        batchLoss += totals.loss[u];
                        correct += totals.correct[u];
                    }
                }
                lossSum += batchLoss * n;
                unflatten(total, sum);
                Trainer.addKernelL2(params, sum, kernels, (float) (2 * spec.kernelL2));
                optimizer.step(params, sum);
            }
            if (spec.heldSize > 0 && tasks > 1 && !model.buffers().isEmpty()) {
                shareBuffers(ctx, chain, model, tasks);
            }
        }
        if (cursor != mine.size()) {
            throw new IllegalStateException("task " + t + " was given " + mine.size() + " samples, used " + cursor);
        }
        double[] heldLoss = new double[(spec.heldSize + batch - 1) / batch];
        long heldCorrect = validate(step, held, heldLoss, images, labels, indices);
        CRC32 crc = new CRC32();
        for (float[] p : params) {
            ByteBuffer bb = ByteBuffer.allocate(p.length * Float.BYTES);
            bb.asFloatBuffer().put(p);
            crc.update(bb.array());
        }
        TrainState after = t == 0 ? TrainState.capture(state.epoch + 1, model, optimizer) : null;
        Out out = new Out(t, crc.getValue(), after, lossSum, correct, spec.size, heldLoss, heldCorrect);
        return scala.jdk.javaapi.CollectionConverters.asScala(List.of(out).iterator());
    }

    /** Sums {@code own} over the present tasks in task order into {@code total}, by the run's exchange. */
    private static void reduce(BarrierTaskContext ctx, ChainExchange chain, float[] own, float[] total,
            ChainExchange.Totals totals) {
        if (chain != null) {
            chain.allReduce(own, total, totals);
        } else if (totals.present.length > 1) {
            allGather(ctx, own, total, totals);
        } else {
            System.arraycopy(own, 0, total, 0, own.length);
        }
    }

    /**
     * Gives every task task 0's buffers (batch norm's running statistics, which each task updated
     * from its own slices; the single JVM keeps slice 0's), so that validation scores with the
     * statistics the run keeps: an exchange in which task 0 alone is present, so nothing is added.
     */
    private static void shareBuffers(BarrierTaskContext ctx, ChainExchange chain, TrainableModel model, int tasks) {
        float[][] buffers = model.buffers().stream().map(b -> b.data()).toArray(float[][]::new);
        int count = 0;
        for (float[] b : buffers) {
            count += b.length;
        }
        float[] own = new float[count];
        float[] total = new float[count];
        flatten(buffers, own);
        ChainExchange.Totals totals = new ChainExchange.Totals(tasks);
        totals.present[0] = ctx.partitionId() == 0;
        reduce(ctx, chain, own, total, totals);
        unflatten(total, buffers);
    }

    /**
     * Scores this task's slice of every validation batch with the epoch's final weights, in
     * inference mode, as the single JVM's {@code Evaluator} scores slice {@code t} with
     * {@code slices = tasks}: the same samples in the same slices, normalized, not augmented.
     * Fills {@code heldLoss} (per batch) and returns the number classified right.
     */
    private long validate(ShardStep step, List<Slot> held, double[] heldLoss, float[] images, int[] labels,
            int[] indices) {
        int t = BarrierTaskContext.get().partitionId();
        int batch = spec.batchSize;
        int in = images.length / step.maxSlice();
        long correct = 0;
        int cursor = 0;
        for (int b = 0; b < heldLoss.length; b++) {
            int n = Math.min(batch, spec.heldSize - b * batch);
            int from = ShardStep.sliceStart(t, n, spec.tasks);
            int m = ShardStep.sliceStart(t + 1, n, spec.tasks) - from;
            for (int k = 0; k < m; k++) {
                Slot s = held.get(cursor + k);
                if (s.position() != b * batch + from + k) {
                    throw new IllegalStateException("task " + t + " holds validation row " + s.position()
                            + " where batch " + b + " needs " + (b * batch + from + k));
                }
                System.arraycopy(s.sample().values(), 0, images, k * in, in);
                if (spec.normalization != null) {
                    spec.normalization.apply(images, k * in, spec.shape);
                }
                labels[k] = s.sample().label();
                indices[k] = s.position();
            }
            cursor += m;
            if (m > 0) {
                heldLoss[b] = step.evaluate(images, labels, indices, m);
                correct += step.correct();
            }
        }
        if (cursor != held.size()) {
            throw new IllegalStateException("task " + t + " was given " + held.size() + " validation rows, used " + cursor);
        }
        return correct;
    }

    /**
     * The exchange through Spark ({@link Exchange#SPARK}): every task's numbers and gradients, base64,
     * to every task by {@code allGather}, summed in task order 0 + 1 + ... (tasks without a slice send
     * an empty string and are skipped).
     */
    private static void allGather(BarrierTaskContext ctx, float[] own, float[] total, ChainExchange.Totals totals) {
        int t = ctx.partitionId();
        String message = "";
        if (totals.present[t]) {
            ByteBuffer buf = ByteBuffer.allocate(Double.BYTES + Integer.BYTES + own.length * Float.BYTES);
            buf.putDouble(totals.loss[t]).putInt(totals.correct[t]);
            buf.asFloatBuffer().put(own);
            message = Base64.getEncoder().encodeToString(buf.array());
        }
        String[] all = ctx.allGather(message);
        boolean first = true;
        for (int u = 0; u < all.length; u++) {
            totals.present[u] = !all[u].isEmpty();
            if (!totals.present[u]) {
                continue;
            }
            ByteBuffer buf = ByteBuffer.wrap(Base64.getDecoder().decode(all[u]));
            totals.loss[u] = buf.getDouble();
            totals.correct[u] = buf.getInt();
            for (int i = 0; i < total.length; i++) {
                float v = buf.getFloat();
                total[i] = first ? v : total[i] + v;
            }
            first = false;
        }
    }

    private static void flatten(float[][] parts, float[] into) {
        int at = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, into, at, p.length);
            at += p.length;
        }
    }

    private static void unflatten(float[] from, float[][] parts) {
        int at = 0;
        for (float[] p : parts) {
            System.arraycopy(from, at, p, 0, p.length);
            at += p.length;
        }
    }
}
