package dev.striate.cli;

import dev.striate.train.VectorModule;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The launcher rule for the Vector API: {@code striate train} runs its matrix products on the
 * JDK's Vector API, which needs {@code --add-modules jdk.incubator.vector} on the java command
 * line. The launchers ({@code ./striate}, {@code bin/striate}, {@code bin/striate.bat}) and
 * {@code java -jar} all start the CLI without it; when {@link VectorModule#relaunch} says so, the
 * command runs again in a child JVM that has it, with the same JVM options, arguments and standard
 * streams, and its exit code becomes ours. The parent ignores Ctrl-C (the terminal sends it to the
 * child too, which saves its checkpoint) and passes SIGTERM on to the child. No other command needs
 * the module ({@code evaluate} runs the generated scalar class).
 */
final class VectorRelaunch {
    /** Set on the child, so that it never relaunches again. */
    static final String MARKER = "striate.relaunched";

    private VectorRelaunch() {
    }

    /** True when {@code args} name a command that trains and {@link VectorModule#relaunch(boolean)} says so. */
    static boolean wanted(String[] args) {
        return trains(args) && VectorModule.relaunch(System.getProperty(MARKER) != null);
    }

    /** True when {@code args} name a command that runs the training kernels. */
    static boolean trains(String[] args) {
        return args.length > 0 && args[0].equals("train");
    }

    /** The child's command line: this JVM's java and options, the module, the marker, the class path, Main, args. */
    static List<String> command(String[] args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.add(VectorModule.ADD_MODULES);
        cmd.add("-D" + MARKER + "=true");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Runs the command in the child JVM and returns its exit code (2 if it cannot be started). */
    @SuppressWarnings("removal")
    static int run(String[] args) {
        Process child;
        try {
            child = new ProcessBuilder(command(args)).inheritIO().start();
        } catch (java.io.IOException e) {
            System.err.println("striate: cannot start a JVM with " + VectorModule.NAME + " (" + e.getMessage()
                    + "); run java " + VectorModule.ADD_MODULES + " -jar ... yourself");
            return ExitCodes.INTERNAL_ERROR;
        }
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("INT"), sun.misc.SignalHandler.SIG_IGN);
            sun.misc.Signal.handle(new sun.misc.Signal("TERM"), s -> child.destroy());
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            // no such signal here: the child still gets Ctrl-C from the terminal
        }
        while (true) {
            try {
                return child.waitFor();
            } catch (InterruptedException e) {
                child.destroy();
            }
        }
    }
}
