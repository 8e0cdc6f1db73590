package dev.striate.weights;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.PrettyPrinter;
import java.io.IOException;

/**
 * Lays the manifest out for people and diffs: the top-level object and the tensor list one
 * entry per line (two-space indent), everything deeper on one line ({@code "shape": [32, 1, 3, 3]}).
 * Line ends are always {@code \n}, whatever the platform.
 */
final class ManifestPrettyPrinter implements PrettyPrinter {
    /** Containers at this depth or shallower break their entries over lines. */
    private static final int BROKEN_DEPTH = 2;

    private int depth;

    private boolean broken() {
        return depth <= BROKEN_DEPTH;
    }

    private void newline(JsonGenerator g, int indentLevel) throws IOException {
        g.writeRaw('\n');
        for (int i = 0; i < indentLevel; i++) {
            g.writeRaw("  ");
        }
    }

    private void separator(JsonGenerator g) throws IOException {
        g.writeRaw(',');
        if (broken()) {
            newline(g, depth);
        } else {
            g.writeRaw(' ');
        }
    }

    private void open(JsonGenerator g, char c) throws IOException {
        g.writeRaw(c);
        depth++;
    }

    private void close(JsonGenerator g, char c, int entries) throws IOException {
        boolean wasBroken = broken();
        depth--;
        if (wasBroken && entries > 0) {
            newline(g, depth);
        }
        g.writeRaw(c);
    }

    private void beforeEntries(JsonGenerator g) throws IOException {
        if (broken()) {
            newline(g, depth);
        }
    }

    @Override
    public void writeRootValueSeparator(JsonGenerator g) throws IOException {
        g.writeRaw('\n');
    }

    @Override
    public void writeStartObject(JsonGenerator g) throws IOException {
        open(g, '{');
    }

    @Override
    public void writeEndObject(JsonGenerator g, int nrOfEntries) throws IOException {
        close(g, '}', nrOfEntries);
    }

    @Override
    public void writeObjectEntrySeparator(JsonGenerator g) throws IOException {
        separator(g);
    }

    @Override
    public void writeObjectFieldValueSeparator(JsonGenerator g) throws IOException {
        g.writeRaw(": ");
    }

    @Override
    public void writeStartArray(JsonGenerator g) throws IOException {
        open(g, '[');
    }

    @Override
    public void writeEndArray(JsonGenerator g, int nrOfValues) throws IOException {
        close(g, ']', nrOfValues);
    }

    @Override
    public void writeArrayValueSeparator(JsonGenerator g) throws IOException {
        separator(g);
    }

    @Override
    public void beforeArrayValues(JsonGenerator g) throws IOException {
        beforeEntries(g);
    }

    @Override
    public void beforeObjectEntries(JsonGenerator g) throws IOException {
        beforeEntries(g);
    }
}
