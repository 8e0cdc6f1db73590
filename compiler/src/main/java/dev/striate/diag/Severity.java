package dev.striate.diag;

/** How bad a diagnostic is: errors stop compilation, warnings are reported and compilation goes on. */
public enum Severity {
    ERROR,
    WARNING;

    @Override
    public String toString() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
