/**
 * Reverse-mode differentiation of the IR: one {@link dev.striate.autodiff.GradRule} per op kind,
 * all registered in {@link dev.striate.autodiff.GradRules}, a visitor over the sealed op kinds
 * (a new op does not compile until it has a rule there). A rule writes the op's training-mode
 * forward pass (saving what its backward needs) and its backward pass (input gradients accumulated
 * with {@code +=}, parameter gradients summed over positions and samples) as specialized Java,
 * through the names a {@link dev.striate.autodiff.RuleContext} gives it. The trainer backend in
 * {@code dev.striate.backend.train} assembles these methods into a class.
 */
package dev.striate.autodiff;
