package dev.striate.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code -o FILE.png} option of the {@code striate show} commands. */
public final class ShowOutput {
    @Option(names = {"-o", "--output"}, paramLabel = "FILE.png", required = true,
            description = "The PNG file to write (replaced atomically; nothing is written on failure).")
    Path file;

    /** The checked output path (E705 unless a .png file name that is not a folder). */
    Path file() {
        return ShowModel.output(file);
    }
}
