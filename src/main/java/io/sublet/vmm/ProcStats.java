package io.sublet.vmm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the kernel accounts for a worker process: CPU time, resident memory and storage I/O, from
 * {@code /proc/PID/stat}, {@code /proc/PID/status} and {@code /proc/PID/io}. Zero where the host has no /proc.
 *
 * @param cpuSeconds user plus system time
 * @param rssBytes resident set size
 * @param diskReadBytes bytes the worker caused to be read from storage (its disk images, not the page cache)
 * @param diskWriteBytes bytes it caused to be written to storage
 */
public record ProcStats(double cpuSeconds, long rssBytes, long diskReadBytes, long diskWriteBytes) {
    /** USER_HZ on every Linux architecture Sublet runs on. */
    private static final double CLOCK_TICKS = 100.0;

    public static ProcStats of(final long pid) {
        double cpu = 0;
        long rss = 0;
        long read = 0;
        long written = 0;
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
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "io"))) {
                if (line.startsWith("read_bytes:")) {
                    read = Long.parseLong(line.substring(11).trim());
                } else if (line.startsWith("write_bytes:")) {
                    written = Long.parseLong(line.substring(12).trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            // the process has just gone, or this is not Linux
        }
        return new ProcStats(cpu, rss, read, written);
    }
}
