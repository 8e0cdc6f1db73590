/**
 * Arguments of calls, for every caller: {@link dev.striate.frontend.args.Arguments} matches a
 * call's positional and keyword arguments to parameter names (layers in a model, through
 * {@code frontend.lower}'s op signatures, and calls in a train block), {@link
 * dev.striate.frontend.args.Values} reads typed values and {@link dev.striate.frontend.args.Range}
 * names the allowed numbers once ({@code FRACTION} is {@code [0, 1]}, {@code PROPER_FRACTION}
 * {@code [0, 1)}).
 */
package dev.striate.frontend.args;
