package io.sublet.cpu;

/**
 * Builds Sv39/Sv48/Sv57 page tables directly in a {@link TestMachine}'s RAM, as a kernel would, for
 * the MMU tests. Tables come from a bump allocator starting at {@link TestMachine#TABLES}.
 */
final class PageTables {
    // The PTE bits and satp modes are the MMU's own (one definition, shared with the code under test).
    static final long V = Pte.V;
    static final long R = Pte.R;
    static final long W = Pte.W;
    static final long X = Pte.X;
    static final long U = Pte.U;
    static final long G = Pte.G;
    static final long A = Pte.A;
    static final long D = Pte.D;

    static final int SV39 = (int) Csrs.SATP_SV39;
    static final int SV48 = (int) Csrs.SATP_SV48;
    static final int SV57 = (int) Csrs.SATP_SV57;

    private final TestMachine t;
    final int mode;
    final int levels;
    final long root;
    private long next;

    PageTables(TestMachine t, int mode) {
        this(t, mode, TestMachine.TABLES);
    }

    PageTables(TestMachine t, int mode, long pool) {
        this.t = t;
        this.mode = mode;
        this.levels = mode - 5;
        this.next = pool;
        this.root = newTable();
    }

    /** Valid virtual-address bits: 39, 48 or 57. */
    int vaBits() {
        return 12 + 9 * levels;
    }

    long satp() {
        return satp(0);
    }

    long satp(int asid) {
        return (long) mode << 60 | (long) asid << 44 | root >>> 12;
    }

    long newTable() {
        final long a = next;
        next += 4096;
        for (int k = 0; k < 4096; k += 8) {
            t.write64(a + k, 0);
        }
        return a;
    }

    static long pte(long pa, long flags) {
        return (pa >>> 12) << 10 | flags;
    }

    static int vpn(long va, int level) {
        return (int) (va >>> (12 + 9 * level)) & 511;
    }

    /** Maps the page of size 4 KiB << (9 * level) at {@code va} to {@code pa} with a leaf at {@code level}. */
    PageTables map(long va, long pa, long flags, int level) {
        t.write64(pteAddress(va, level, true), pte(pa, flags));
        return this;
    }

    /** Maps the guest code pages and the trap-handler page at their physical addresses (identity). */
    PageTables mapCode(boolean user) {
        final long flags = V | R | W | X | A | D;
        map(TestMachine.GUEST_CODE, TestMachine.GUEST_CODE, flags | (user ? U : 0), 0);
        map(TestMachine.GUEST_CODE + 0x1000, TestMachine.GUEST_CODE + 0x1000, flags | (user ? U : 0), 0);
        map(TestMachine.M_TRAP, TestMachine.M_TRAP, flags, 0);
        return this;
    }

    /** The physical address of the PTE for {@code va} at {@code level}, following existing pointers. */
    long pteAddress(long va, int level) {
        return pteAddress(va, level, false);
    }

    private long pteAddress(long va, int level, boolean create) {
        long table = root;
        for (int l = levels - 1; l > level; l--) {
            final long at = table + 8L * vpn(va, l);
            long e = t.read64(at);
            if ((e & V) == 0) {
                if (!create) {
                    throw new IllegalStateException("no table at level " + l + " for 0x" + Long.toHexString(va));
                }
                e = pte(newTable(), V);
                t.write64(at, e);
            } else if ((e & (R | X)) != 0) {
                throw new IllegalStateException("a leaf is in the way at level " + l + " for 0x"
                        + Long.toHexString(va));
            }
            table = ((e >>> 10) & ((1L << 44) - 1)) << 12;
        }
        return table + 8L * vpn(va, level);
    }

    long read(long va, int level) {
        return t.read64(pteAddress(va, level));
    }

    void write(long va, int level, long pte) {
        t.write64(pteAddress(va, level), pte);
    }
}
