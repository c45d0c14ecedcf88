package io.sublet.vmm;

import java.nio.file.Path;

/**
 * The files of one VM under the host's home: {@code vms/NAME/}. The daemon owns {@code config.json} and
 * {@code status.json}; the worker owns the rest while it runs.
 */
public record VmDir(Path dir) {
    public Path config() {
        return dir.resolve("config.json");
    }

    /** The last state the daemon recorded, with the worker's pid: how a restarted daemon finds its workers. */
    public Path status() {
        return dir.resolve("status.json");
    }

    /** The worker's control and console socket. */
    public Path socket() {
        return dir.resolve("worker.sock");
    }

    /** Why the worker's guest stopped, written by the worker just before it exits. */
    public Path exit() {
        return dir.resolve("exit.json");
    }

    /** The serial console's output; rotated to {@code console.log.1}. */
    public Path consoleLog() {
        return dir.resolve("console.log");
    }

    /** The worker JVM's own stdout and stderr. */
    public Path workerLog() {
        return dir.resolve("worker.log");
    }
}
