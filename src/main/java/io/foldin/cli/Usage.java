package io.foldin.cli;

import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * Bad usage, found by a command's own checks rather than by picocli's parser: a {@link ParameterException}, so
 * that it ends the same way as a parse error (one line, exit code {@link #EXIT}) and before anything is loaded
 * or started.
 */
final class Usage {
    /** Exit code of bad usage, picocli's default for invalid input. */
    static final int EXIT = CommandLine.ExitCode.USAGE;

    /** The {@code exitCodeList} lines the commands share (picocli's {@code key:description} form). */
    static final String HEADING = "%nExit codes:%n";
    static final String OK = "0:Done.";
    static final String FAILED = "1:A runtime failure (unreadable or malformed input, a port in use, ...).";
    static final String BAD_USAGE = "2:Bad usage: an unknown option, or a value that is missing or out of range.";

    private Usage() {
    }

    static ParameterException error(CommandSpec spec, String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /** Runs a check that reports a bad value by {@link IllegalArgumentException}, as a usage error. */
    static <T> T check(CommandSpec spec, Supplier<T> check) {
        try {
            return check.get();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }

    /** Whether {@code option} was given on the command line (not just defaulted). */
    static boolean given(CommandSpec spec, String option) {
        CommandLine.ParseResult parsed = spec.commandLine().getParseResult();
        return parsed != null && parsed.hasMatchedOption(option);
    }

    /** Rejects {@code option} when given without {@code needed}. */
    static void requires(CommandSpec spec, String option, boolean present, String needed) {
        if (given(spec, option) && !present) {
            throw error(spec, option + " has an effect only with " + needed);
        }
    }
}
