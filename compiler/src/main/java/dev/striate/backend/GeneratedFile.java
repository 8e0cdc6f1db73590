package dev.striate.backend;

/**
 * One output file: a Java source or a resource (the weights blob), with its path relative to
 * the source or resource root ({@code com/acme/Model.java}, {@code com/acme/Model.weights}).
 */
public record GeneratedFile(Kind kind, String relativePath, byte[] content) {
    public enum Kind {
        SOURCE,
        RESOURCE
    }
}
