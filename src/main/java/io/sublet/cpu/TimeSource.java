package io.sublet.cpu;

/** The machine's mtime, in ticks of the timebase; read by the {@code time} CSR. */
@FunctionalInterface
public interface TimeSource {
    long mtime();
}
