package dev.striate.maven;

import java.util.List;

/**
 * An {@link Ensemble} of the configuration resolved against the source directory.
 *
 * @param name    the ensemble class's simple name
 * @param members the members' model files, in order
 * @param weights the members' weights, in order, or empty for equal weights
 */
record EnsembleSource(String name, List<ModelSource> members, List<Double> weights) {
}
