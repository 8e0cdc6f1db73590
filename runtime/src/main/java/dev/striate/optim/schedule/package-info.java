/**
 * Learning-rate schedules as pure functions from an epoch (or step) to a rate, matching PyTorch's
 * {@code StepLR}, {@code CosineAnnealingLR} and {@code LinearLR}, with an optional linear
 * {@link dev.striate.optim.schedule.Warmup}.
 */
package dev.striate.optim.schedule;
