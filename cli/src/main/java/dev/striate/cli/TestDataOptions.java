package dev.striate.cli;

import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** The test data and worker threads of the commands that evaluate a model ({@code evaluate}, {@code report}). */
public final class TestDataOptions {
    @Option(names = {"-d", "--data"}, paramLabel = "mnist|fashion-mnist|DIR", required = true,
            description = "The data: 'mnist', 'fashion-mnist' or a folder (IDX files or an image folder).")
    String data;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "2",
            description = "Worker threads (default: ${DEFAULT-VALUE}).")
    int threads;

    /** The threads, refused below 1 as a usage error of {@code command}. */
    int threads(picocli.CommandLine command) {
        if (threads < 1) {
            throw new ParameterException(command, "--threads must be at least 1");
        }
        return threads;
    }
}
