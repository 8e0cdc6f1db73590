package dev.striate.spark;

import java.io.Serializable;
import java.util.function.Supplier;

/** A supplier Spark can ship to the executors: {@code (SerializableSupplier<Optimizer>) () -> Adam.builder().build()}. */
@FunctionalInterface
public interface SerializableSupplier<T> extends Supplier<T>, Serializable {
}
