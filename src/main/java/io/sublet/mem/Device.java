package io.sublet.mem;

/**
 * A memory-mapped device region. Offsets are relative to the region's base; sizes are 1, 2, 4 or 8
 * and accesses are naturally aligned (the hart splits misaligned accesses before they reach the bus).
 * A device refuses an access it does not support by throwing {@link BusFault#INSTANCE}.
 */
public interface Device {
    long load(long offset, int size);

    void store(long offset, int size, long value);
}
