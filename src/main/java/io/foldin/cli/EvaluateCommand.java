package io.foldin.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "evaluate", mixinStandardHelpOptions = true, description = "Not built yet.")
public final class EvaluateCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("evaluate: not built yet");
        return 2;
    }
}
