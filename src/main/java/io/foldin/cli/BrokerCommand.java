package io.foldin.cli;

import io.foldin.stream.kafka.EmbeddedKafka;
import io.foldin.stream.kafka.EmbeddedKafkaConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code broker}: the embedded single-node KRaft broker ({@link EmbeddedKafka}) in a process of its own, so
 * that {@code serve --bootstrap-servers} and {@code replay} talk to a broker they do not share a JVM with and
 * that outlives them (load tests that kill {@code serve}). Its data stays in {@code --data-dir}; a restart on
 * it resumes the same cluster, topics and offsets.
 */
@Command(name = "broker", mixinStandardHelpOptions = true,
        exitCodeListHeading = Usage.HEADING, exitCodeList = {Usage.OK, Usage.FAILED, Usage.BAD_USAGE},
        description = {"Run the embedded single-node Kafka broker in a process of its own.",
            "It runs (KRaft) until SIGTERM or Ctrl-C, which shut it down cleanly. Prints bootstrap_servers=HOST:PORT on stdout once it accepts clients.",
            "It creates no topics: serve creates the ones it needs (replay --create-topics as well).",
            "The data directory is kept on exit; a later start on it resumes the same cluster."})
public final class BrokerCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "${java.io.tmpdir}/foldin-kafka",
            description = "Broker log directory, formatted on first use and kept (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--port", defaultValue = "9092", paramLabel = "N",
            description = "Client port on 127.0.0.1; 0 lets the OS pick one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--port-file", paramLabel = "FILE",
            description = "Once ready, also write HOST:PORT to FILE (written whole, then renamed into place).")
    Path portFile;

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65_535) {
            throw Usage.error(spec, "--port must be in [0, 65535] (0: the OS picks one), got " + port);
        }
        EmbeddedKafka kafka = EmbeddedKafka.start(new EmbeddedKafkaConfig(dataDir, port, false));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            kafka.close();
            stopped.countDown();
        }, "broker-stop"));
        if (portFile != null) {
            // a reader polling for the file must never see it half written
            Path tmp = portFile.resolveSibling(portFile.getFileName() + ".tmp");
            Files.writeString(tmp, kafka.bootstrapServers() + "\n");
            Files.move(tmp, portFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        System.out.println("bootstrap_servers=" + kafka.bootstrapServers());
        System.out.flush();
        System.err.println("foldin broker at " + kafka.bootstrapServers() + ", data in " + kafka.config().dataDir()
                + "; Ctrl-C stops");
        stopped.await();
        return 0;
    }
}
