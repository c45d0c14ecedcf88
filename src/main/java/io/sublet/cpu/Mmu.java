package io.sublet.cpu;

import io.sublet.mem.Bus;
import io.sublet.mem.BusFault;
import io.sublet.mem.Ram;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Address translation and data access for one hart: Sv39/Sv48/Sv57 page walks with the exact
 * page-fault rules, hardware-managed A/D bits, PMP, and three direct-mapped TLBs (fetch, load,
 * store). A TLB entry maps a virtual page straight to an index into the RAM array, with permissions,
 * PMP and A/D already settled when it was filled, so a hit costs two array reads and a compare.
 *
 * <p>Entries depend on the privilege, MPRV/MPP, SUM and MXR they were filled under; any change of
 * those (see {@link #contextChanged}), a satp write, sfence.vma or a PMP write empties all three.
 * Pages that are not RAM, that PMP does not cover uniformly, or (for stores) that hold decoded code
 * are never entered, and neither are pages a host watches, so their accesses always take the slow path.
 */
public final class Mmu {
    static final int TLB_BITS = 10;
    public static final int TLB_SIZE = 1 << TLB_BITS;
    public static final int TLB_MASK = TLB_SIZE - 1;
    private static final long INVALID = -1;
    private static final int OFFSET_MASK = Ram.PAGE_SIZE - 1;

    private final Hart hart;
    private final Csrs csrs;
    private final Pmp pmp;
    private final Bus bus;
    private final Ram ram;
    private final ByteBuffer mem;
    private final long ramBase;
    private final CodeCache code;

    private final long[] fetchTag = new long[TLB_SIZE];
    private final int[] fetchIdx = new int[TLB_SIZE];
    private final long[] loadTag = new long[TLB_SIZE];
    private final int[] loadIdx = new int[TLB_SIZE];
    private final long[] storeTag = new long[TLB_SIZE];
    private final int[] storeIdx = new int[TLB_SIZE];

    /** Privilege, effective data privilege, SUM and MXR the TLB entries were filled under. */
    private int context = -1;
    private int fetchPriv;
    private int dataPriv;
    private boolean sum;
    private boolean mxr;

    Mmu(Hart hart, Bus bus, CodeCache code) {
        this.hart = hart;
        this.csrs = hart.csrs;
        this.pmp = hart.pmp;
        this.bus = bus;
        this.ram = bus.ram();
        this.mem = ram.bytes();
        this.ramBase = ram.base();
        this.code = code;
        code.register(this);
        flush();
        contextChanged();
    }

    /** Empties every TLB. */
    public void flush() {
        Arrays.fill(fetchTag, INVALID);
        Arrays.fill(loadTag, INVALID);
        Arrays.fill(storeTag, INVALID);
    }

    /** Re-reads privilege and mstatus; flushes when the rules the TLB entries were checked under changed. */
    void contextChanged() {
        final long ms = csrs.mstatus;
        final int priv = hart.priv;
        final int data = priv == Priv.M && (ms & MStatus.MPRV) != 0 ? (int) (ms >>> MStatus.MPP_SHIFT) & 3 : priv;
        final boolean s = (ms & MStatus.SUM) != 0;
        final boolean x = (ms & MStatus.MXR) != 0;
        final int key = priv | data << 2 | (s ? 16 : 0) | (x ? 32 : 0);
        if (key != context) {
            context = key;
            fetchPriv = priv;
            dataPriv = data;
            sum = s;
            mxr = x;
            flush();
        }
    }

    void evictStorePage(int ramPage) {
        for (int i = 0; i < TLB_SIZE; i++) {
            if (storeTag[i] != INVALID && storeIdx[i] >>> Ram.PAGE_SHIFT == ramPage) {
                storeTag[i] = INVALID;
            }
        }
    }

    // ---- loads: sign-extended results; the interpreter masks for the unsigned forms ----

    public long lb(long va) {
        final int i = (int) (va >>> Ram.PAGE_SHIFT) & TLB_MASK;
        if (loadTag[i] == va >>> Ram.PAGE_SHIFT) {
            return mem.get(loadIdx[i] + ((int) va & OFFSET_MASK));
        }
        return loadSlow(va, 1);
    }

    public long lh(long va) {
        final int i = (int) (va >>> Ram.PAGE_SHIFT) & TLB_MASK;
        final int off = (int) va & OFFSET_MASK;
        if (loadTag[i] == va >>> Ram.PAGE_SHIFT && off <= Ram.PAGE_SIZE - 2) {
            return (short) Ram.LE16.get(mem, loadIdx[i] + off);
        }
        return loadSlow(va, 2);
    }

    public long lw(long va) {
        final int i = (int) (va >>> Ram.PAGE_SHIFT) & TLB_MASK;
        final int off = (int) va & OFFSET_MASK;
        if (loadTag[i] == va >>> Ram.PAGE_SHIFT && off <= Ram.PAGE_SIZE - 4) {
            return (int) Ram.LE32.get(mem, loadIdx[i] + off);
        }
        return loadSlow(va, 4);
    }

    public long ld(long va) {
        final int i = (int) (va >>> Ram.PAGE_SHIFT) & TLB_MASK;
        final int off = (int) va & OFFSET_MASK;
        if (loadTag[i] == va >>> Ram.PAGE_SHIFT && off <= Ram.PAGE_SIZE - 8) {
            return (long) Ram.LE64.get(mem, loadIdx[i] + off);
        }
        return loadSlow(va, 8);
    }

    // ---- stores ----

    public void sb(long va, long v) {
        final int i = (int) (va >>> Ram.PAGE_SHIFT) & TLB_MASK;
        if (storeTag[i] == va >>> Ram.PAGE_SHIFT) {
            mem.put(storeIdx[i] + ((int) va & OFFSET_MASK), (byte) v);
            return;
        }
        storeSlow(va, 1, v);
    }

    public void sh(long va, long v) {
        final int i = (int) (va >>> Ram.PAGE_SHIFT) & TLB_MASK;
        final int off = (int) va & OFFSET_MASK;
        if (storeTag[i] == va >>> Ram.PAGE_SHIFT && off <= Ram.PAGE_SIZE - 2) {
            Ram.LE16.set(mem, storeIdx[i] + off, (short) v);
            return;
        }
        storeSlow(va, 2, v);
    }

    public void sw(long va, long v) {
        final int i = (int) (va >>> Ram.PAGE_SHIFT) & TLB_MASK;
        final int off = (int) va & OFFSET_MASK;
        if (storeTag[i] == va >>> Ram.PAGE_SHIFT && off <= Ram.PAGE_SIZE - 4) {
            Ram.LE32.set(mem, storeIdx[i] + off, (int) v);
            return;
        }
        storeSlow(va, 4, v);
    }

    public void sd(long va, long v) {
        final int i = (int) (va >>> Ram.PAGE_SHIFT) & TLB_MASK;
        final int off = (int) va & OFFSET_MASK;
        if (storeTag[i] == va >>> Ram.PAGE_SHIFT && off <= Ram.PAGE_SIZE - 8) {
            Ram.LE64.set(mem, storeIdx[i] + off, v);
            return;
        }
        storeSlow(va, 8, v);
    }

    // ---- atomics: aligned, RAM only, translated with store permission ----

    /** RAM index for an atomic access of {@code size} bytes; raises address-misaligned with {@code misalignedCause}. */
    int atomicIndex(long va, int size, int misalignedCause) {
        if ((va & (size - 1)) != 0) {
            throw hart.trap.raise(misalignedCause, va);
        }
        final int i = (int) (va >>> Ram.PAGE_SHIFT) & TLB_MASK;
        if (storeTag[i] == va >>> Ram.PAGE_SHIFT) {
            return storeIdx[i] + ((int) va & OFFSET_MASK);
        }
        final long pa = translate(va, Access.STORE, size);
        if (!ram.contains(pa, size)) {
            throw hart.trap.raise(Cause.STORE_ACCESS, va); // atomics are supported on RAM only
        }
        final int index = (int) (pa - ramBase);
        invalidateCode(index);
        return index;
    }

    /** RAM index for LR: aligned, translated with load permission. */
    int loadReservedIndex(long va, int size) {
        if ((va & (size - 1)) != 0) {
            throw hart.trap.raise(Cause.LOAD_MISALIGNED, va);
        }
        final long pa = translate(va, Access.LOAD, size);
        if (!ram.contains(pa, size)) {
            throw hart.trap.raise(Cause.LOAD_ACCESS, va);
        }
        return (int) (pa - ramBase);
    }

    // ---- the TLB arrays, for translated code that inlines the fast paths above; never reallocated ----

    /** RAM as the fast paths index it. */
    public ByteBuffer memory() {
        return mem;
    }

    public long[] loadTags() {
        return loadTag;
    }

    public int[] loadIndexes() {
        return loadIdx;
    }

    public long[] storeTags() {
        return storeTag;
    }

    public int[] storeIndexes() {
        return storeIdx;
    }

    /** The RAM page holding {@code pc} when the fetch TLB already maps it, else -1 (nothing is walked). */
    public int cachedFetchPage(long pc) {
        final int i = (int) (pc >>> Ram.PAGE_SHIFT) & TLB_MASK;
        return fetchTag[i] == pc >>> Ram.PAGE_SHIFT ? fetchIdx[i] >>> Ram.PAGE_SHIFT : -1;
    }

    // ---- instruction fetch ----

    /**
     * Translates {@code pc} for execution and returns the RAM page that holds it, or -1 when its
     * instructions cannot be cached (not RAM, or PMP rules differ within the page).
     */
    int fetchPage(long pc) {
        final int i = (int) (pc >>> Ram.PAGE_SHIFT) & TLB_MASK;
        if (fetchTag[i] != pc >>> Ram.PAGE_SHIFT) {
            translate(pc, Access.FETCH, 2);
            if (fetchTag[i] != pc >>> Ram.PAGE_SHIFT) {
                return -1;
            }
        }
        return fetchIdx[i] >>> Ram.PAGE_SHIFT;
    }

    /** Fetches the instruction bits at {@code pc} for a tracer or debugger; raises the fetch's trap if it faults. */
    public int peekInstruction(long pc) {
        return fetchBits(pc);
    }

    /** The raw bits of the instruction at {@code pc}: 16 for a compressed one, else 32 (possibly spanning two pages). */
    int fetchBits(long pc) {
        final int lo = fetchParcel(pc);
        if ((lo & 3) != 3) {
            return lo;
        }
        return lo | fetchParcel(pc + 2) << 16;
    }

    private int fetchParcel(long va) {
        final int i = (int) (va >>> Ram.PAGE_SHIFT) & TLB_MASK;
        if (fetchTag[i] == va >>> Ram.PAGE_SHIFT) {
            return (short) Ram.LE16.get(mem, fetchIdx[i] + ((int) va & OFFSET_MASK)) & 0xffff;
        }
        final long pa = translate(va, Access.FETCH, 2);
        try {
            return (int) bus.load(pa, 2) & 0xffff;
        } catch (BusFault e) {
            throw hart.trap.raise(Cause.FETCH_ACCESS, va);
        }
    }

    // ---- slow paths ----

    private long loadSlow(long va, int size) {
        if (((int) va & OFFSET_MASK) + size > Ram.PAGE_SIZE) {
            long v = 0;
            for (int k = 0; k < size; k++) {
                v |= (lb(va + k) & 0xff) << (8 * k);
            }
            return signExtend(v, size);
        }
        final long pa = translate(va, Access.LOAD, size);
        if (ram.contains(pa, size)) {
            return ram.load((int) (pa - ramBase), size);
        }
        try {
            if ((pa & (size - 1)) == 0) {
                return bus.load(pa, size);
            }
            long v = 0;
            for (int k = 0; k < size; k++) {
                v |= (bus.load(pa + k, 1) & 0xff) << (8 * k);
            }
            return signExtend(v, size);
        } catch (BusFault e) {
            throw hart.trap.raise(Cause.LOAD_ACCESS, va);
        }
    }

    private void storeSlow(long va, int size, long v) {
        if (((int) va & OFFSET_MASK) + size > Ram.PAGE_SIZE) {
            // Check both pages before writing either, so a fault leaves memory unchanged.
            final long next = (va | OFFSET_MASK) + 1;
            translate(va, Access.STORE, (int) (next - va));
            translate(next, Access.STORE, size - (int) (next - va));
            for (int k = 0; k < size; k++) {
                storeInPage(va + k, 1, v >>> (8 * k));
            }
        } else {
            storeInPage(va, size, v);
        }
        hart.checkCodeModified(); // only once the whole store is done
    }

    /** A store that stays within one page: RAM (dropping decoded code first) or a device. */
    private void storeInPage(long va, int size, long v) {
        final long pa = translate(va, Access.STORE, size);
        if (ram.contains(pa, size)) {
            final int index = (int) (pa - ramBase);
            final int flags = ram.pageFlags(index >>> Ram.PAGE_SHIFT);
            invalidateCode(index);
            ram.store(index, size, v);
            if ((flags & Ram.WATCHED) != 0) {
                ram.notifyStore(pa);
            }
            return;
        }
        try {
            if ((pa & (size - 1)) == 0) {
                bus.store(pa, size, v);
            } else {
                for (int k = 0; k < size; k++) {
                    bus.store(pa + k, 1, v >>> (8 * k));
                }
            }
        } catch (BusFault e) {
            throw hart.trap.raise(Cause.STORE_ACCESS, va);
        }
    }

    private void invalidateCode(int ramIndex) {
        final int page = ramIndex >>> Ram.PAGE_SHIFT;
        if (code.invalidate(page)) {
            hart.codeDropped(page);
        }
    }

    /**
     * Translates a virtual address for an access of {@code size} bytes within one page, checking page
     * permissions and PMP, and fills the TLB for the access kind when the whole page may be cached.
     */
    long translate(long va, int access, int size) {
        final int priv = access == Access.FETCH ? fetchPriv : dataPriv;
        final long mode = csrs.satp >>> Csrs.SATP_MODE_SHIFT;
        final long pa = priv == Priv.M || mode == Csrs.SATP_BARE ? va : walk(va, access, priv, (int) mode);
        final int perm = Access.pmpPerm(access);
        if (!pmp.allows(pa, size, perm, priv)) {
            throw hart.trap.raise(Access.accessFault(access), va);
        }
        final long pageBase = pa & ~(long) OFFSET_MASK;
        if (ram.contains(pageBase, Ram.PAGE_SIZE) && pmp.pageUniform(pageBase, perm, priv)) {
            final int i = (int) (va >>> Ram.PAGE_SHIFT) & TLB_MASK;
            final int index = (int) (pageBase - ramBase);
            switch (access) {
                case Access.FETCH:
                    fetchTag[i] = va >>> Ram.PAGE_SHIFT;
                    fetchIdx[i] = index;
                    break;
                case Access.LOAD:
                    loadTag[i] = va >>> Ram.PAGE_SHIFT;
                    loadIdx[i] = index;
                    break;
                default:
                    if (ram.pageFlags(index >>> Ram.PAGE_SHIFT) == 0) { // code and watched pages stay on the slow path
                        storeTag[i] = va >>> Ram.PAGE_SHIFT;
                        storeIdx[i] = index;
                    }
            }
        }
        return pa;
    }

    /** The page walk of the privileged spec's "Virtual Address Translation Process", for 3, 4 or 5 levels. */
    private long walk(long va, int access, int priv, int mode) {
        final int levels = mode - 5; // Sv39 = 8 -> 3, Sv48 = 9 -> 4, Sv57 = 10 -> 5
        final int vaBits = 12 + 9 * levels;
        final long upper = va >> (vaBits - 1);
        if (upper != 0 && upper != -1) {
            throw hart.trap.raise(Access.pageFault(access), va); // not sign-extended: no such virtual address
        }
        long table = (csrs.satp & Csrs.SATP_PPN_MASK) << Ram.PAGE_SHIFT;
        for (int level = levels - 1; level >= 0; level--) {
            final long pteAddr = table + (((va >>> (12 + 9 * level)) & 511) << 3);
            final long pte = readPte(pteAddr, access, va);
            if ((pte & Pte.V) == 0 || ((pte & Pte.R) == 0 && (pte & Pte.W) != 0) || (pte & Pte.RESERVED_HIGH) != 0) {
                throw hart.trap.raise(Access.pageFault(access), va);
            }
            if ((pte & (Pte.R | Pte.X)) == 0) {
                if (level == 0 || (pte & (Pte.D | Pte.A | Pte.U)) != 0) {
                    throw hart.trap.raise(Access.pageFault(access), va); // pointer past the last level, or reserved bits
                }
                table = Pte.ppn(pte) << Ram.PAGE_SHIFT;
                continue;
            }
            checkLeaf(pte, access, priv, va);
            final long ppn = Pte.ppn(pte);
            if (level > 0 && (ppn & ((1L << (9 * level)) - 1)) != 0) {
                throw hart.trap.raise(Access.pageFault(access), va); // misaligned superpage
            }
            final long wanted = pte | Pte.A | (access == Access.STORE ? Pte.D : 0);
            if (wanted != pte && !updatePte(pteAddr, pte, wanted, access, va)) {
                level++; // another agent changed the PTE under us: walk this level again
                continue;
            }
            final long offsetMask = (1L << (12 + 9 * level)) - 1;
            return (ppn << Ram.PAGE_SHIFT) & ~offsetMask | (va & offsetMask);
        }
        throw new AssertionError("unreachable");
    }

    private void checkLeaf(long pte, int access, int priv, long va) {
        final boolean userPage = (pte & Pte.U) != 0;
        final boolean allowed;
        if (priv == Priv.U) {
            allowed = userPage;
        } else {
            allowed = !userPage || (access != Access.FETCH && sum);
        }
        final boolean permitted;
        switch (access) {
            case Access.FETCH: permitted = (pte & Pte.X) != 0; break;
            case Access.LOAD: permitted = (pte & Pte.R) != 0 || (mxr && (pte & Pte.X) != 0); break;
            default: permitted = (pte & Pte.W) != 0; break;
        }
        if (!allowed || !permitted) {
            throw hart.trap.raise(Access.pageFault(access), va);
        }
    }

    private long readPte(long pteAddr, int access, long va) {
        if (!pmp.allows(pteAddr, 8, Pmp.R, Priv.S)) {
            throw hart.trap.raise(Access.accessFault(access), va);
        }
        try {
            return bus.load(pteAddr, 8);
        } catch (BusFault e) {
            throw hart.trap.raise(Access.accessFault(access), va);
        }
    }

    /** Sets A (and D) atomically; false when the PTE changed since it was read. */
    private boolean updatePte(long pteAddr, long expected, long wanted, int access, long va) {
        if (!pmp.allows(pteAddr, 8, Pmp.W, Priv.S) || !ram.contains(pteAddr, 8)) {
            throw hart.trap.raise(Access.accessFault(access), va);
        }
        final int index = (int) (pteAddr - ramBase);
        invalidateCode(index);
        return Ram.LE64.compareAndSet(mem, index, expected, wanted);
    }

    private static long signExtend(long v, int size) {
        final int shift = 64 - 8 * size;
        return v << shift >> shift;
    }
}
