package io.sublet.dev;

import io.sublet.mem.BusFault;
import io.sublet.mem.Device;
import java.util.Arrays;

/**
 * The core-local interruptor: per-hart software interrupts and timer compare registers, and the shared
 * {@code mtime} counter, laid out as the SiFive CLINT on QEMU's {@code virt} board (compatible
 * {@code "sifive,clint0", "riscv,clint0"}).
 *
 * <pre>
 *  offset                width  access  register
 *  0x0000 + 4*h           32    4       msip[h]       bit 0: MSIP of hart h; bits 31..1 read 0
 *  0x4000 + 8*h           64    4, 8    mtimecmp[h]   MTIP of hart h = (mtime >= mtimecmp[h]), unsigned
 *  0xbff8                 64    4, 8    mtime         timebase ticks (10 MHz on virt), writable
 *
 *   31                                      1   0
 *  +-----------------------------------------+---+
 *  |                   0                     | M |  msip[h]
 *  +-----------------------------------------+---+
 * </pre>
 *
 * The 64-bit registers may be read and written as a whole or as 32-bit halves (low half at +0). Other
 * access sizes fault, as on QEMU; offsets inside the region that hold no register read 0 and ignore
 * writes. {@code mtimecmp} resets to all ones, so no timer interrupt is pending until software arms one.
 *
 * <p>{@code mtime} is the {@link Clock} (in timebase ticks) plus an offset that a write to {@code mtime}
 * adjusts; {@link #mtime()} is lock-free, for the harts' {@code time} CSR. Time passes without the
 * device noticing: the machine calls {@link #update()} between execution slices to raise MTIP for
 * compare values that have come due, and sleeps a hart in WFI no longer than {@link #deadline(int)}.
 *
 * <p>Thread safety: each hart thread may access the registers and call {@link #update()}; the register
 * side is serialised by this object's monitor (MMIO is the slow path). Interrupt lines are driven while
 * the monitor is held and must not call back into this device.
 */
public final class Clint implements Device {
    /** Size of the MMIO region. */
    public static final long SIZE = 0x10000;
    public static final long MSIP_BASE = 0x0000;
    public static final long MTIMECMP_BASE = 0x4000;
    public static final long MTIME = 0xbff8;
    /** Harts the layout has room for: the msip array ends where mtimecmp begins. */
    public static final int MAX_HARTS = 4095;
    public static final String[] COMPATIBLE = {"sifive,clint0", "riscv,clint0"};

    private final Clock clock;
    private final IrqLine[] msipLines;
    private final IrqLine[] mtipLines;
    private final int harts;
    private final long[] mtimecmp;
    private final boolean[] msip;
    private final boolean[] mtip;
    /** mtime - clock; written under the monitor, read lock-free by {@link #mtime()}. */
    private volatile long offset;
    private long ipis;

    /** Saved register state; {@code mtime} is absolute, so a restore continues from the saved time. */
    public record State(long mtime, long[] mtimecmp, boolean[] msip) { }

    /**
     * @param clock     timebase ticks (the board's 10 MHz)
     * @param msipLines per hart, its machine software interrupt (mip.MSIP, bit 3)
     * @param mtipLines per hart, its machine timer interrupt (mip.MTIP, bit 7)
     */
    public Clint(final Clock clock, final IrqLine[] msipLines, final IrqLine[] mtipLines) {
        if (msipLines.length != mtipLines.length || msipLines.length < 1 || msipLines.length > MAX_HARTS) {
            throw new IllegalArgumentException("CLINT needs one MSIP and one MTIP line per hart (1.." + MAX_HARTS
                    + "), got " + msipLines.length + " and " + mtipLines.length);
        }
        this.clock = clock;
        this.msipLines = msipLines.clone();
        this.mtipLines = mtipLines.clone();
        this.harts = msipLines.length;
        this.mtimecmp = new long[harts];
        this.msip = new boolean[harts];
        this.mtip = new boolean[harts];
        Arrays.fill(mtimecmp, -1L);
    }

    public int harts() {
        return harts;
    }

    /** The current {@code mtime}; lock-free, callable from any thread. */
    public long mtime() {
        return clock.now() + offset;
    }

    public synchronized void setMtime(final long value) {
        offset = value - clock.now();
        update();
    }

    public synchronized long mtimecmp(final int hart) {
        return mtimecmp[hart];
    }

    /** Sets a compare value and re-evaluates that hart's MTIP (for an SBI implemented in the VMM, too). */
    public synchronized void setMtimecmp(final int hart, final long value) {
        mtimecmp[hart] = value;
        driveMtip(hart, Long.compareUnsigned(mtime(), value) >= 0, false);
    }

    public synchronized boolean msip(final int hart) {
        return msip[hart];
    }

    public synchronized void setMsip(final int hart, final boolean level) {
        if (level && !msip[hart]) {
            ipis++;
        }
        msip[hart] = level;
        msipLines[hart].set(level);
    }

    /** Re-evaluates every hart's MTIP against the current {@code mtime}; the machine calls it between slices. */
    public synchronized void update() {
        final long now = mtime();
        for (int h = 0; h < harts; h++) {
            driveMtip(h, Long.compareUnsigned(now, mtimecmp[h]) >= 0, false);
        }
    }

    /** The {@code mtime} at which hart {@code hart}'s timer fires (all ones: not armed). */
    public synchronized long deadline(final int hart) {
        return mtimecmp[hart];
    }

    /** The earliest {@code mtimecmp} over all harts, unsigned (all ones when none is armed). */
    public synchronized long nextDeadline() {
        long min = -1L;
        for (int h = 0; h < harts; h++) {
            if (Long.compareUnsigned(mtimecmp[h], min) < 0) {
                min = mtimecmp[h];
            }
        }
        return min;
    }

    /** Number of MSIP rising edges written (inter-processor interrupts sent). */
    public synchronized long ipis() {
        return ipis;
    }

    @Override
    public synchronized long load(final long offset, final int size) {
        if (offset < MTIMECMP_BASE) {
            checkSize(size == 4);
            final long h = offset >>> 2;
            return h < harts && msip[(int) h] ? 1 : 0;
        }
        checkSize(size == 4 || size == 8);
        final long reg = offset & ~7L;
        final long value;
        if (reg == MTIME) {
            value = mtime();
        } else if (reg < MTIME && (reg - MTIMECMP_BASE) >>> 3 < harts) {
            value = mtimecmp[(int) ((reg - MTIMECMP_BASE) >>> 3)];
        } else {
            return 0;
        }
        if (size == 8) {
            return value;
        }
        return (offset & 4) == 0 ? value & 0xffff_ffffL : value >>> 32;
    }

    @Override
    public synchronized void store(final long offset, final int size, final long value) {
        if (offset < MTIMECMP_BASE) {
            checkSize(size == 4);
            final long h = offset >>> 2;
            if (h < harts) {
                setMsip((int) h, (value & 1) != 0);
            }
            return;
        }
        checkSize(size == 4 || size == 8);
        final long reg = offset & ~7L;
        if (reg == MTIME) {
            setMtime(merge(mtime(), offset, size, value));
        } else if (reg < MTIME && (reg - MTIMECMP_BASE) >>> 3 < harts) {
            final int h = (int) ((reg - MTIMECMP_BASE) >>> 3);
            setMtimecmp(h, merge(mtimecmp[h], offset, size, value));
        }
    }

    public synchronized State save() {
        return new State(mtime(), mtimecmp.clone(), msip.clone());
    }

    /** Restores saved registers and drives every line to match them. */
    public synchronized void restore(final State s) {
        if (s.mtimecmp().length != harts || s.msip().length != harts) {
            throw new IllegalArgumentException("CLINT state is for " + s.mtimecmp().length + " harts, this board has "
                    + harts);
        }
        offset = s.mtime() - clock.now();
        System.arraycopy(s.mtimecmp(), 0, mtimecmp, 0, harts);
        final long now = mtime();
        for (int h = 0; h < harts; h++) {
            msip[h] = s.msip()[h];
            msipLines[h].set(msip[h]);
            driveMtip(h, Long.compareUnsigned(now, mtimecmp[h]) >= 0, true);
        }
    }

    private void driveMtip(final int hart, final boolean level, final boolean force) {
        if (force || mtip[hart] != level) {
            mtip[hart] = level;
            mtipLines[hart].set(level);
        }
    }

    /** A 64-bit register after a write of {@code size} bytes at {@code offset} (a whole or a 32-bit half). */
    private static long merge(final long old, final long offset, final int size, final long value) {
        if (size == 8) {
            return value;
        }
        if ((offset & 4) == 0) {
            return (old & 0xffff_ffff_0000_0000L) | (value & 0xffff_ffffL);
        }
        return (old & 0xffff_ffffL) | (value << 32);
    }

    private static void checkSize(final boolean ok) {
        if (!ok) {
            throw BusFault.INSTANCE;
        }
    }
}
