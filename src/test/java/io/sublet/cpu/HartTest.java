package io.sublet.cpu;

import static io.sublet.cpu.TestMachine.GUEST_CODE;
import static io.sublet.cpu.TestMachine.M_CODE;
import static io.sublet.cpu.TestMachine.M_TRAP;
import static io.sublet.cpu.TestMachine.S_TRAP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Trap entry, delegation, interrupts and xRET (privileged spec, "Machine-Level ISA": mstatus, mtvec,
 * medeleg/mideleg, mip/mie, MRET/SRET, WFI), driven through {@link Hart#run}.
 */
class HartTest {
    private static final long ALL_INTERRUPTS = 0xaaaL;
    private static final long M_SOFTWARE = 1L << Cause.MSI;
    private static final long M_TIMER = 1L << Cause.MTI;
    private static final long S_TIMER = 1L << Cause.STI;

    private final TestMachine t = new TestMachine();

    /** Enters {@code priv} at GUEST_CODE with the given CSR values, runs {@code body} then ebreak. */
    private TestMachine.TrapInfo in(int priv, long mstatus, Consumer<Asm> body, long... csrValuePairs) {
        final Asm g = new Asm(GUEST_CODE);
        body.accept(g);
        g.ebreak();
        t.load(TestMachine.enter(priv, GUEST_CODE, mstatus, csrValuePairs), g);
        return t.runToTrap(M_CODE, 10_000);
    }

    private long mstatus() {
        return t.hart.csrs().mstatus();
    }

    private static Consumer<Asm> nops(int n) {
        return g -> {
            for (int k = 0; k < n; k++) {
                g.nop();
            }
        };
    }

    // ---- exceptions: cause, epc, tval, state ----

    @ParameterizedTest(name = "ecall from {0}")
    @CsvSource({"0, 8", "1, 9", "3, 11"})
    void ecallCauseDependsOnTheMode(int priv, int cause) {
        final TestMachine.TrapInfo trap = in(priv, 0, g -> g.ecall());
        assertEquals(cause, trap.cause(), trap::toString);
        assertEquals(GUEST_CODE, trap.epc());
        assertEquals(0, trap.tval());
        assertEquals(Priv.M, t.hart.priv());
        assertEquals(priv, (int) (mstatus() >>> MStatus.MPP_SHIFT) & 3, "MPP holds the mode the trap came from");
        assertEquals(M_TRAP, t.hart.pc);
    }

    @Test
    void trapIntoMachineModeMovesMieToMpie() {
        final Asm m = new Asm(M_CODE);
        m.csrwi64(Csr.MTVEC, M_TRAP).csrwi64(Csr.MSTATUS, MStatus.MIE);
        final long at = m.pc();
        m.ecall();
        t.load(m);
        final TestMachine.TrapInfo trap = t.runToTrap(M_CODE, 100);
        assertEquals(Cause.ECALL_M, trap.cause());
        assertEquals(at, trap.epc());
        assertEquals(MStatus.MPIE, mstatus() & (MStatus.MIE | MStatus.MPIE));
        assertEquals(Priv.M, (int) (mstatus() >>> MStatus.MPP_SHIFT) & 3);
    }

    @Test
    void illegalInstructionHasItsBitsInMtval() {
        final TestMachine.TrapInfo trap = in(Priv.M, 0, g -> g.word32(0x8000_0033)); // OP with funct7 0x40
        assertEquals(Cause.ILLEGAL_INSTRUCTION, trap.cause(), trap::toString);
        assertEquals(0x8000_0033L, trap.tval(), "zero-extended instruction bits");
    }

    @Test
    void ebreakHasThePcInMtval() {
        final TestMachine.TrapInfo trap = in(Priv.S, 0, nops(2));
        assertEquals(Cause.BREAKPOINT, trap.cause());
        assertEquals(GUEST_CODE + 8, trap.epc());
        assertEquals(GUEST_CODE + 8, trap.tval());
    }

    @Test
    void registerZeroStaysZero() {
        final TestMachine.TrapInfo trap = in(Priv.M, 0, g -> g.addi(Asm.ZERO, Asm.ZERO, 5).mv(Asm.A1, Asm.ZERO));
        assertEquals(Cause.BREAKPOINT, trap.cause());
        assertEquals(0, t.hart.x[0]);
        assertEquals(0, t.hart.x[Asm.A1]);
    }

    @Test
    void runReturnsTheNumberOfInstructionsRetired() {
        final Asm m = new Asm(M_CODE);
        nops(10).accept(m);
        t.load(m);
        t.hart.pc = M_CODE;
        assertEquals(4, t.hart.run(4));
        assertEquals(M_CODE + 16, t.hart.pc);
        assertEquals(4, t.hart.retiredTotal());
    }

    // ---- mtvec and stvec ----

    @Test
    void vectoredMtvecSendsInterruptsToBasePlusFourTimesCause() {
        t.hart.setInterruptLine(Cause.MTI, true);
        final TestMachine.TrapInfo trap = in(Priv.S, 0, nops(3), Csr.MTVEC, M_TRAP | 1, Csr.MIE, M_TIMER);
        assertEquals(Cause.INTERRUPT | Cause.MTI, trap.cause(), trap::toString);
        assertEquals(GUEST_CODE, trap.epc(), "taken before the first guest instruction");
        assertEquals(M_TRAP + 4 * Cause.MTI, t.hart.pc);
        assertEquals(0, trap.tval());
    }

    @Test
    void vectoredMtvecSendsExceptionsToBase() {
        final TestMachine.TrapInfo trap = in(Priv.S, 0, g -> g.ecall(), Csr.MTVEC, M_TRAP | 1);
        assertEquals(Cause.ECALL_S, trap.cause());
        assertEquals(M_TRAP, t.hart.pc);
    }

    @Test
    void vectoredStvecSendsDelegatedInterruptsToBasePlusFourTimesCause() {
        final TestMachine.TrapInfo trap = in(Priv.U, 0, nops(3), Csr.STVEC, S_TRAP | 1, Csr.MIDELEG, S_TIMER,
                Csr.MIE, S_TIMER, Csr.MIP, S_TIMER);
        assertEquals(Priv.S, trap.priv(), trap::toString);
        assertEquals(Cause.INTERRUPT | Cause.STI, trap.cause());
        assertEquals(S_TRAP + 4 * Cause.STI, t.hart.pc);
    }

    // ---- delegation ----

    @Test
    void delegatedExceptionFromUserGoesToSupervisor() {
        final TestMachine.TrapInfo trap = in(Priv.U, MStatus.SIE, g -> g.nop().ecall(),
                Csr.MEDELEG, 1L << Cause.ECALL_U);
        assertEquals(Priv.S, trap.priv(), trap::toString);
        assertEquals(Cause.ECALL_U, trap.cause());
        assertEquals(GUEST_CODE + 4, trap.epc());
        assertEquals(S_TRAP, t.hart.pc);
        assertEquals(0, mstatus() & MStatus.SPP, "SPP = U");
        assertEquals(MStatus.SPIE, mstatus() & (MStatus.SIE | MStatus.SPIE), "SIE moved to SPIE");
        assertEquals(0, t.hart.csrs().mcause(), "M-mode trap registers untouched");
    }

    @Test
    void delegatedExceptionFromSupervisorSetsSpp() {
        final TestMachine.TrapInfo trap = in(Priv.S, 0, g -> g.word32(0), Csr.MEDELEG, 1L << Cause.ILLEGAL_INSTRUCTION);
        assertEquals(Priv.S, trap.priv(), trap::toString);
        assertEquals(Cause.ILLEGAL_INSTRUCTION, trap.cause());
        assertEquals(MStatus.SPP, mstatus() & MStatus.SPP);
    }

    @Test
    void exceptionInMachineModeIsNeverDelegated() {
        final TestMachine.TrapInfo trap = in(Priv.M, 0, g -> g.word32(0), Csr.MEDELEG, 1L << Cause.ILLEGAL_INSTRUCTION);
        assertEquals(Priv.M, trap.priv(), trap::toString);
        assertEquals(Cause.ILLEGAL_INSTRUCTION, trap.cause());
    }

    @Test
    void undelegatedExceptionFromUserGoesToMachine() {
        final TestMachine.TrapInfo trap = in(Priv.U, 0, g -> g.ecall(), Csr.MEDELEG, 1L << Cause.ECALL_S);
        assertEquals(Priv.M, trap.priv(), trap::toString);
        assertEquals(Cause.ECALL_U, trap.cause());
    }

    // ---- interrupts ----

    @ParameterizedTest(name = "pending 0x{0} -> cause {1}")
    @CsvSource({
        "aaa, 11", "2aa, 3", "2a2, 7", "222, 9", "22, 1", "20, 5",
        "a20, 11", "888, 11", "280, 7", "208, 3", "202, 9",
    })
    void interruptPriorityIsMeiMsiMtiSeiSsiSti(String pendingHex, int expected) {
        final long pending = Long.parseLong(pendingHex, 16);
        for (int bit : new int[] {Cause.MSI, Cause.MTI, Cause.MEI}) {
            t.hart.setInterruptLine(bit, (pending >>> bit & 1) != 0);
        }
        final long software = pending & 0x222;
        final TestMachine.TrapInfo trap = in(Priv.S, 0, nops(3), Csr.MIE, ALL_INTERRUPTS, Csr.MIP, software);
        assertEquals(Cause.INTERRUPT | expected, trap.cause(), trap::toString);
        assertEquals(Priv.M, trap.priv(), "nothing delegated");
    }

    @Test
    void machineInterruptWaitsForMieInMachineMode() {
        t.hart.setInterruptLine(Cause.MTI, true);
        final Asm m = new Asm(M_CODE);
        m.csrwi64(Csr.MTVEC, M_TRAP).csrwi64(Csr.MIE, M_TIMER).nop().nop().nop().csrrsi(Asm.ZERO, Csr.MSTATUS, 8);
        final long next = m.pc();
        m.nop().ebreak();
        t.load(m);
        final TestMachine.TrapInfo trap = t.runToTrap(M_CODE, 100);
        assertEquals(Cause.INTERRUPT | Cause.MTI, trap.cause(), trap::toString);
        assertEquals(next, trap.epc(), "taken right after MIE is set, not before");
        assertEquals(MStatus.MPIE, mstatus() & (MStatus.MIE | MStatus.MPIE));
    }

    @Test
    void machineInterruptIsTakenFromSupervisorAndUserWhateverMie() {
        t.hart.setInterruptLine(Cause.MSI, true);
        TestMachine.TrapInfo trap = in(Priv.S, 0, nops(2), Csr.MIE, M_SOFTWARE);
        assertEquals(Cause.INTERRUPT | Cause.MSI, trap.cause(), trap::toString);
        final TestMachine u = new TestMachine();
        u.hart.setInterruptLine(Cause.MSI, true);
        final Asm g = new Asm(GUEST_CODE).nop().ebreak();
        u.load(TestMachine.enter(Priv.U, GUEST_CODE, 0, Csr.MIE, M_SOFTWARE), g);
        trap = u.runToTrap(M_CODE, 100);
        assertEquals(Cause.INTERRUPT | Cause.MSI, trap.cause(), trap::toString);
    }

    @Test
    void interruptNotEnabledInMieIsNotTaken() {
        t.hart.setInterruptLine(Cause.MTI, true);
        final TestMachine.TrapInfo trap = in(Priv.U, 0, nops(3), Csr.MIE, ALL_INTERRUPTS & ~M_TIMER);
        assertEquals(Cause.BREAKPOINT, trap.cause(), trap::toString);
    }

    @Test
    void delegatedInterruptIsNeverTakenInMachineMode() {
        final Asm m = new Asm(M_CODE);
        m.csrwi64(Csr.MTVEC, M_TRAP).csrwi64(Csr.STVEC, S_TRAP).csrwi64(Csr.MIDELEG, S_TIMER)
                .csrwi64(Csr.MIE, S_TIMER).csrwi64(Csr.MIP, S_TIMER)
                .csrwi64(Csr.MSTATUS, MStatus.MIE | MStatus.SIE).nop().nop().ebreak();
        t.load(m);
        final TestMachine.TrapInfo trap = t.runToTrap(M_CODE, 100);
        assertEquals(Cause.BREAKPOINT, trap.cause(), trap::toString);
    }

    @Test
    void delegatedInterruptWaitsForSieInSupervisorMode() {
        final TestMachine.TrapInfo trap = in(Priv.S, 0, g -> g.nop().nop().csrrsi(Asm.ZERO, Csr.SSTATUS, 2).nop(),
                Csr.MIDELEG, S_TIMER, Csr.MIE, S_TIMER, Csr.MIP, S_TIMER);
        assertEquals(Cause.INTERRUPT | Cause.STI, trap.cause(), trap::toString);
        assertEquals(Priv.S, trap.priv());
        assertEquals(GUEST_CODE + 12, trap.epc(), "right after sstatus.SIE is set");
        assertEquals(MStatus.SPP | MStatus.SPIE, mstatus() & (MStatus.SPP | MStatus.SPIE | MStatus.SIE));
    }

    @Test
    void delegatedInterruptIsTakenFromUserWhateverSie() {
        final TestMachine.TrapInfo trap = in(Priv.U, 0, nops(2), Csr.MIDELEG, S_TIMER, Csr.MIE, S_TIMER,
                Csr.MIP, S_TIMER);
        assertEquals(Cause.INTERRUPT | Cause.STI, trap.cause(), trap::toString);
        assertEquals(Priv.S, trap.priv());
        assertEquals(0, mstatus() & MStatus.SPP);
    }

    @Test
    void undelegatedSupervisorInterruptGoesToMachineMode() {
        final TestMachine.TrapInfo trap = in(Priv.S, 0, nops(2), Csr.MIE, S_TIMER, Csr.MIP, S_TIMER);
        assertEquals(Cause.INTERRUPT | Cause.STI, trap.cause(), trap::toString);
        assertEquals(Priv.M, trap.priv());
    }

    // ---- WFI ----

    @Test
    void wfiIsIllegalInUserMode() {
        final TestMachine.TrapInfo trap = in(Priv.U, 0, g -> g.wfi());
        assertEquals(Cause.ILLEGAL_INSTRUCTION, trap.cause(), trap::toString);
        assertEquals(0x1050_0073L, trap.tval());
    }

    @Test
    void wfiIsIllegalInSupervisorModeWithTw() {
        final TestMachine.TrapInfo trap = in(Priv.S, MStatus.TW, g -> g.wfi());
        assertEquals(Cause.ILLEGAL_INSTRUCTION, trap.cause(), trap::toString);
    }

    /** Executes up to {@code n} single steps; true if the hart went to sleep in WFI without taking a trap. */
    private static boolean sleepsInWfi(TestMachine m, int n) {
        final long traps = m.hart.trapCount();
        for (int k = 0; k < n && !m.hart.waitingForInterrupt(); k++) {
            m.hart.run(1);
        }
        return m.hart.waitingForInterrupt() && m.hart.trapCount() == traps;
    }

    @Test
    void wfiIsLegalInSupervisorWithoutTwAndInMachineWithTw() {
        t.load(TestMachine.enter(Priv.S, GUEST_CODE, 0), new Asm(GUEST_CODE).wfi().ebreak());
        t.hart.pc = M_CODE;
        assertTrue(sleepsInWfi(t, 100), "S mode, TW = 0");
        assertEquals(Priv.S, t.hart.priv());
        final TestMachine other = new TestMachine();
        final Asm m = new Asm(M_CODE);
        m.csrwi64(Csr.MTVEC, M_TRAP).csrwi64(Csr.MSTATUS, MStatus.TW).wfi().ebreak();
        other.load(m);
        other.hart.pc = M_CODE;
        assertTrue(sleepsInWfi(other, 100), "M mode ignores TW");
    }

    @Test
    void wfiWaitsOnlyWhenNothingIsPending() {
        final Asm m = new Asm(M_CODE);
        m.csrwi64(Csr.MIE, M_TIMER).wfi().nop();
        t.load(m);
        t.hart.pc = M_CODE;
        while (t.hart.pc != m.pc() - 4) {
            t.hart.run(1);
        }
        assertTrue(t.hart.waitingForInterrupt());
        t.hart.setInterruptLine(Cause.MTI, true);
        t.hart.pc = m.pc() - 8;
        t.hart.run(1);
        assertFalse(t.hart.waitingForInterrupt(), "an interrupt pending in mie wakes WFI even with MIE = 0");
    }

    @Test
    void hartAsleepInWfiRetiresNothingUntilAnInterruptIsPending() {
        final Asm m = new Asm(M_CODE);
        m.csrwi64(Csr.MTVEC, M_TRAP).csrwi64(Csr.MIE, M_TIMER).wfi();
        final long afterWfi = m.pc();
        m.nop().nop().ebreak();
        t.load(m);
        t.hart.pc = M_CODE;
        while (t.hart.pc != afterWfi) {
            t.hart.run(1);
        }
        assertTrue(t.hart.waitingForInterrupt());
        assertEquals(0, t.hart.run(100), "asleep: no work");
        assertEquals(afterWfi, t.hart.pc);
        t.hart.setInterruptLine(Cause.MTI, true); // enabled in mie, but MIE = 0: wakes the hart without a trap
        final TestMachine.TrapInfo trap = t.continueToTrap(100);
        assertEquals(Cause.BREAKPOINT, trap.cause(), trap::toString);
        assertEquals(afterWfi + 8, trap.epc());
    }

    // ---- MRET and SRET ----

    @Test
    void mretRestoresMieFromMpieAndDropsToMpp() {
        final Asm m = new Asm(M_CODE);
        m.csrwi64(Csr.MTVEC, M_TRAP).csrwi64(Csr.MEPC, GUEST_CODE)
                .csrwi64(Csr.MSTATUS, MStatus.MPIE | MStatus.MPRV | (long) Priv.S << MStatus.MPP_SHIFT).mret();
        t.load(m, new Asm(GUEST_CODE).ebreak());
        t.hart.pc = M_CODE;
        while (t.hart.priv() == Priv.M) {
            t.hart.run(1);
        }
        assertEquals(Priv.S, t.hart.priv());
        assertEquals(GUEST_CODE, t.hart.pc);
        final long ms = mstatus();
        assertEquals(MStatus.MIE | MStatus.MPIE, ms & (MStatus.MIE | MStatus.MPIE), "MIE = old MPIE, MPIE = 1");
        assertEquals(0, ms & MStatus.MPP, "MPP = U after mret");
        assertEquals(0, ms & MStatus.MPRV, "MPRV cleared when returning below M");
    }

    @Test
    void mretToMachineModeKeepsMprv() {
        final Asm m = new Asm(M_CODE);
        m.csrwi64(Csr.MTVEC, M_TRAP).csrwi64(Csr.MEPC, GUEST_CODE)
                .csrwi64(Csr.MSTATUS, MStatus.MPRV | (long) Priv.M << MStatus.MPP_SHIFT).mret();
        t.load(m, new Asm(GUEST_CODE).ebreak());
        final TestMachine.TrapInfo trap = t.runToTrap(M_CODE, 100);
        assertEquals(Cause.BREAKPOINT, trap.cause());
        assertEquals(GUEST_CODE, trap.epc());
        assertEquals(MStatus.MPRV, mstatus() & MStatus.MPRV);
        assertEquals(0, mstatus() & MStatus.MIE, "MPIE was 0");
    }

    @Test
    void sretRestoresSieFromSpieAndDropsToSpp() {
        final Asm g = new Asm(GUEST_CODE);
        g.li(Asm.T1, GUEST_CODE + 0x100).csrw(Csr.SEPC, Asm.T1).sret();
        final Asm user = new Asm(GUEST_CODE + 0x100).ebreak();
        t.load(TestMachine.enter(Priv.S, GUEST_CODE, MStatus.SPIE), g, user);
        t.hart.pc = M_CODE;
        final TestMachine.TrapInfo trap = t.continueToTrap(100);
        assertEquals(Cause.BREAKPOINT, trap.cause(), trap::toString);
        assertEquals(GUEST_CODE + 0x100, trap.epc());
        assertEquals(Priv.U, (int) (mstatus() >>> MStatus.MPP_SHIFT) & 3, "the ebreak ran in U mode");
        assertEquals(MStatus.SIE | MStatus.SPIE, mstatus() & (MStatus.SIE | MStatus.SPIE | MStatus.SPP));
    }

    @Test
    void sretWithSppReturnsToSupervisor() {
        final Asm g = new Asm(GUEST_CODE);
        g.li(Asm.T1, GUEST_CODE + 0x100).csrw(Csr.SEPC, Asm.T1).sret();
        t.load(TestMachine.enter(Priv.S, GUEST_CODE, MStatus.SPP), g, new Asm(GUEST_CODE + 0x100).ebreak());
        final TestMachine.TrapInfo trap = t.runToTrap(M_CODE, 100);
        assertEquals(Cause.BREAKPOINT, trap.cause(), trap::toString);
        assertEquals(Priv.S, (int) (mstatus() >>> MStatus.MPP_SHIFT) & 3);
        assertEquals(0, mstatus() & MStatus.SPP, "SPP = U after sret");
    }

    @Test
    void sretIsIllegalInUserModeAndWithTsr() {
        TestMachine.TrapInfo trap = in(Priv.U, 0, g -> g.sret());
        assertEquals(Cause.ILLEGAL_INSTRUCTION, trap.cause(), trap::toString);
        assertEquals(0x1020_0073L, trap.tval());
        final TestMachine other = new TestMachine();
        other.load(TestMachine.enter(Priv.S, GUEST_CODE, MStatus.TSR), new Asm(GUEST_CODE).sret());
        trap = other.runToTrap(M_CODE, 100);
        assertEquals(Cause.ILLEGAL_INSTRUCTION, trap.cause(), trap::toString);
    }

    @Test
    void mretIsIllegalBelowMachineMode() {
        TestMachine.TrapInfo trap = in(Priv.S, 0, g -> g.mret());
        assertEquals(Cause.ILLEGAL_INSTRUCTION, trap.cause(), trap::toString);
        assertEquals(0x3020_0073L, trap.tval());
        final TestMachine other = new TestMachine();
        other.load(TestMachine.enter(Priv.U, GUEST_CODE, 0), new Asm(GUEST_CODE).mret());
        trap = other.runToTrap(M_CODE, 100);
        assertEquals(Cause.ILLEGAL_INSTRUCTION, trap.cause(), trap::toString);
    }

    // ---- a trap with nowhere to go ----

    @Test
    void exceptionWithMtvecPointingAtNoMemoryStopsTheHart() {
        final Asm m = new Asm(M_CODE);
        m.csrw(Csr.MTVEC, Asm.ZERO).nop();
        final long at = m.pc();
        m.word32(0x8000_0033); // illegal
        t.load(m);
        t.hart.pc = M_CODE;
        for (int k = 0; k < 10 && t.hart.fatal() == null; k++) {
            t.hart.run(1);
        }
        final Hart.FatalTrap fatal = t.hart.fatal();
        assertNotNull(fatal, "the hart stops");
        assertEquals(Cause.ILLEGAL_INSTRUCTION, fatal.cause());
        assertEquals(0x8000_0033L, fatal.tval());
        assertEquals(at, fatal.pc());
        assertEquals(Priv.M, fatal.priv());
        assertEquals(0, t.hart.run(100), "a stopped hart runs nothing");
        final String text = fatal.describe();
        assertTrue(text.contains("illegal instruction") && text.contains(String.format("0x%016x", at))
                && text.contains("cause 2") && text.contains("tval 0x80000033"), text);
    }

    @Test
    void fatalTrapRecordsTheModeItCameFrom() {
        final TestMachine.TrapInfo trap = in(Priv.U, 0, g -> g.li(Asm.A0, 0x1000).ld(Asm.A1, Asm.A0, 0),
                Csr.MTVEC, 0x1000);
        assertEquals(Cause.LOAD_ACCESS, trap.cause(), trap::toString);
        final Hart.FatalTrap fatal = t.hart.fatal();
        assertNotNull(fatal);
        assertEquals(Priv.U, fatal.priv());
        assertEquals(0x1000, fatal.tval());
        assertEquals(GUEST_CODE + 4, fatal.pc());
    }

    @Test
    void delegatedTrapDoesNotNeedMtvec() {
        final TestMachine.TrapInfo trap = in(Priv.U, 0, g -> g.ecall(), Csr.MTVEC, 0, Csr.MEDELEG, 1L << Cause.ECALL_U);
        assertEquals(Priv.S, trap.priv(), trap::toString);
        assertNull(t.hart.fatal());
    }
}
