package io.foldin.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The launcher in real JVMs: a relaunched command gets the SIMD kernels, and the child never outlives the JVM
 * that started it, killed (SIGKILL) or stopped (SIGTERM).
 */
class LauncherTest {
    static final String DATA = "src/main/resources/ml-latest-small/ratings.csv";

    @TempDir
    Path dir;

    @Test
    void theChildCommandKeepsTheJvmOptionsAndAddsTheModule() {
        List<String> cmd = Launcher.command("/jdk", List.of("-Xmx4g", "-XX:+UseParallelGC"), "foldin.jar", 42,
                new String[] {"serve", "--http-port", "0"});
        assertEquals(List.of("/jdk/bin/java", "-Xmx4g", "-XX:+UseParallelGC", "--add-modules", "jdk.incubator.vector",
                "-Dfoldin.launcher.parent=42", "-cp", "foldin.jar", Main.class.getName(), "serve", "--http-port", "0"),
                cmd);
    }

    @Test
    void aRelaunchedCommandRunsTheVectorKernelAndOffRunsWithoutIt() throws Exception {
        assertTrue(evaluate("on").contains("\"gram_kernel\":\"vector\""));
        assertTrue(evaluate("off").contains("\"gram_kernel\":\"scalar\""));
    }

    @Test
    void theChildDiesWithItsLauncherKilledOrStopped() throws Exception {
        for (boolean kill : new boolean[] {true, false}) {
            Process launcher = start("on", "broker", "--data-dir", dir.resolve("kafka-" + kill).toString(), "--port", "0");
            BufferedReader out = new BufferedReader(new InputStreamReader(launcher.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine(); // the broker's address, printed by the child through the launcher's stdout
            assertTrue(line != null && line.startsWith("bootstrap_servers="), String.valueOf(line));
            List<ProcessHandle> children = new ArrayList<>(launcher.toHandle().children().toList());
            assertEquals(1, children.size(), "one child JVM");
            ProcessHandle child = children.get(0);
            assertTrue(child.info().commandLine().orElse("").contains("jdk.incubator.vector"));
            if (kill) {
                launcher.destroyForcibly(); // SIGKILL: the launcher runs no hook, the child must notice alone
            } else {
                launcher.destroy(); // SIGTERM: passed on, and the launcher exits once the child stopped
                assertTrue(launcher.waitFor(60, TimeUnit.SECONDS));
                assertFalse(child.isAlive(), "the launcher waited for its child");
                assertEquals(143, launcher.exitValue(), "the child's exit code: stopped by SIGTERM");
            }
            child.onExit().get(60, TimeUnit.SECONDS);
            assertFalse(child.isAlive());
        }
    }

    private String evaluate(String mode) throws Exception {
        Process p = start(mode, "evaluate", "--ratings", DATA, "--factors", "2", "--iterations", "1", "--json");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    private Process start(String mode, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-Dfoldin.launcher=" + mode, "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }
}
