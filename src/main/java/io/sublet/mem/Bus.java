package io.sublet.mem;

import java.util.ArrayList;
import java.util.List;

/**
 * The physical address space: one RAM and a set of MMIO regions. This is the slow path; harts reach
 * RAM directly through their TLBs and come here only for devices, for misses and for page walks.
 */
public final class Bus {
    private final Ram ram;
    private final List<Region> regions = new ArrayList<>();
    /** Sorted copies of the region bounds, rebuilt when a region is added; lookups scan them linearly. */
    private long[] starts = new long[0];
    private long[] ends = new long[0];
    private Device[] devices = new Device[0];

    private record Region(long base, long size, Device device, String name) { }

    public Bus(Ram ram) {
        this.ram = ram;
    }

    public Ram ram() {
        return ram;
    }

    /** Maps a device at [base, base + size); overlapping RAM or another region is a configuration error. */
    public void map(long base, long size, Device device, String name) {
        final long end = base + size;
        if (base < ram.base() + ram.size() && ram.base() < end) {
            throw new IllegalArgumentException(name + " at 0x" + Long.toHexString(base) + " overlaps RAM");
        }
        for (Region r : regions) {
            if (base < r.base + r.size && r.base < end) {
                throw new IllegalArgumentException(name + " at 0x" + Long.toHexString(base) + " overlaps " + r.name);
            }
        }
        regions.add(new Region(base, size, device, name));
        regions.sort((a, b) -> Long.compareUnsigned(a.base, b.base));
        starts = regions.stream().mapToLong(Region::base).toArray();
        ends = regions.stream().mapToLong(r -> r.base + r.size).toArray();
        devices = regions.stream().map(Region::device).toArray(Device[]::new);
    }

    /** Whether some RAM or device answers every byte of [paddr, paddr + size). */
    public boolean isMapped(long paddr, int size) {
        return ram.contains(paddr, size) || regionIndex(paddr, size) >= 0;
    }

    /** Loads a naturally aligned value, sign-extended from {@code size} bytes. */
    public long load(long paddr, int size) {
        if (ram.contains(paddr, size)) {
            return ram.load((int) (paddr - ram.base()), size);
        }
        final int i = regionIndex(paddr, size);
        if (i < 0) {
            throw BusFault.INSTANCE;
        }
        final long v = devices[i].load(paddr - starts[i], size);
        return signExtend(v, size);
    }

    public void store(long paddr, int size, long value) {
        if (ram.contains(paddr, size)) {
            ram.store((int) (paddr - ram.base()), size, value);
            return;
        }
        final int i = regionIndex(paddr, size);
        if (i < 0) {
            throw BusFault.INSTANCE;
        }
        devices[i].store(paddr - starts[i], size, value);
    }

    private int regionIndex(long paddr, int size) {
        final long[] s = starts;
        final long[] e = ends;
        for (int i = 0; i < s.length; i++) {
            if (paddr >= s[i] && paddr + size <= e[i]) {
                return i;
            }
        }
        return -1;
    }

    private static long signExtend(long v, int size) {
        switch (size) {
            case 1: return (byte) v;
            case 2: return (short) v;
            case 4: return (int) v;
            default: return v;
        }
    }
}
