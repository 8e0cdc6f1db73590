package dev.striate.spark;

import dev.striate.data.Augmentation;
import dev.striate.data.ImageShape;
import dev.striate.data.Normalization;
import dev.striate.optim.Optimizer;
import dev.striate.train.ImageTargets;
import dev.striate.train.Loss;
import dev.striate.train.Targets;
import dev.striate.train.TrainableModel;
import dev.striate.train.loss.SoftmaxCrossEntropy;
import dev.striate.weights.Tensor;
import java.io.Serializable;
import java.lang.reflect.InvocationTargetException;
import java.security.SecureRandom;
import java.util.Map;

/** The settings of a Spark training run that the tasks need, shipped with each epoch's stage. */
final class TrainSpec implements Serializable {
    private static final long serialVersionUID = 1L;
    final String trainerClass;
    final int tasks;
    final int batchSize;
    final long seed;
    final long size;
    /** The number of validation rows scored after each epoch, 0 for none. */
    final int heldSize;
    final SerializableSupplier<Optimizer> optimizer;
    final SerializableSupplier<Loss> loss;
    final Exchange exchange;
    /** Keras-style L2 on kernels ({@code striate train}'s {@code l2}), 0 for none. */
    final double kernelL2;
    /** Applied to each training sample, seeded by (seed, epoch, row), as {@code striate train} does. */
    final Augmentation augmentation;
    /** Applied to each sample after augmentation, or null. */
    final Normalization normalization;
    /** The samples' image shape for augmentation and normalization, or null. */
    final ImageShape shape;
    /** Image-to-image training's targets (the input, maybe noisy), or null for class labels. */
    final ImageTargets imageTargets;
    /** The run's secret for the direct exchange: a connection that does not present it is closed. */
    final byte[] token = new byte[16];

    TrainSpec(String trainerClass, int tasks, int batchSize, long seed, long size, int heldSize,
            SerializableSupplier<Optimizer> optimizer, SerializableSupplier<Loss> loss, Exchange exchange,
            double kernelL2, Augmentation augmentation, Normalization normalization, ImageShape shape,
            ImageTargets imageTargets) {
        this.trainerClass = trainerClass;
        this.tasks = tasks;
        this.batchSize = batchSize;
        this.seed = seed;
        this.size = size;
        this.heldSize = heldSize;
        this.optimizer = optimizer;
        this.loss = loss;
        this.exchange = exchange;
        this.kernelL2 = kernelL2;
        this.augmentation = augmentation;
        this.normalization = normalization;
        this.shape = shape;
        this.imageTargets = imageTargets;
        new SecureRandom().nextBytes(token);
    }

    /**
     * How the loss takes its targets, as {@code striate train} decides: images with image targets,
     * class indices for softmax cross-entropy, one-hot rows otherwise.
     */
    Targets targets() {
        if (imageTargets != null) {
            return Targets.IMAGES;
        }
        return loss.get() instanceof SoftmaxCrossEntropy ? Targets.LABELS : Targets.ONE_HOT;
    }

    /** A new instance of the generated trainer class with {@code weights}; E801 when it is not one. */
    TrainableModel newModel(Map<String, Tensor> weights) {
        Class<?> type;
        try {
            type = Printable.loadClass(trainerClass);
        } catch (ClassNotFoundException e) {
            throw new StriateSparkException(StriateSparkException.MODEL_CLASS, "trainer class " + trainerClass
                    + " is not on the class path: generate it ahead of time (docs/spark.md) into the job's jar", e);
        }
        if (!TrainableModel.class.isAssignableFrom(type)) {
            throw new StriateSparkException(StriateSparkException.MODEL_CLASS, "class " + trainerClass
                    + " is not a generated trainer (a dev.striate.train.TrainableModel)");
        }
        try {
            return (TrainableModel) type.getConstructor(Map.class).newInstance(weights);
        } catch (InvocationTargetException e) {
            throw new StriateSparkException(StriateSparkException.MODEL_CLASS, "trainer " + trainerClass
                    + " refused the weights: " + e.getCause().getMessage(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new StriateSparkException(StriateSparkException.MODEL_CLASS, "class " + trainerClass
                    + " has no public constructor taking the weights (Map<String, Tensor>)", e);
        }
    }
}
