/**
 * Keras import: Keras 3 {@code .keras} archives and Keras 2 {@code .h5} files (Sequential and
 * Functional models) into a readable {@code .cnn} model and Striate weights; see docs/import.md.
 */
package dev.striate.importer.keras;
