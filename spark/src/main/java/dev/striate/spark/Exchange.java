package dev.striate.spark;

/** How the tasks of a Spark training run exchange their gradients each step (docs/spark.md). */
public enum Exchange {
    /**
     * A TCP chain among the barrier tasks (the default): executors connect to each other directly
     * on ephemeral ports, each step costs the network's latency and {@code 2 x 4} bytes per
     * parameter per task.
     */
    DIRECT,
    /**
     * Spark's {@code BarrierTaskContext.allGather}, relayed by the driver: needs no connection
     * between executors, but a step waits up to a second (the task polls for the reply in
     * one-second sleeps) and the driver relays {@code T^2} messages.
     */
    SPARK
}
