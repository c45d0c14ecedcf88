package io.sublet.dev;

import io.sublet.mem.BusFault;
import io.sublet.mem.Device;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The platform-level interrupt controller of QEMU's {@code virt} board (SiFive PLIC, compatible
 * {@code "sifive,plic-1.0.0", "riscv,plic0"}, {@code riscv,ndev = 95}): level-triggered sources 1..95
 * (0 means "none"), priorities 0..7, and one context per hart and privilege mode, each with its own
 * enables, threshold and claim/complete register.
 *
 * <pre>
 *  offset                            access  register
 *  0x000000 + 4*s                    RW      priority[s]   bits 2..0, WARL; 0 = never interrupts; s = 1..95
 *  0x001000 + 4*w                    R       pending       bit s%32 of word w = s/32 (writes ignored)
 *  0x002000 + 0x80*c + 4*w           RW      enable[c]     bit s%32 of word w: source s enabled for context c
 *  0x200000 + 0x1000*c               RW      threshold[c]  bits 2..0, WARL: only priorities above it interrupt
 *  0x200000 + 0x1000*c + 4           R       claim[c]      highest-priority pending enabled source above the
 *                                                          threshold (ties: lowest id), or 0; marks it claimed
 *                                    W       complete[c]   ends the claim of the written id
 *
 *  context c = 2h   : hart h, M mode, drives its MEIP (mip bit 11)
 *  context c = 2h+1 : hart h, S mode, drives its SEIP (mip bit 9)
 * </pre>
 *
 * Every register is 32 bits wide; other access sizes fault, as on QEMU. Offsets that hold no register
 * (source 0, sources above 95, contexts beyond the last) read 0 and ignore writes.
 *
 * <p>Gateway: a source is pending while its input level is high and it is not claimed. A claimed source
 * is not pending again until its claim is completed; if its level is still high then, it is pending at
 * once. A completion with an id that is not claimed, or not enabled for the completing context, is
 * ignored. A context's output is high while some pending source enabled for it has a priority above its
 * threshold.
 *
 * <p>Thread safety: device threads drive sources through {@link #source(int)} without blocking: the level
 * goes into a lock-free bitset and whoever holds (or can take) the register lock re-evaluates the outputs
 * before releasing it. Hart threads reach the registers under that lock, so two harts never claim the
 * same source. Output lines are driven with the lock held and must not call back into the PLIC.
 */
public final class Plic implements Device {
    /** Source ids 0..95; id 0 is reserved. */
    public static final int SOURCES = 96;
    /** The device tree's {@code riscv,ndev}: the highest source id. */
    public static final int NDEV = SOURCES - 1;
    public static final int MAX_PRIORITY = 7;
    public static final long PRIORITY_BASE = 0x000000;
    public static final long PENDING_BASE = 0x001000;
    public static final long ENABLE_BASE = 0x002000;
    public static final long ENABLE_STRIDE = 0x80;
    public static final long CONTEXT_BASE = 0x200000;
    public static final long CONTEXT_STRIDE = 0x1000;
    public static final long THRESHOLD = 0x0;
    public static final long CLAIM = 0x4;
    public static final String[] COMPATIBLE = {"sifive,plic-1.0.0", "riscv,plic0"};

    private static final int WORDS32 = (SOURCES + 31) / 32;
    private static final int LONGS = (SOURCES + 63) / 64;
    private static final VarHandle LONG_ARRAY = MethodHandles.arrayElementVarHandle(long[].class);

    private final int contexts;
    private final IrqLine[] outputs;
    private final IrqLine[] sources = new IrqLine[SOURCES];

    /** Input levels, one bit per source; written by any thread through {@link #LONG_ARRAY}. */
    private final long[] levels = new long[LONGS];
    /** Set after a level changes; cleared by whoever then re-evaluates under the lock. */
    private volatile boolean dirty;
    private final ReentrantLock lock = new ReentrantLock();

    // Register state, guarded by lock.
    private final int[] priority = new int[SOURCES];
    private final long[] enable;
    private final int[] threshold;
    private final long[] claimed = new long[LONGS];
    private final boolean[] out;
    private long claims;
    private long emptyClaims;

    /**
     * Saved register state. Input levels are not part of it: the devices restored with the PLIC drive
     * their lines again.
     *
     * @param enable {@code 2 * contexts} longs: context c's sources 0..63, then 64..95
     */
    public record State(int[] priority, long[] enable, int[] threshold, long[] claimed) { }

    /**
     * @param contextOutputs one line per context: for hart h, {@code [2h]} is its MEIP and {@code [2h+1]}
     *                       its SEIP
     */
    public Plic(final IrqLine[] contextOutputs) {
        if (contextOutputs.length < 1 || contextOutputs.length > 15872) {
            throw new IllegalArgumentException("PLIC needs 1..15872 contexts, got " + contextOutputs.length);
        }
        this.contexts = contextOutputs.length;
        this.outputs = contextOutputs.clone();
        this.enable = new long[contexts * LONGS];
        this.threshold = new int[contexts];
        this.out = new boolean[contexts];
        for (int n = 1; n < SOURCES; n++) {
            final int id = n;
            sources[n] = level -> setLevel(id, level);
        }
    }

    /** Size of the MMIO region for {@code contexts} contexts, as QEMU's {@code VIRT_PLIC_SIZE}. */
    public static long size(final int contexts) {
        return CONTEXT_BASE + contexts * CONTEXT_STRIDE;
    }

    public int contexts() {
        return contexts;
    }

    /** The input of source {@code n} (1..95), for a device's interrupt output. Thread-safe, never blocks. */
    public IrqLine source(final int n) {
        if (n < 1 || n >= SOURCES) {
            throw new IllegalArgumentException("PLIC source " + n + " out of range 1.." + NDEV);
        }
        return sources[n];
    }

    /** Number of claims that returned a source. */
    public long claims() {
        lock.lock();
        try {
            return claims;
        } finally {
            lock.unlock();
        }
    }

    /** Number of claims that found nothing (returned 0). */
    public long emptyClaims() {
        lock.lock();
        try {
            return emptyClaims;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long load(final long offset, final int size) {
        if (size != 4) {
            throw BusFault.INSTANCE;
        }
        lock.lock();
        try {
            return read(offset) & 0xffff_ffffL;
        } finally {
            evaluate();
            unlockAndDrain();
        }
    }

    @Override
    public void store(final long offset, final int size, final long value) {
        if (size != 4) {
            throw BusFault.INSTANCE;
        }
        lock.lock();
        try {
            write(offset, (int) value);
        } finally {
            evaluate();
            unlockAndDrain();
        }
    }

    private int read(final long offset) {
        if (offset < PENDING_BASE) {
            final int s = (int) (offset >>> 2);
            return s < SOURCES ? priority[s] : 0;
        }
        if (offset < ENABLE_BASE) {
            final int w = (int) ((offset - PENDING_BASE) >>> 2);
            if (w >= WORDS32) {
                return 0;
            }
            final long pending = (long) LONG_ARRAY.getVolatile(levels, w >>> 1) & ~claimed[w >>> 1];
            return word(pending, w);
        }
        if (offset < CONTEXT_BASE) {
            final long c = (offset - ENABLE_BASE) / ENABLE_STRIDE;
            final int w = (int) (((offset - ENABLE_BASE) % ENABLE_STRIDE) >>> 2);
            return c < contexts && w < WORDS32 ? word(enable[(int) c * LONGS + (w >>> 1)], w) : 0;
        }
        final long c = (offset - CONTEXT_BASE) / CONTEXT_STRIDE;
        if (c >= contexts) {
            return 0;
        }
        final long reg = (offset - CONTEXT_BASE) % CONTEXT_STRIDE;
        if (reg == THRESHOLD) {
            return threshold[(int) c];
        }
        if (reg == CLAIM) {
            return claim((int) c);
        }
        return 0;
    }

    private void write(final long offset, final int value) {
        if (offset < PENDING_BASE) {
            final int s = (int) (offset >>> 2);
            if (s > 0 && s < SOURCES) {
                priority[s] = value & MAX_PRIORITY;
            }
            return;
        }
        if (offset < ENABLE_BASE) {
            return; // pending bits are read-only
        }
        if (offset < CONTEXT_BASE) {
            final long c = (offset - ENABLE_BASE) / ENABLE_STRIDE;
            final int w = (int) (((offset - ENABLE_BASE) % ENABLE_STRIDE) >>> 2);
            if (c < contexts && w < WORDS32) {
                final int i = (int) c * LONGS + (w >>> 1);
                final int shift = (w & 1) * 32;
                long bits = (value & 0xffff_ffffL) << shift;
                if (w == 0) {
                    bits &= ~1L; // source 0 does not exist
                }
                enable[i] = (enable[i] & ~(0xffff_ffffL << shift)) | (bits & validMask(w >>> 1));
            }
            return;
        }
        final long c = (offset - CONTEXT_BASE) / CONTEXT_STRIDE;
        if (c >= contexts) {
            return;
        }
        final long reg = (offset - CONTEXT_BASE) % CONTEXT_STRIDE;
        if (reg == THRESHOLD) {
            threshold[(int) c] = value & MAX_PRIORITY;
        } else if (reg == CLAIM) {
            complete((int) c, value);
        }
    }

    private int claim(final int c) {
        final int id = best(c);
        if (id == 0) {
            emptyClaims++;
            return 0;
        }
        claimed[id >>> 6] |= 1L << id;
        claims++;
        return id;
    }

    private void complete(final int c, final int id) {
        if (id <= 0 || id >= SOURCES) {
            return;
        }
        final long bit = 1L << id;
        if ((claimed[id >>> 6] & bit) != 0 && (enable[c * LONGS + (id >>> 6)] & bit) != 0) {
            claimed[id >>> 6] &= ~bit;
        }
    }

    /** The source context {@code c} would claim now, or 0. Called with the lock held. */
    private int best(final int c) {
        int best = 0;
        int bestPriority = threshold[c];
        for (int i = 0; i < LONGS; i++) {
            long eligible = (long) LONG_ARRAY.getVolatile(levels, i) & ~claimed[i] & enable[c * LONGS + i];
            while (eligible != 0) {
                final int id = i * 64 + Long.numberOfTrailingZeros(eligible);
                eligible &= eligible - 1;
                if (priority[id] > bestPriority) {
                    best = id;
                    bestPriority = priority[id];
                }
            }
        }
        return best;
    }

    /** Drives every context's output from the current state. Called with the lock held. */
    private void evaluate() {
        dirty = false;
        for (int c = 0; c < contexts; c++) {
            final boolean level = best(c) != 0;
            if (out[c] != level) {
                out[c] = level;
                outputs[c].set(level);
            }
        }
    }

    private void setLevel(final int n, final boolean level) {
        final long bit = 1L << n;
        final long old = level
                ? (long) LONG_ARRAY.getAndBitwiseOr(levels, n >>> 6, bit)
                : (long) LONG_ARRAY.getAndBitwiseAnd(levels, n >>> 6, ~bit);
        if (((old & bit) != 0) == level) {
            return;
        }
        dirty = true;
        drain();
    }

    /**
     * Re-evaluates after level changes unless another thread holds the lock, in which case that thread
     * sees {@link #dirty} after it unlocks and does it. (The level write, the {@code dirty} write and the
     * lock are all volatile accesses, so one of the two threads must see the other's.)
     */
    private void drain() {
        while (dirty && lock.tryLock()) {
            try {
                evaluate();
            } finally {
                lock.unlock();
            }
        }
    }

    private void unlockAndDrain() {
        lock.unlock();
        drain();
    }

    public State save() {
        lock.lock();
        try {
            return new State(priority.clone(), enable.clone(), threshold.clone(), claimed.clone());
        } finally {
            lock.unlock();
        }
    }

    /** Restores saved registers after checking them as strictly as guest input, and re-drives every output. */
    public void restore(final State s) {
        if (s.priority().length != SOURCES || s.enable().length != contexts * LONGS
                || s.threshold().length != contexts || s.claimed().length != LONGS) {
            throw new IllegalArgumentException("PLIC state does not match " + contexts + " contexts and " + SOURCES
                    + " sources");
        }
        for (int v : s.priority()) {
            checkPriority(v);
        }
        for (int v : s.threshold()) {
            checkPriority(v);
        }
        if (s.priority()[0] != 0) {
            throw new IllegalArgumentException("PLIC state gives source 0 a priority");
        }
        for (int i = 0; i < s.enable().length; i++) {
            if ((s.enable()[i] & ~validMask(i % LONGS)) != 0) {
                throw new IllegalArgumentException("PLIC state enables a source that does not exist");
            }
        }
        for (int i = 0; i < LONGS; i++) {
            if ((s.claimed()[i] & ~validMask(i)) != 0) {
                throw new IllegalArgumentException("PLIC state claims a source that does not exist");
            }
        }
        lock.lock();
        try {
            System.arraycopy(s.priority(), 0, priority, 0, SOURCES);
            System.arraycopy(s.enable(), 0, enable, 0, enable.length);
            System.arraycopy(s.threshold(), 0, threshold, 0, contexts);
            System.arraycopy(s.claimed(), 0, claimed, 0, LONGS);
            dirty = false;
            for (int c = 0; c < contexts; c++) {
                out[c] = best(c) != 0;
                outputs[c].set(out[c]);
            }
        } finally {
            unlockAndDrain();
        }
    }

    private static void checkPriority(final int v) {
        if (v < 0 || v > MAX_PRIORITY) {
            throw new IllegalArgumentException("PLIC state has priority " + v + ", outside 0.." + MAX_PRIORITY);
        }
    }

    /** Bits of long {@code i} of a source bitset that name existing sources 1..95. */
    private static long validMask(final int i) {
        final int from = i * 64;
        final int count = Math.min(64, SOURCES - from);
        long mask = count == 64 ? -1L : (1L << count) - 1;
        if (i == 0) {
            mask &= ~1L;
        }
        return mask;
    }

    private static int word(final long bits, final int w32) {
        return (int) (bits >>> ((w32 & 1) * 32));
    }
}
