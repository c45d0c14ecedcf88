package io.sublet.boot;

/** What the built-in SBI needs from the machine it runs on. Called on the calling hart's thread. */
public interface SbiPlatform {
    /** Programs the S-mode timer of {@code hart} for absolute time {@code stime} (mtime ticks); clears its pending timer. */
    void setTimer(int hart, long stime);

    /** Raises a supervisor software interrupt on each hart in {@code harts}. */
    void sendIpi(long hartMask, long hartMaskBase);

    /** Flushes instruction caches / TLBs of the given harts; {@code tlb} false means fence.i only. */
    void remoteFence(long hartMask, long hartMaskBase, boolean tlb);

    /** Number of harts, for HSM and for validating hart masks. */
    int hartCount();

    /**
     * Writes bytes to the SBI debug console without waiting; returns how many it took (fewer, or none,
     * while the host's terminal is not draining).
     */
    int consoleWrite(byte[] bytes, int length);

    /** Reads up to {@code max} bytes of pending console input without blocking; returns the count. */
    int consoleRead(byte[] into, int max);

    /** System reset: type 0 shutdown, 1 cold reboot, 2 warm reboot; {@code reason} 0 none, 1 system failure. */
    void systemReset(int type, int reason);

    /** Reads guest physical memory for DBCN; returns false when the range is not RAM. */
    boolean readPhysical(long paddr, byte[] into, int length);

    /** Writes guest physical memory for DBCN; returns false when the range is not RAM. */
    boolean writePhysical(long paddr, byte[] from, int length);
}
