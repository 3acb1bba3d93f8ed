package io.foldin.cli;

import java.util.Locale;

/** Progress lines on stderr, prefixed with the command and the elapsed time, so stdout stays JSON. */
final class Progress {
    private final String command;
    private final long start = System.nanoTime();

    Progress(String command) {
        this.command = command;
    }

    void line(String format, Object... args) {
        double s = (System.nanoTime() - start) / 1e9;
        System.err.printf(Locale.ROOT, "[%s %6.1fs] %s%n", command, s, String.format(Locale.ROOT, format, args));
    }
}
