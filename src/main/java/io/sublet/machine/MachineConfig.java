package io.sublet.machine;

import io.sublet.mem.Ram;

/** What to build: RAM size and number of harts. {@link #validate} names the first problem. */
public record MachineConfig(long ramSize, int harts) {
    public static final long RAM_BASE = 0x8000_0000L;
    public static final long DEFAULT_RAM = 256L << 20;

    public static MachineConfig defaults() {
        return new MachineConfig(DEFAULT_RAM, 1);
    }

    public MachineConfig withRamSize(long bytes) {
        return new MachineConfig(bytes, harts);
    }

    public MachineConfig validate() {
        if (ramSize < Ram.PAGE_SIZE || ramSize % Ram.PAGE_SIZE != 0) {
            throw new IllegalArgumentException("memory size must be a multiple of 4 KiB and at least 4 KiB, got " + ramSize);
        }
        if (ramSize > Ram.MAX_SIZE) {
            throw new IllegalArgumentException("memory size " + (ramSize >> 20) + " MiB is larger than the supported "
                    + (Ram.MAX_SIZE >> 20) + " MiB");
        }
        if (harts != 1) {
            throw new IllegalArgumentException("only one hart is supported so far, got " + harts);
        }
        return this;
    }
}
