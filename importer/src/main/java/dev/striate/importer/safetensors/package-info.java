/**
 * PyTorch weights for an existing Striate model: a {@code state_dict} saved as safetensors,
 * read directly and mapped onto the model's parameters ({@link dev.striate.importer.safetensors.StateDictImport}).
 */
package dev.striate.importer.safetensors;
