package dev.striate.maven;

import dev.striate.diag.Diagnostic;
import dev.striate.diag.SourcePos;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import org.apache.maven.plugin.logging.Log;
import org.sonatype.plexus.build.incremental.BuildContext;
import org.sonatype.plexus.build.incremental.DefaultBuildContext;

/**
 * Where a run's findings go. Each diagnostic is logged once, as {@code file:line:col: error:
 * message [code]}: the first {@link #MAX_PRINTED} errors and as many warnings, the rest at debug
 * level ({@code mvn -X}) and counted in one closing line, so that a broken tree does not flood
 * the log. In an IDE (m2e), the {@link BuildContext} also gets every diagnostic as a marker on
 * its file and line, learns which generated files changed, and says which inputs changed since
 * its last build. Maven's own {@link DefaultBuildContext} gets no markers: it would only log
 * each message a second time.
 */
final class BuildFeedback {
    /** The most errors, and separately the most warnings, one run logs at info level and above. */
    static final int MAX_PRINTED = 50;

    private final Log log;
    private final BuildContext context;
    private final boolean markers;
    private int errorsShown;
    private int warningsShown;
    private int errorsHidden;
    private int warningsHidden;

    /** Feedback to {@code log} and to {@code context} (null: Maven's default, the file system). */
    BuildFeedback(Log log, BuildContext context) {
        this.log = log;
        this.context = context == null ? new DefaultBuildContext() : context;
        this.markers = !(this.context instanceof DefaultBuildContext);
    }

    Log log() {
        return log;
    }

    /** False only in an IDE's incremental build that saw none of {@code inputs} change. */
    boolean mayHaveChanged(List<Path> inputs) {
        if (!context.isIncremental()) {
            return true;
        }
        return inputs.stream().anyMatch(f -> context.hasDelta(f.toFile()));
    }

    /** Forgets the markers on {@code files}, which are about to be checked again. */
    void clear(List<Path> files) {
        if (markers) {
            files.forEach(f -> context.removeMessages(f.toFile()));
        }
    }

    /** Logs {@code d} (within the cap) and marks it on its file, or on {@code model} if it has no position. */
    void report(Diagnostic d, Path model) {
        boolean error = d.isError();
        if ((error ? errorsShown : warningsShown) < MAX_PRINTED) {
            if (error) {
                errorsShown++;
                log.error(d.format());
            } else {
                warningsShown++;
                log.warn(d.format());
            }
        } else {
            if (error) {
                errorsHidden++;
            } else {
                warningsHidden++;
            }
            log.debug(d.format());
        }
        if (markers) {
            SourcePos pos = d.pos();
            boolean placed = pos != null && !pos.equals(SourcePos.NONE);
            File file = placed ? new File(pos.file()) : model.toFile();
            context.addMessage(file, placed ? Math.max(0, pos.line()) : 0, placed ? Math.max(0, pos.column()) : 0,
                    d.message() + " [" + d.code().code() + "]",
                    error ? BuildContext.SEVERITY_ERROR : BuildContext.SEVERITY_WARNING, null);
        }
    }

    /** Tells the IDE that {@code file} was written or deleted. */
    void refresh(Path file) {
        context.refresh(file.toFile());
    }

    /** Logs how many diagnostics the cap held back, if any. */
    void finish() {
        if (errorsHidden + warningsHidden == 0) {
            return;
        }
        String errors = count(errorsHidden, "more error");
        String warnings = count(warningsHidden, "more warning");
        String hidden = errorsHidden == 0 ? warnings : warningsHidden == 0 ? errors : errors + " and " + warnings;
        String text = "... and " + hidden + " not shown (the log shows the first " + MAX_PRINTED
                + " of each kind; mvn -X shows all)";
        if (errorsHidden > 0) {
            log.error(text);
        } else {
            log.warn(text);
        }
    }

    static String count(int n, String word) {
        return n + " " + word + (n == 1 ? "" : "s");
    }
}
