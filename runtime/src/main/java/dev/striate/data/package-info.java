/**
 * Training data: IDX files ({@link dev.striate.data.IdxFile}, MNIST's format), image folders
 * ({@link dev.striate.data.ImageFolder}), the {@link dev.striate.data.Dataset} abstraction,
 * seeded shuffling and validation splits, normalization, seeded augmentation and
 * {@link dev.striate.data.MiniBatches}; {@link dev.striate.data.Mnist} reads the cache that
 * {@code tools/data/fetch-mnist.sh} fills.
 */
package dev.striate.data;
