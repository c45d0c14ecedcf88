package io.sublet.vmm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU limits per VM. With a cgroup v2 hierarchy whose cpu controller this process may delegate (a
 * {@code cgroup.controllers} at /sys/fs/cgroup listing cpu), each worker goes into {@code sublet/NAME} with
 * {@code cpu.weight} and {@code cpu.max} (quota per 100 ms period). Without one, the weight is still applied as
 * the worker's nice level, which is what the same kernel scheduler (CFS) weighs by, and the quota is not enforced:
 * {@link #describe} says which.
 */
public final class CpuLimits {
    static final Path ROOT = Path.of("/sys/fs/cgroup");
    private static final long PERIOD_US = 100_000;
    private final Path parent;

    private CpuLimits(final Path parent) {
        this.parent = parent;
    }

    static CpuLimits probe() {
        try {
            final Path controllers = ROOT.resolve("cgroup.controllers");
            if (Files.isReadable(controllers) && Files.readString(controllers).contains("cpu")
                    && Files.isWritable(ROOT.resolve("cgroup.subtree_control"))) {
                final Path p = ROOT.resolve("sublet");
                Files.createDirectories(p);
                Files.writeString(ROOT.resolve("cgroup.subtree_control"), "+cpu");
                Files.writeString(p.resolve("cgroup.subtree_control"), "+cpu");
                return new CpuLimits(p);
            }
        } catch (IOException | RuntimeException e) {
            // a read-only or foreign hierarchy: fall back to nice levels
        }
        return new CpuLimits(null);
    }

    public boolean cgroups() {
        return parent != null;
    }

    public String describe() {
        return parent != null ? "cgroup v2 at " + parent + ": cpu.weight and cpu.max per VM"
                : "no delegable cgroup v2 cpu controller: cpu_weight is applied as the worker's nice level,"
                + " cpu_quota_percent is not enforced";
    }

    /** The nice level whose CFS weight is closest to a cgroup cpu.weight (100 is nice 0; each step is 1.25x). */
    static int niceFor(final int weight) {
        final long n = Math.round(-Math.log(weight / 100.0) / Math.log(1.25));
        return (int) Math.max(-20, Math.min(19, n));
    }

    /** Puts a freshly started worker under its limits. */
    void apply(final String vm, final long pid, final VmConfig c) {
        if (parent == null) {
            return; // the nice level was set at launch (WorkerLauncher)
        }
        try {
            final Path g = parent.resolve(vm);
            Files.createDirectories(g);
            Files.writeString(g.resolve("cpu.weight"), Integer.toString(c.cpuWeight()));
            Files.writeString(g.resolve("cpu.max"), c.cpuQuotaPercent() == null ? "max " + PERIOD_US
                    : (PERIOD_US * c.cpuQuotaPercent() / 100) + " " + PERIOD_US);
            Files.writeString(g.resolve("cgroup.procs"), Long.toString(pid));
        } catch (IOException e) {
            System.err.println("sublet: cannot put VM " + vm + " under its CPU limits: " + e.getMessage());
        }
    }

    void release(final String vm) {
        if (parent != null) {
            try {
                Files.deleteIfExists(parent.resolve(vm));
            } catch (IOException e) {
                // the kernel refuses while a process is still in it; the next start reuses the group
            }
        }
    }
}
