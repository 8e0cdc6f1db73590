/**
 * Optimizers over {@code float[]} parameter/gradient pairs with the update rules and defaults of
 * PyTorch's {@code torch.optim} ({@link dev.striate.optim.Sgd}, {@link dev.striate.optim.Adagrad},
 * {@link dev.striate.optim.RmsProp}, {@link dev.striate.optim.Adam}), L1/L2
 * {@link dev.striate.optim.Regularization}, and learning-rate schedules in
 * {@link dev.striate.optim.schedule}. Tested against fixtures written by
 * {@code tools/reference/optim_fixtures.py}.
 */
package dev.striate.optim;
