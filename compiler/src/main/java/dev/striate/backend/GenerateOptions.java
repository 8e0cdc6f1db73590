package dev.striate.backend;

/**
 * What the Java backend emits: the generated class's package and simple name, and whether the
 * weights go into a resource blob beside the class (default) or into the source itself.
 */
public record GenerateOptions(String packageName, String className, boolean singleFile) {
}
