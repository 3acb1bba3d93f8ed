package io.foldin.cli;

import java.lang.management.ManagementFactory;
import java.lang.module.ModuleFinder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Makes {@code java -jar foldin.jar ...} fast by default: the SIMD kernels (Gram, item scan) need the incubator
 * module {@code jdk.incubator.vector}, a JVM option that a jar's manifest cannot ask for; without it sweeps and
 * scans take 2-3x the cycles (load-tests/RESULTS.md). When the module is missing, {@link #main} runs the same
 * command in a child JVM with the module added and this JVM's own options kept (heap, GC, system properties),
 * waits for it and exits with its code, as the launcher scripts of Kafka and most JVM servers do.
 *
 * <p>Only for a jar launch, so tests and scripts that start {@code -cp ... io.foldin.cli.Main} run as they are.
 * {@code -Dfoldin.launcher=off} (or env {@code FOLDIN_LAUNCHER=off}) runs in this JVM whatever it has;
 * {@code =on} relaunches from a class path too. The child knows its parent's pid and halts when the parent is
 * gone (a {@code kill -9} of the process a supervisor started must not leave a service running unseen); a
 * SIGTERM or Ctrl-C of the parent is passed on as a SIGTERM, and the parent waits for the child's clean stop.
 */
final class Launcher {
    static final String MODULE = "jdk.incubator.vector";
    static final String PROPERTY = "foldin.launcher";
    static final String PARENT_PROPERTY = "foldin.launcher.parent";
    private static final long WATCH_MS = 200;
    /**
     * The collector a child gets when its user chose none (load-tests/RESULTS.md, "Garbage collector by
     * default"): ParallelGC cost the stream less CPU than G1 and kept the 50k events/s freshness goal, ...
     */
    static final List<String> DEFAULT_GC = List.of("-XX:+UseParallelGC");
    /** A user's option that picks a collector or tunes one: the launcher then adds none of its own. */
    private static final Pattern GC_OPTION = Pattern.compile(
            "-XX:[+-]?(Use\\w*GC|G1\\w*|Shenandoah\\w*|Z\\w*|MaxGCPauseMillis|GCTimeRatio|\\w*Tenuring\\w*)(=.*)?");

    private Launcher() {
    }

    /** Whether to relaunch: the module exists in this JDK, is not loaded, and the launch mode asks for it. */
    static boolean wanted() {
        String mode = System.getProperty(PROPERTY, System.getenv().getOrDefault("FOLDIN_LAUNCHER", "auto"))
                .toLowerCase(Locale.ROOT);
        if (mode.equals("off") || System.getProperty(PARENT_PROPERTY) != null) {
            return false;
        }
        boolean missing = ModuleLayer.boot().findModule(MODULE).isEmpty()
                && ModuleFinder.ofSystem().find(MODULE).isPresent();
        return missing && (mode.equals("on") || launchedFromJar());
    }

    private static boolean launchedFromJar() {
        String cp = System.getProperty("java.class.path", "");
        return cp.endsWith(".jar") && !cp.contains(java.io.File.pathSeparator);
    }

    /**
     * The child's command line: this JVM's java, its input arguments, {@link #DEFAULT_GC} unless they choose a
     * collector, the module, then the class path and main class (the same for a jar launch:
     * {@code java.class.path} is the jar) and the arguments.
     */
    static List<String> command(String javaHome, List<String> jvmArgs, String classPath, long parentPid, String[] args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(javaHome, "bin", "java").toString());
        if (!choosesGc(jvmArgs)) {
            cmd.addAll(DEFAULT_GC);
        }
        cmd.addAll(jvmArgs);
        cmd.add("--add-modules");
        cmd.add(MODULE);
        cmd.add("-D" + PARENT_PROPERTY + "=" + parentPid);
        cmd.add("-cp");
        cmd.add(classPath);
        cmd.add(Main.class.getName());
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Whether the JVM options choose or tune the garbage collector, which the launcher then leaves alone. */
    static boolean choosesGc(List<String> jvmArgs) {
        return jvmArgs.stream().anyMatch(a -> GC_OPTION.matcher(a).matches());
    }

    /** Runs the command in the child JVM and returns its exit code. */
    static int relaunch(String[] args) {
        String javaHome = System.getProperty("java.home");
        if (!Files.isExecutable(Path.of(javaHome, "bin", "java"))) {
            return Main.run(args);
        }
        List<String> cmd = command(javaHome, ManagementFactory.getRuntimeMXBean().getInputArguments(),
                System.getProperty("java.class.path"), ProcessHandle.current().pid(), args);
        Process child;
        try {
            child = new ProcessBuilder(cmd).inheritIO().start();
        } catch (java.io.IOException e) {
            System.err.println("foldin: could not start a JVM with " + MODULE + " (" + e.getMessage()
                    + "); running without the SIMD kernels");
            return Main.run(args);
        }
        Thread stop = new Thread(() -> {
            child.destroy();
            try {
                child.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "foldin-launcher-stop");
        Runtime.getRuntime().addShutdownHook(stop);
        while (true) {
            try {
                int code = child.waitFor();
                try {
                    Runtime.getRuntime().removeShutdownHook(stop);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running and waits for the same child
                }
                return code;
            } catch (InterruptedException e) {
                // keep waiting: the child decides when the command ends
            }
        }
    }

    /** In a relaunched child: halt when the launching JVM is gone, as if it had been killed with it. */
    static void watchParent() {
        String pid = System.getProperty(PARENT_PROPERTY);
        if (pid == null) {
            return;
        }
        ProcessHandle parent = ProcessHandle.of(Long.parseLong(pid)).orElse(null);
        if (parent == null) {
            Runtime.getRuntime().halt(137);
        }
        // Polled: onExit of a process that is not our child polls too, but only every few seconds here. The
        // handle compares start times, so a reused pid does not keep the child alive.
        Thread watch = new Thread(() -> {
            while (parent.isAlive()) {
                try {
                    Thread.sleep(WATCH_MS);
                } catch (InterruptedException e) {
                    return;
                }
            }
            Runtime.getRuntime().halt(137);
        }, "foldin-launcher-watch");
        watch.setDaemon(true);
        watch.start();
    }
}
