package io.foldin.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code java -jar target/foldin.jar <command>}. */
@Command(name = "foldin", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Streaming matrix-factorisation recommender: ALS fold-in on Kafka Streams.",
        exitCodeListHeading = Usage.HEADING,
        exitCodeList = {Usage.OK, Usage.FAILED, Usage.BAD_USAGE,
            "3:replay: a delivery failed.", "130:replay: interrupted (Ctrl-C)."},
        subcommands = {ServeCommand.class, BrokerCommand.class, EvaluateCommand.class, TuneCommand.class, PrequentialCommand.class, GenerateCommand.class, ReplayCommand.class, SimulateCommand.class, ReportCommand.class,
            CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        if (Launcher.wanted()) {
            System.exit(Launcher.relaunch(args));
        }
        Launcher.watchParent();
        System.exit(run(args));
    }

    /** Runs the CLI and returns its exit code (tests call this instead of {@link #main}). */
    public static int run(String... args) {
        return new CommandLine(new Main())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler(Main::onFailure)
                .setParameterExceptionHandler(Main::onUsageError)
                .execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /**
     * Bad usage, from the parser or a command's own checks ({@link Usage}): one line naming the problem, the
     * closest options for a mistyped one, and where the usage is; exit code 2. The whole usage would bury the line.
     */
    private static int onUsageError(CommandLine.ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        java.io.PrintWriter err = cmd.getErr();
        String name = cmd.getCommandSpec().qualifiedName();
        err.println(cmd.getColorScheme().errorText(name + ": " + e.getMessage()));
        CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
        err.println("Try '" + name + " --help' for the options.");
        err.flush();
        return Usage.EXIT;
    }

    /**
     * Input and numerical problems end with one line naming the cause (file and line, or the prior to
     * raise) and exit code 1; a stack trace only for what looks like a bug.
     */
    private static int onFailure(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        boolean expected = e instanceof java.io.IOException || e instanceof java.io.UncheckedIOException
                || e instanceof IllegalArgumentException || e instanceof ArithmeticException
                || e instanceof io.foldin.data.DataFormatException;
        String what = describe(e);
        cmd.getErr().println(cmd.getColorScheme().errorText("foldin " + cmd.getCommandName() + ": " + what));
        if (!expected) {
            e.printStackTrace(cmd.getErr());
        }
        return 1;
    }

    /** The file system's exceptions carry only the path as their message; say what is wrong with it. */
    private static String describe(Exception e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file: " + e.getMessage();
        }
        if (e instanceof java.nio.file.FileAlreadyExistsException) {
            return e.getMessage() + " already exists";
        }
        if (e instanceof java.nio.file.NotDirectoryException) {
            return e.getMessage() + " is not a directory";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied: " + e.getMessage();
        }
        return e.getMessage();
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"foldin " + (v == null ? "dev" : v)};
        }
    }
}
