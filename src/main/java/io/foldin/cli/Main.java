package io.foldin.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code java -jar target/foldin.jar <command>}. */
@Command(name = "foldin", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Streaming matrix-factorisation recommender: ALS fold-in on Kafka Streams.",
        subcommands = {ServeCommand.class, BrokerCommand.class, EvaluateCommand.class, PrequentialCommand.class, GenerateCommand.class, ReplayCommand.class,
            CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI and returns its exit code (tests call this instead of {@link #main}). */
    public static int run(String... args) {
        return new CommandLine(new Main())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler(Main::onFailure)
                .execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /**
     * Input and numerical problems end with one line naming the cause (file and line, or the prior to
     * raise) and exit code 1; a stack trace only for what looks like a bug.
     */
    private static int onFailure(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        boolean expected = e instanceof java.io.IOException || e instanceof java.io.UncheckedIOException
                || e instanceof IllegalArgumentException || e instanceof ArithmeticException
                || e instanceof io.foldin.data.DataFormatException;
        String what = e instanceof java.nio.file.NoSuchFileException ? "no such file: " + e.getMessage()
                : e.getMessage();
        cmd.getErr().println(cmd.getColorScheme().errorText("foldin " + cmd.getCommandName() + ": " + what));
        if (!expected) {
            e.printStackTrace(cmd.getErr());
        }
        return 1;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"foldin " + (v == null ? "dev" : v)};
        }
    }
}
