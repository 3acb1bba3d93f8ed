package io.foldin.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code java -jar target/foldin.jar <command>}. */
@Command(name = "foldin", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Streaming matrix-factorisation recommender: ALS fold-in on Kafka Streams.",
        subcommands = {EvaluateCommand.class, GenerateCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI and returns its exit code (tests call this instead of {@link #main}). */
    public static int run(String... args) {
        return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"foldin " + (v == null ? "dev" : v)};
        }
    }
}
