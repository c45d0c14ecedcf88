package io.sublet.vmm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the host has and what it admits: guest memory may add up to {@code overcommit} times the physical RAM (as
 * a libvirt or Proxmox operator configures it), counted over the VMs that run.
 *
 * @param physicalMib the host's RAM (MemTotal of /proc/meminfo)
 * @param cores the host's CPUs available to this process
 * @param overcommit the ratio of admitted guest memory to physical RAM
 */
public record HostResources(long physicalMib, int cores, double overcommit) {
    public static final double DEFAULT_OVERCOMMIT = 1.0;

    public HostResources {
        if (!(overcommit > 0) || overcommit > 100) {
            throw new IllegalArgumentException("overcommit ratio " + overcommit + " is out of range (0, 100]");
        }
    }

    public static HostResources probe(final double overcommit) {
        return new HostResources(memTotalMib(), Runtime.getRuntime().availableProcessors(), overcommit);
    }

    /** The guest memory the host admits in total, in MiB. */
    public long admittedMib() {
        return (long) (physicalMib * overcommit);
    }

    static long memTotalMib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux: fall through to what the JVM knows
        }
        return Runtime.getRuntime().maxMemory() >> 20;
    }
}
