package dev.striate.spark;

import dev.striate.optim.Optimizer;
import dev.striate.train.ShardStep;
import dev.striate.train.TrainableModel;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.zip.CRC32;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.broadcast.Broadcast;
import scala.runtime.AbstractFunction1;

/**
 * One epoch on one task of the barrier stage. The task holds slice {@code t} of every batch of
 * the epoch (the driver shuffled them to it). For each batch it runs the generated trainer's
 * forward and backward over its slice ({@link ShardStep}), exchanges the slice gradients with
 * {@link BarrierTaskContext#allGather} (every task receives every task's gradients), sums them in
 * task order 0 + 1 + ... and applies the optimizer step; every task therefore holds the same
 * weights after every step. Task 0 returns the state after the epoch; every task returns a CRC of
 * its weights so the driver can check that they agree.
 */
final class EpochTask extends AbstractFunction1<scala.collection.Iterator<Slot>, scala.collection.Iterator<EpochTask.Out>>
        implements Serializable {
    private static final long serialVersionUID = 1L;
    private final TrainSpec spec;
    private final Broadcast<TrainState> start;

    /** A task's result: the CRC of its weights, and (task 0) the state and the epoch's totals. */
    record Out(int task, long crc, TrainState state, double lossSum, long correct, long seen) implements Serializable {
    }

    EpochTask(TrainSpec spec, Broadcast<TrainState> start) {
        this.spec = spec;
        this.start = start;
    }

    @Override
    public scala.collection.Iterator<Out> apply(scala.collection.Iterator<Slot> rows) {
        BarrierTaskContext ctx = BarrierTaskContext.get();
        int t = ctx.partitionId();
        int tasks = spec.tasks;
        List<Slot> mine = new ArrayList<>();
        scala.jdk.javaapi.CollectionConverters.asJava(rows).forEachRemaining(mine::add);
        mine.sort(Comparator.comparingInt(Slot::position));
        TrainState state = start.value();
        TrainableModel model = spec.newModel(state.tensors());
        Optimizer optimizer = spec.optimizer.get();
        state.restoreOptimizer(model, optimizer);
        int batch = spec.batchSize;
        ShardStep step = new ShardStep(model, spec.loss.get(), spec.targets(), (batch + tasks - 1) / tasks);
        float[][] params = model.parameters().stream().map(p -> p.data()).toArray(float[][]::new);
        float[][] sum = new float[params.length][];
        for (int p = 0; p < params.length; p++) {
            sum[p] = new float[params[p].length];
        }
        int in = model.inputSize();
        float[] images = new float[step.maxSlice() * in];
        int[] labels = new int[step.maxSlice()];
        double lossSum = 0;
        long correct = 0;
        int cursor = 0;
        int batches = (int) ((spec.size + batch - 1) / batch);
        for (int b = 0; b < batches; b++) {
            int n = (int) Math.min(batch, spec.size - (long) b * batch);
            int from = ShardStep.sliceStart(t, n, tasks);
            int m = ShardStep.sliceStart(t + 1, n, tasks) - from;
            String message = "";
            if (m > 0) {
                for (int k = 0; k < m; k++) {
                    Slot s = mine.get(cursor + k);
                    if (s.position() != b * batch + from + k) {
                        throw new IllegalStateException("task " + t + " holds position " + s.position()
                                + " where batch " + b + " needs " + (b * batch + from + k));
                    }
                    System.arraycopy(s.sample().values(), 0, images, k * in, in);
                    labels[k] = s.sample().label();
                }
                cursor += m;
                float[][] g = step.run(images, labels, m, n, t, ShardStep.batchSeed(spec.seed, state.epoch, b));
                message = encode(g, step.loss() * m / n, step.correct());
            }
            String[] all = ctx.allGather(message);
            boolean first = true;
            for (int u = 0; u < tasks; u++) {            // the fixed order: task 0, 1, ...
                if (all[u].isEmpty()) {
                    continue;
                }
                ByteBuffer buf = ByteBuffer.wrap(Base64.getDecoder().decode(all[u]));
                lossSum += buf.getDouble() * n;
                correct += buf.getInt();
                for (float[] acc : sum) {
                    for (int i = 0; i < acc.length; i++) {
                        float v = buf.getFloat();
                        acc[i] = first ? v : acc[i] + v;
                    }
                }
                first = false;
            }
            optimizer.step(params, sum);
        }
        if (cursor != mine.size()) {
            throw new IllegalStateException("task " + t + " was given " + mine.size() + " samples, used " + cursor);
        }
        CRC32 crc = new CRC32();
        for (float[] p : params) {
            ByteBuffer bb = ByteBuffer.allocate(p.length * Float.BYTES);
            bb.asFloatBuffer().put(p);
            crc.update(bb.array());
        }
        TrainState after = t == 0 ? TrainState.capture(state.epoch + 1, model, optimizer) : null;
        Out out = new Out(t, crc.getValue(), after, lossSum, correct, spec.size);
        return scala.jdk.javaapi.CollectionConverters.asScala(List.of(out).iterator());
    }

    /** The slice's batch-weighted loss, its correct count and its gradients, as one base64 string. */
    private static String encode(float[][] g, double weightedLoss, int correct) {
        int count = 0;
        for (float[] p : g) {
            count += p.length;
        }
        ByteBuffer buf = ByteBuffer.allocate(Double.BYTES + Integer.BYTES + count * Float.BYTES);
        buf.putDouble(weightedLoss).putInt(correct);
        for (float[] p : g) {
            buf.asFloatBuffer().put(p);
            buf.position(buf.position() + p.length * Float.BYTES);
        }
        return Base64.getEncoder().encodeToString(buf.array());
    }
}
