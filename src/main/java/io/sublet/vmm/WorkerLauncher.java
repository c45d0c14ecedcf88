package io.sublet.vmm;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts a VM's worker: a JVM of its own running the same Sublet build ({@code MAIN worker DIR}), in a session of
 * its own ({@code setsid}) so a Ctrl-C or SIGTERM meant for the daemon does not reach it, and with stdin from
 * /dev/null and its output in {@code worker.log}, so it outlives the daemon. The guest's RAM is a direct buffer:
 * the JVM's direct-memory limit is set to it, and the heap kept small.
 */
public final class WorkerLauncher {
    static final int HEAP_MIB = 192;
    static final int DIRECT_SLACK_MIB = 64;
    private final String java;
    private final String classPath;
    private final String mainClass;
    private final List<String> extraJvmOptions;

    /**
     * @param mainClass the class whose {@code main} accepts {@code worker DIR} (the CLI's, which this layer cannot
     *     name)
     */
    public WorkerLauncher(final String mainClass, final List<String> extraJvmOptions) {
        this.java = ProcessHandle.current().info().command().orElse("java");
        this.classPath = System.getProperty("java.class.path");
        this.mainClass = mainClass;
        this.extraJvmOptions = List.copyOf(extraJvmOptions);
    }

    Process launch(final VmDir dir, final VmConfig config, final boolean cgroups) throws IOException {
        final List<String> cmd = new ArrayList<>();
        if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
            cmd.add("/usr/bin/setsid"); // not a group leader here, so it execs in place: the pid stays the worker's
        }
        if (!cgroups && Files.isExecutable(Path.of("/usr/bin/nice"))) {
            cmd.add("/usr/bin/nice"); // threads inherit it: the whole worker runs at the VM's weight
            cmd.add("-n");
            cmd.add(Integer.toString(CpuLimits.niceFor(config.cpuWeight())));
        }
        cmd.add(java);
        cmd.add("-Xmx" + HEAP_MIB + "m");
        // Idle memory: start the heap small and let a collection give it back (the initial heap would otherwise be
        // 1/64 of host RAM), and do not keep the temporary direct buffer the 31 MB kernel was read through.
        cmd.add("-Xms16m");
        cmd.add("-XX:MinHeapFreeRatio=10");
        cmd.add("-XX:MaxHeapFreeRatio=20");
        cmd.add("-Djdk.nio.maxCachedBufferSize=262144");
        cmd.add("-XX:MaxDirectMemorySize=" + (config.memoryMib() + DIRECT_SLACK_MIB) + "m");
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-XX:-DontCompileHugeMethods"); // the interpreter's dispatch method is large (as in ./sublet)
        cmd.addAll(extraJvmOptions);
        cmd.add("-cp");
        cmd.add(classPath);
        cmd.add(mainClass);
        cmd.add("worker");
        cmd.add(dir.dir().toString());
        final ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(dir.workerLog().toFile()));
        return pb.start();
    }
}
