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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
    void theChildGetsTheDefaultCollectorOnlyWhenTheUserChoseNone() {
        List<String> cmd = Launcher.command("/jdk", List.of("-Xmx4g"), "foldin.jar", 42, new String[] {"serve"});
        List<String> expected = new ArrayList<>(List.of("/jdk/bin/java"));
        expected.addAll(Launcher.DEFAULT_GC);
        expected.addAll(List.of("-Xmx4g", "--add-modules", "jdk.incubator.vector", "-Dfoldin.launcher.parent=42",
                "-cp", "foldin.jar", Main.class.getName(), "serve"));
        assertEquals(expected, cmd);
        for (String own : List.of("-XX:+UseG1GC", "-XX:+UseSerialGC", "-XX:+UseZGC", "-XX:-UseParallelGC",
                "-XX:MaxGCPauseMillis=10", "-XX:MaxTenuringThreshold=1", "-XX:G1HeapRegionSize=4m")) {
            List<String> c = Launcher.command("/jdk", List.of("-Xmx4g", own), "foldin.jar", 42, new String[] {"serve"});
            assertEquals(List.of("/jdk/bin/java", "-Xmx4g", own), c.subList(0, 3), own);
            assertTrue(Launcher.DEFAULT_GC.stream().noneMatch(c::contains), own);
        }
        for (String other : List.of("-Xms1g", "-XX:+AlwaysPreTouch", "-XX:ThreadPriorityPolicy=1", "-Dx=UseG1GC")) {
            assertFalse(Launcher.choosesGc(List.of(other)), other);
        }
    }

    @Test
    void aRealChildRunsTheDefaultCollectorOrTheUsersOwn() throws Exception {
        String defaultGc = Launcher.DEFAULT_GC.get(0).replace("-XX:+Use", "").replace("GC", "");
        // the launcher's own collector, then the child's (-Xlog:gc is passed on like any option)
        List<String> relaunched = collectors("on");
        assertEquals(2, relaunched.size(), relaunched.toString());
        assertEquals(defaultGc, relaunched.get(1));
        assertEquals(List.of("Serial", "Serial"), collectors("on", "-XX:+UseSerialGC"));
        assertEquals(1, collectors("off").size(), "no child");
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
        return start(mode, List.of(), args);
    }

    private Process start(String mode, List<String> jvm, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m"));
        cmd.addAll(jvm);
        cmd.addAll(List.of("-Dfoldin.launcher=" + mode, "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    /** The collector of each JVM that ran a short command, in start order, from their {@code -Xlog:gc} lines. */
    private List<String> collectors(String mode, String... jvm) throws Exception {
        List<String> options = new ArrayList<>(List.of("-Xlog:gc:stdout"));
        options.addAll(List.of(jvm));
        Process p = start(mode, options, "generate", "--help");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        List<String> found = new ArrayList<>();
        Matcher m = Pattern.compile("\\[gc\\s*\\] Using (\\w+)").matcher(out);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }
}
