package io.sublet.vmm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the kernel accounts for a worker process: CPU time and resident memory, from {@code /proc/PID/stat} and
 * {@code /proc/PID/status}. Zero where the host has no /proc.
 *
 * @param cpuSeconds user plus system time
 * @param rssBytes resident set size
 */
public record ProcStats(double cpuSeconds, long rssBytes) {
    /** USER_HZ on every Linux architecture Sublet runs on. */
    private static final double CLOCK_TICKS = 100.0;

    public static ProcStats of(final long pid) {
        double cpu = 0;
        long rss = 0;
        try {
            final String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // the command name is in parentheses and may contain spaces: fields count from the last ')'
            final String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            cpu = (Long.parseLong(f[11]) + Long.parseLong(f[12])) / CLOCK_TICKS; // utime, stime (fields 14, 15)
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // the process has just gone, or this is not Linux
        }
        return new ProcStats(cpu, rss);
    }
}
