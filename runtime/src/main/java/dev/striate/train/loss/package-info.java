/**
 * Loss heads fused with their output activation, implementing {@link dev.striate.train.Loss}:
 * {@link dev.striate.train.loss.SoftmaxCrossEntropy}, {@link dev.striate.train.loss.SigmoidBinaryCrossEntropy}
 * and {@link dev.striate.train.loss.MeanSquaredError}, with the reductions of PyTorch's defaults.
 * {@link dev.striate.train.loss.Losses} picks one by the name a {@code train} block uses. Tested
 * against fixtures written by {@code tools/reference/loss_fixtures.py}.
 */
package dev.striate.train.loss;
