package dev.striate.maven;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.codehaus.plexus.util.Scanner;
import org.sonatype.plexus.build.incremental.BuildContext;

/**
 * A {@link BuildContext} like an IDE's: it records every call, in order, as one line each
 * ({@code message <file>:<line>:<col> <severity> <text>}, {@code remove <file>}, {@code refresh
 * <file>}), and answers {@link #hasDelta} from {@link #delta} when {@link #incremental}.
 */
final class RecordingBuildContext implements BuildContext {
    final List<String> calls = new ArrayList<>();
    final Set<File> delta = new HashSet<>();
    boolean incremental;
    private final Map<String, Object> values = new HashMap<>();

    List<String> calls(String kind) {
        String prefix = kind + " ";
        return calls.stream().filter(c -> c.startsWith(prefix)).map(c -> c.substring(prefix.length())).toList();
    }

    @Override
    public boolean hasDelta(String relpath) {
        throw new UnsupportedOperationException("the plugin asks about files, by absolute path");
    }

    @Override
    public boolean hasDelta(File file) {
        calls.add("hasDelta " + file);
        return !incremental || delta.contains(file);
    }

    @Override
    public boolean hasDelta(List relpaths) {
        throw new UnsupportedOperationException("the plugin asks about files, by absolute path");
    }

    @Override
    public void refresh(File file) {
        calls.add("refresh " + file);
    }

    @Override
    public OutputStream newFileOutputStream(File file) throws IOException {
        calls.add("newFileOutputStream " + file);
        return Files.newOutputStream(file.toPath());
    }

    @Override
    public Scanner newScanner(File basedir) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Scanner newDeleteScanner(File basedir) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Scanner newScanner(File basedir, boolean ignoreDelta) {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean isIncremental() {
        return incremental;
    }

    @Override
    public void setValue(String key, Object value) {
        values.put(key, value);
    }

    @Override
    public Object getValue(String key) {
        return values.get(key);
    }

    @Override
    public void addWarning(File file, int line, int column, String message, Throwable cause) {
        addMessage(file, line, column, message, SEVERITY_WARNING, cause);
    }

    @Override
    public void addError(File file, int line, int column, String message, Throwable cause) {
        addMessage(file, line, column, message, SEVERITY_ERROR, cause);
    }

    @Override
    public void addMessage(File file, int line, int column, String message, int severity, Throwable cause) {
        calls.add("message " + file + ":" + line + ":" + column + " "
                + (severity == SEVERITY_ERROR ? "error" : severity == SEVERITY_WARNING ? "warning" : "?" + severity)
                + " " + message + (cause == null ? "" : " cause=" + cause));
    }

    @Override
    public void removeMessages(File file) {
        calls.add("remove " + file);
    }

    @Override
    public boolean isUptodate(File target, File source) {
        throw new UnsupportedOperationException();
    }
}
