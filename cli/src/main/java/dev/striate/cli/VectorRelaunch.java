package dev.striate.cli;

import java.lang.module.ModuleFinder;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code striate train} and {@code evaluate} run their matrix products on the JDK's Vector API,
 * which needs {@code --add-modules jdk.incubator.vector} on the java command line. When the CLI
 * jar is started without it ({@code java -jar striate-cli.jar train ...}) and the JDK has the
 * module, the command runs again in a child JVM that has it, with the same JVM options, arguments
 * and standard streams; its exit code becomes ours. The parent ignores Ctrl-C (the terminal sends it
 * to the child too, which saves its checkpoint) and passes SIGTERM on to the child.
 */
final class VectorRelaunch {
    static final String MODULE = "jdk.incubator.vector";
    /** Set on the child, so that it never relaunches again. */
    static final String MARKER = "striate.relaunched";

    private VectorRelaunch() {
    }

    /**
     * True when {@code args} name a training command, the module is missing here but present in the
     * JDK, nobody asked for the plain kernel ({@code -Dstriate.kernel}, {@code STRIATE_KERNEL}) and
     * this JVM is not itself a relaunch.
     */
    static boolean wanted(String[] args, boolean moduleLoaded, boolean moduleInJdk, Map<String, String> env,
                          String kernelProperty, String marker) {
        if (args.length == 0 || !(args[0].equals("train") || args[0].equals("evaluate"))) {
            return false;
        }
        if (moduleLoaded || !moduleInJdk || marker != null || kernelProperty != null) {
            return false;
        }
        return !"scalar".equals(env.getOrDefault("STRIATE_KERNEL", "").toLowerCase(Locale.ROOT));
    }

    static boolean wanted(String[] args) {
        return wanted(args, ModuleLayer.boot().findModule(MODULE).isPresent(),
                ModuleFinder.ofSystem().find(MODULE).isPresent(), System.getenv(), System.getProperty("striate.kernel"),
                System.getProperty(MARKER));
    }

    /** The child's command line: this JVM's java and options, the module, the marker, the class path, Main, args. */
    static List<String> command(String[] args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.add("--add-modules=" + MODULE);
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
            System.err.println("striate: cannot start a JVM with " + MODULE + " (" + e.getMessage()
                    + "); run java --add-modules " + MODULE + " -jar ... yourself");
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
