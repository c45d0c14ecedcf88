package io.sublet.cpu;

/**
 * Physical memory protection: 16 entries, 4-byte granularity (G = 0), OFF/TOR/NA4/NAPOT matching and
 * the lock bit. Checks run when a TLB entry is filled, not per access: {@link #pageUniform} tells the
 * MMU whether a whole page gets the same answer, and only then may the page be cached.
 *
 * <p>Configuration byte of one entry:
 * <pre>
 *   7   6..5   4..3  2  1  0
 * +---+------+-----+---+---+---+
 * | L | zero |  A  | X | W | R |     A: 0 OFF, 1 TOR, 2 NA4, 3 NAPOT
 * +---+------+-----+---+---+---+
 * </pre>
 */
public final class Pmp {
    public static final int ENTRIES = 16;
    public static final int R = 1;
    public static final int W = 2;
    public static final int X = 4;
    static final int A_SHIFT = 3;
    static final int A_OFF = 0;
    static final int A_TOR = 1;
    static final int A_NA4 = 2;
    static final int A_NAPOT = 3;
    static final int L = 0x80;
    /** pmpaddr holds bits 55:2 of a 56-bit physical address. */
    static final long ADDR_MASK = (1L << 54) - 1;

    private final int[] cfg = new int[ENTRIES];
    private final long[] addr = new long[ENTRIES];
    /** Decoded bounds [lo, hi) per entry; hi == lo when the entry is OFF. */
    private final long[] lo = new long[ENTRIES];
    private final long[] hi = new long[ENTRIES];
    private int activeEntries;

    /** Reads pmpcfgN (N even on RV64: each register holds eight entries). */
    public long readCfg(int reg) {
        final int first = reg * 4;
        long v = 0;
        for (int i = 0; i < 8 && first + i < ENTRIES; i++) {
            v |= (long) cfg[first + i] << (8 * i);
        }
        return v;
    }

    public void writeCfg(int reg, long value) {
        final int first = reg * 4;
        for (int i = 0; i < 8 && first + i < ENTRIES; i++) {
            final int e = first + i;
            if ((cfg[e] & L) != 0) {
                continue;
            }
            int c = (int) (value >>> (8 * i)) & 0x9f;
            if ((c & R) == 0) {
                c &= ~W; // R=0, W=1 is reserved; keep the entry legal
            }
            cfg[e] = c;
        }
        recompute();
    }

    public long readAddr(int entry) {
        return addr[entry];
    }

    public void writeAddr(int entry, long value) {
        if ((cfg[entry] & L) != 0) {
            return;
        }
        if (entry + 1 < ENTRIES && (cfg[entry + 1] & L) != 0 && mode(entry + 1) == A_TOR) {
            return; // a locked TOR entry also locks the address below it
        }
        addr[entry] = value & ADDR_MASK;
        recompute();
    }

    private int mode(int e) {
        return (cfg[e] >> A_SHIFT) & 3;
    }

    private void recompute() {
        int active = 0;
        for (int e = 0; e < ENTRIES; e++) {
            long l = 0;
            long h = 0;
            switch (mode(e)) {
                case A_TOR:
                    l = e == 0 ? 0 : addr[e - 1] << 2;
                    h = addr[e] << 2;
                    break;
                case A_NA4:
                    l = addr[e] << 2;
                    h = l + 4;
                    break;
                case A_NAPOT: {
                    final long a = addr[e];
                    final int ones = Long.numberOfTrailingZeros(~a);
                    final long size = ones >= 54 ? 1L << 56 : 1L << (ones + 3);
                    l = (a & ~((1L << ones) - 1)) << 2 & ~(size - 1);
                    if (ones >= 54) {
                        l = 0;
                    }
                    h = l + size;
                    break;
                }
                default:
                    break;
            }
            lo[e] = l;
            hi[e] = Math.max(l, h);
            if (mode(e) != A_OFF) {
                active++;
            }
        }
        activeEntries = active;
    }

    /** The configuration bytes of every entry, for a snapshot. */
    int[] saveCfg() {
        return cfg.clone();
    }

    long[] saveAddr() {
        return addr.clone();
    }

    /** Puts back saved entries (checked by {@link HartState}), lock bits included. */
    void restore(final int[] savedCfg, final long[] savedAddr) {
        System.arraycopy(savedCfg, 0, cfg, 0, ENTRIES);
        System.arraycopy(savedAddr, 0, addr, 0, ENTRIES);
        recompute();
    }

    /** Whether an access of {@code size} bytes at {@code paddr} with permission {@code perm} is allowed at {@code priv}. */
    public boolean allows(long paddr, int size, int perm, int priv) {
        return decide(paddr, paddr + size, perm, priv) == 1;
    }

    /** Whether every byte of the 4 KiB page at {@code pageBase} is allowed, so the page may be cached in a TLB. */
    public boolean pageUniform(long pageBase, int perm, int priv) {
        return decide(pageBase, pageBase + 4096, perm, priv) == 1;
    }

    /**
     * The lowest-numbered entry that matches any byte decides: it must then match every byte and grant
     * the permission. Returns 1 (allowed) or 0 (denied).
     */
    private int decide(long start, long end, int perm, int priv) {
        if (activeEntries == 0) {
            return priv == Priv.M ? 1 : 0; // all entries OFF: M mode unrestricted, S and U get nothing
        }
        for (int e = 0; e < ENTRIES; e++) {
            if (hi[e] == lo[e] || Long.compareUnsigned(start, hi[e]) >= 0 || Long.compareUnsigned(lo[e], end) >= 0) {
                continue;
            }
            if (Long.compareUnsigned(start, lo[e]) < 0 || Long.compareUnsigned(end, hi[e]) > 0) {
                return 0; // partially matched
            }
            if (priv == Priv.M && (cfg[e] & L) == 0) {
                return 1;
            }
            return (cfg[e] & perm) == perm ? 1 : 0;
        }
        return priv == Priv.M ? 1 : 0;
    }
}
