package io.foldin.cli;

import io.foldin.stream.replay.Replayer;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A progress line on stderr for long runs: rewritten in place with a carriage return a few times a second
 * when stderr is a terminal, else a plain line every few seconds, so logs and CI output stay readable.
 */
final class ProgressBar implements Replayer.Listener {
    private static final int WIDTH = 24;
    private static final long TTY_EVERY_NANOS = 250_000_000L;
    private static final long LOG_EVERY_NANOS = 5_000_000_000L;

    private final String command;
    private final String verb;
    private final String unit;
    private final String rate;
    private final boolean events;
    private final PrintStream err;
    private final boolean terminal;
    private long lastPrinted;
    private long lastCount;
    private boolean pendingNewline;

    ProgressBar(String command, PrintStream err, boolean terminal) {
        this(command, "sending", "events", err, terminal);
    }

    /** A bar counting {@code unit}s ("fits"), its label saying what is being done ("fitting"). */
    ProgressBar(String command, String verb, String unit, PrintStream err, boolean terminal) {
        this.command = command;
        this.verb = verb;
        this.unit = unit;
        this.events = unit.equals("events");
        this.rate = events ? "ev/s" : unit + "/s";
        this.err = err;
        this.terminal = terminal;
    }

    /**
     * Java 17 cannot ask whether stderr itself is a terminal ({@code System.console()} looks at stdin and
     * stdout, and is null as soon as {@code --json} is piped). On Linux the fd link answers it exactly.
     */
    static boolean stderrIsTerminal() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (Exception e) {
            return System.console() != null;
        }
    }

    @Override
    public void progress(long done, long total, long failed, long elapsedNanos) {
        boolean last = done >= total;
        if (!last && elapsedNanos - lastPrinted < (terminal ? TTY_EVERY_NANOS : LOG_EVERY_NANOS)) {
            return;
        }
        double intervalSeconds = Math.max(1e-9, (elapsedNanos - lastPrinted) / 1e9);
        double recent = (done - lastCount) / intervalSeconds;
        double average = done / Math.max(1e-9, elapsedNanos / 1e9);
        lastPrinted = elapsedNanos;
        lastCount = done;
        String line = String.format(Locale.ROOT, "[%s, %s %6.1fs] %s %5.1f%% %,d/%,d %s, %s %s, ETA %s%s",
                command, verb, elapsedNanos / 1e9, bar(done, total), total == 0 ? 100.0 : 100.0 * done / total, done,
                total, unit, String.format(Locale.ROOT, events ? "%,.0f" : "%.2f", recent), rate, eta(total - done, average), failed > 0 ? String.format(Locale.ROOT, ", %,d errors", failed) : "");
        if (terminal) {
            // trailing spaces wipe what a longer previous line left behind
            err.print("\r" + line + "   ");
            pendingNewline = true;
        } else {
            err.println(line);
        }
        err.flush();
    }

    /** Ends the in-place line so later output starts on a fresh one. */
    void finish() {
        if (pendingNewline) {
            err.println();
            pendingNewline = false;
        }
    }

    private static String bar(long done, long total) {
        int filled = total == 0 ? WIDTH : (int) Math.min(WIDTH, WIDTH * done / total);
        return "[" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "]";
    }

    private static String eta(long left, double perSecond) {
        if (left <= 0) {
            return "0s";
        }
        if (perSecond <= 0) {
            return "?";
        }
        long s = (long) Math.ceil(left / perSecond);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s / 60 % 60)
                : s >= 60 ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60) : s + "s";
    }
}
