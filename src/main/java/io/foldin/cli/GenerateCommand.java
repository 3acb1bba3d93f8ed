package io.foldin.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "generate", mixinStandardHelpOptions = true, description = "Not built yet.")
public final class GenerateCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("generate: not built yet");
        return 2;
    }
}
