package dev.striate;

/**
 * How a front end names the {@link CompileOption}s in the compiler's messages, so that a
 * message tells each user the setting they can actually change: {@code --max-params} on the
 * command line, {@code <maxParams>} in the Maven plugin.
 */
@FunctionalInterface
public interface OptionNames {
    /** The command line's names: each option's flag. */
    OptionNames FLAGS = CompileOption::flag;

    /**
     * How {@code option} is written in a message, or null when this front end has no such
     * setting (the message then leaves out the advice to change it).
     */
    String name(CompileOption option);
}
