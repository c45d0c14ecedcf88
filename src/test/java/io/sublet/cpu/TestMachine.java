package io.sublet.cpu;

import static org.junit.jupiter.api.Assertions.fail;

import io.sublet.machine.Machine;
import io.sublet.machine.MachineConfig;
import io.sublet.mem.Ram;

/**
 * A small machine for hart tests, driven only through the hart's public API: code is hand-assembled with
 * {@link Asm} and copied into RAM, and the hart runs one instruction per {@link Hart#run} call so a test can
 * stop exactly at the first trap.
 *
 * <p>Fixed layout (physical addresses):
 * <pre>
 *   0x8000_0000  M-mode code (the test's setup, usually ending in mret)
 *   0x8000_1000  guest code, two pages
 *   0x8000_3000  M trap handler area: 16 slots of "j ." (mtvec; vectored slots are base + 4 * cause)
 *   0x8000_3800  S trap handler area: 16 slots of "j ." (stvec)
 *   0x8010_0000  page-table pool (MmuTest)
 *   0x8040_0000  data
 * </pre>
 */
final class TestMachine {
    static final long RAM_BASE = MachineConfig.RAM_BASE;
    static final long RAM_SIZE = 16L << 20;
    static final long M_CODE = RAM_BASE;
    static final long GUEST_CODE = RAM_BASE + 0x1000;
    static final long M_TRAP = RAM_BASE + 0x3000;
    static final long S_TRAP = RAM_BASE + 0x3800;
    static final long TABLES = RAM_BASE + 0x10_0000;
    static final long DATA = RAM_BASE + 0x40_0000;

    /** What the first trap left behind, read from the CSRs of the mode that took it. */
    record TrapInfo(long cause, long tval, long epc, int priv) {
        @Override
        public String toString() {
            return String.format("trap{cause=%s (%d%s), tval=0x%x, epc=0x%x, into %s}", Cause.name(cause), cause & 63,
                    cause < 0 ? ", interrupt" : "", tval, epc, Priv.name(priv));
        }
    }

    final Machine machine;
    final Hart hart;
    final Ram ram;

    /** A machine whose lowest-priority PMP entry grants all memory, as firmware leaves it. */
    TestMachine() {
        this(true);
    }

    /** {@code firmwarePmp} false leaves every PMP entry OFF, for tests of PMP itself. */
    TestMachine(boolean firmwarePmp) {
        machine = new Machine(MachineConfig.defaults().withRamSize(RAM_SIZE));
        hart = machine.hart();
        ram = machine.ram();
        final Asm handlers = new Asm(M_TRAP);
        for (int k = 0; k < 16; k++) {
            handlers.spin();
        }
        handlers.writeTo(ram);
        final Asm sHandlers = new Asm(S_TRAP);
        for (int k = 0; k < 16; k++) {
            sHandlers.spin();
        }
        sHandlers.writeTo(ram);
        // As firmware does: the lowest-priority PMP entry grants everything, so S and U mode can run at all
        // (with every entry OFF the spec denies them all memory). Tests of PMP itself use the other entries.
        if (firmwarePmp) {
            hart.pmp.writeAddr(Pmp.ENTRIES - 1, -1L);
            hart.pmp.writeCfg(2, (long) (Pmp.R | Pmp.W | Pmp.X | Pmp.A_NAPOT << Pmp.A_SHIFT) << 56);
        }
    }

    /** Copies code blocks into RAM (before the hart has run, so no decoded code can be stale). */
    TestMachine load(Asm... blocks) {
        for (Asm a : blocks) {
            a.writeTo(ram);
        }
        machine.code().invalidateAll();
        return this;
    }

    long read64(long paddr) {
        return ram.load((int) (paddr - RAM_BASE), 8);
    }

    void write64(long paddr, long value) {
        ram.store((int) (paddr - RAM_BASE), 8, value);
    }

    int read32(long paddr) {
        return (int) ram.load((int) (paddr - RAM_BASE), 4);
    }

    /** Starts at {@code pc} and runs one instruction per slice until the first trap is taken. */
    TrapInfo runToTrap(long pc, int maxInstructions) {
        hart.pc = pc;
        return continueToTrap(maxInstructions);
    }

    TrapInfo continueToTrap(int maxInstructions) {
        final long traps = hart.trapCount();
        for (int k = 0; k < maxInstructions; k++) {
            hart.run(1);
            if (hart.trapCount() != traps) {
                return lastTrap();
            }
        }
        return fail(String.format("no trap within %d instructions; pc=0x%x priv=%s", maxInstructions, hart.pc,
                Priv.name(hart.priv())));
    }

    /** Runs {@code n} slices of one instruction each; fails if a trap is taken. */
    void steps(int n) {
        final long traps = hart.trapCount();
        for (int k = 0; k < n; k++) {
            hart.run(1);
        }
        if (hart.trapCount() != traps) {
            fail("unexpected " + lastTrap());
        }
    }

    TrapInfo lastTrap() {
        final Csrs c = hart.csrs();
        if (hart.priv() == Priv.M) {
            return new TrapInfo(c.mcause(), c.mtval(), c.mepc(), Priv.M);
        }
        return new TrapInfo(c.scause(), c.stval(), c.sepc(), hart.priv());
    }

    /**
     * Emits M-mode setup that writes each (csr, value) pair, then {@code mret} into {@code priv} at
     * {@code target}. mtvec and stvec point at the handler areas unless the pairs override them.
     */
    static Asm enter(int priv, long target, long mstatusBits, long... csrValuePairs) {
        final Asm m = new Asm(M_CODE);
        m.csrwi64(Csr.MTVEC, M_TRAP);
        m.csrwi64(Csr.STVEC, S_TRAP);
        for (int k = 0; k < csrValuePairs.length; k += 2) {
            m.csrwi64((int) csrValuePairs[k], csrValuePairs[k + 1]);
        }
        m.csrwi64(Csr.MEPC, target);
        m.csrwi64(Csr.MSTATUS, mstatusBits | (long) priv << MStatus.MPP_SHIFT);
        m.mret();
        return m;
    }
}
