package io.sublet.cpu;

import static io.sublet.cpu.TestMachine.GUEST_CODE;
import static io.sublet.cpu.TestMachine.M_CODE;
import static io.sublet.cpu.TestMachine.M_TRAP;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * CSR state, WARL legalisation and access rules (privileged spec chapters "Control and Status Registers",
 * "Machine-Level ISA" and "Supervisor-Level ISA"), exercised with Zicsr instructions on a running hart.
 */
class CsrsTest {
    /** SIE MIE SPIE MPIE SPP MPP FS MPRV SUM MXR TVM TW TSR, plus UXL = SXL = 2, and SD as FS is Dirty. */
    private static final long MSTATUS_ALL_WRITABLE = 0x8000_000a_007e_79aaL;
    /** SIE SPIE SPP FS SUM MXR, plus UXL = 2 and SD. */
    private static final long SSTATUS_VIEW_OF_ALL = 0x8000_0002_000c_6122L;
    /** RV64 (MXL = 2) with A, C, D, F, I, M, S and U. */
    private static final long MISA_RV64ACDFIMSU = 0x8000_0000_0014_112dL;

    private TestMachine t = new TestMachine();

    /** Runs {@code body} then ebreak in M mode; fails unless the ebreak is the first trap. */
    private void m(Consumer<Asm> body) {
        final Asm a = new Asm(M_CODE);
        a.csrwi64(Csr.MTVEC, M_TRAP);
        body.accept(a);
        a.ebreak();
        t.load(a);
        final TestMachine.TrapInfo trap = t.runToTrap(M_CODE, 10_000);
        assertEquals(Cause.BREAKPOINT, trap.cause(), () -> "expected to reach ebreak, got " + trap);
    }

    /** Runs {@code body} in M mode and returns its first trap (which should not be the final ebreak). */
    private TestMachine.TrapInfo mTrap(Consumer<Asm> body) {
        final Asm a = new Asm(M_CODE);
        a.csrwi64(Csr.MTVEC, M_TRAP);
        body.accept(a);
        a.ebreak();
        t.load(a);
        return t.runToTrap(M_CODE, 10_000);
    }

    /** Enters {@code priv} with the given CSR values, runs {@code body} then ebreak; returns the first trap. */
    private TestMachine.TrapInfo in(int priv, long mstatus, Consumer<Asm> body, long... csrValuePairs) {
        final Asm g = new Asm(GUEST_CODE);
        body.accept(g);
        g.ebreak();
        t.load(TestMachine.enter(priv, GUEST_CODE, mstatus, csrValuePairs), g);
        return t.runToTrap(M_CODE, 10_000);
    }

    private long x(int reg) {
        return t.hart.x[reg];
    }

    // ---- mstatus and sstatus ----

    @Test
    void mstatusMppOfTwoKeepsTheOldValue() {
        m(a -> a.li(Asm.T1, 1L << MStatus.MPP_SHIFT).csrw(Csr.MSTATUS, Asm.T1)
                .li(Asm.T1, 2L << MStatus.MPP_SHIFT).csrw(Csr.MSTATUS, Asm.T1).csrr(Asm.A1, Csr.MSTATUS)
                .li(Asm.T1, 3L << MStatus.MPP_SHIFT).csrw(Csr.MSTATUS, Asm.T1).csrr(Asm.A2, Csr.MSTATUS));
        assertEquals(1, (x(Asm.A1) >>> MStatus.MPP_SHIFT) & 3, "MPP=2 (reserved) is not taken");
        assertEquals(3, (x(Asm.A2) >>> MStatus.MPP_SHIFT) & 3);
    }

    @Test
    void uxlAndSxlAlwaysReadTwo() {
        m(a -> a.csrr(Asm.A1, Csr.MSTATUS).csrw(Csr.MSTATUS, Asm.ZERO).csrr(Asm.A2, Csr.MSTATUS)
                .li(Asm.T1, -1).csrw(Csr.MSTATUS, Asm.T1).csrr(Asm.A3, Csr.MSTATUS).csrr(Asm.A4, Csr.SSTATUS));
        for (int r : new int[] {Asm.A1, Asm.A2, Asm.A3}) {
            assertEquals(2, (x(r) >>> 32) & 3, "UXL");
            assertEquals(2, (x(r) >>> 34) & 3, "SXL");
        }
        assertEquals(2, (x(Asm.A4) >>> 32) & 3, "UXL through sstatus");
    }

    @Test
    void mstatusWritableFields() {
        m(a -> a.li(Asm.T1, -1).csrw(Csr.MSTATUS, Asm.T1).csrr(Asm.A1, Csr.MSTATUS)
                .csrw(Csr.MSTATUS, Asm.ZERO).csrr(Asm.A2, Csr.MSTATUS));
        assertEquals(MSTATUS_ALL_WRITABLE, x(Asm.A1));
        assertEquals(0xa_0000_0000L, x(Asm.A2));
    }

    @Test
    void sstatusIsAViewOfMstatus() {
        m(a -> a.li(Asm.T1, -1).csrw(Csr.MSTATUS, Asm.T1).csrr(Asm.A1, Csr.SSTATUS));
        assertEquals(SSTATUS_VIEW_OF_ALL, x(Asm.A1), "no MIE, MPIE, MPP, MPRV, TVM, TW, TSR or SXL in sstatus");
    }

    @Test
    void sstatusWritesOnlyItsOwnFields() {
        m(a -> a.li(Asm.T1, -1).csrw(Csr.SSTATUS, Asm.T1).csrr(Asm.A1, Csr.MSTATUS)
                .li(Asm.T1, -1).csrw(Csr.MSTATUS, Asm.T1).csrw(Csr.SSTATUS, Asm.ZERO).csrr(Asm.A2, Csr.MSTATUS));
        assertEquals(0xa_0000_0000L | MStatus.SIE | MStatus.SPIE | MStatus.SPP | MStatus.FS | MStatus.SD | MStatus.SUM
                | MStatus.MXR, x(Asm.A1));
        assertEquals(0xa_0000_0000L | MStatus.MIE | MStatus.MPIE | MStatus.MPP | MStatus.MPRV | MStatus.TVM
                | MStatus.TW | MStatus.TSR, x(Asm.A2));
    }

    // ---- identification ----

    @Test
    void misaIsRv64AcdfimsuAndReadOnly() {
        m(a -> a.csrr(Asm.A1, Csr.MISA).csrw(Csr.MISA, Asm.ZERO).csrr(Asm.A2, Csr.MISA));
        assertEquals(MISA_RV64ACDFIMSU, x(Asm.A1));
        assertEquals(MISA_RV64ACDFIMSU, x(Asm.A2), "writes are ignored (no trap)");
    }

    @Test
    void identificationRegistersReadZeroAndHartIdIsZero() {
        m(a -> a.li(Asm.A1, -1).li(Asm.A2, -1).li(Asm.A3, -1).li(Asm.A4, -1)
                .csrr(Asm.A1, Csr.MVENDORID).csrr(Asm.A2, Csr.MARCHID).csrr(Asm.A3, Csr.MIMPID)
                .csrr(Asm.A4, Csr.MHARTID));
        assertEquals(0, x(Asm.A1) | x(Asm.A2) | x(Asm.A3) | x(Asm.A4));
    }

    @Test
    void writingAReadOnlyCsrIsIllegal() {
        final TestMachine.TrapInfo trap = mTrap(a -> a.li(Asm.T1, 5).csrw(Csr.MVENDORID, Asm.T1));
        assertEquals(Cause.ILLEGAL_INSTRUCTION, trap.cause(), trap::toString);
    }

    /** Spec: the instruction bits in mtval are right-justified and all unused upper bits are cleared. */
    @Test
    void illegalCsrInstructionLeavesItsBitsZeroExtendedInMtval() {
        final TestMachine.TrapInfo trap = in(Priv.U, 0, a -> a.csrr(Asm.A0, Csr.CYCLE));
        assertEquals(Cause.ILLEGAL_INSTRUCTION, trap.cause(), trap::toString);
        assertEquals(0xc000_2573L, trap.tval());
    }

    @Test
    void illegalCsrInstructionWithBit31ClearHasItsBitsInMtval() {
        final TestMachine.TrapInfo trap = in(Priv.S, 0, a -> a.csrr(Asm.A0, Csr.MSTATUS));
        assertEquals(Cause.ILLEGAL_INSTRUCTION, trap.cause(), trap::toString);
        assertEquals(Asm.csrWord(Csr.MSTATUS, 0, 2, Asm.A0) & 0xffff_ffffL, trap.tval());
    }

    // ---- delegation and interrupt enables ----

    @Test
    void medelegAndMidelegWritableMasks() {
        m(a -> a.li(Asm.T1, -1).csrw(Csr.MEDELEG, Asm.T1).csrw(Csr.MIDELEG, Asm.T1).csrw(Csr.MIE, Asm.T1)
                .csrr(Asm.A1, Csr.MEDELEG).csrr(Asm.A2, Csr.MIDELEG).csrr(Asm.A3, Csr.MIE));
        assertEquals(0xb3ffL, x(Asm.A1), "exceptions 0-9, 12, 13, 15; never ecall from M (11)");
        assertEquals(0x222L, x(Asm.A2), "SSI, STI, SEI");
        assertEquals(0xaaaL, x(Asm.A3), "mie: the six standard interrupts");
    }

    @Test
    void sieIsMieMaskedByMideleg() {
        m(a -> a.li(Asm.T1, -1).csrw(Csr.MIE, Asm.T1).li(Asm.T1, 1L << Cause.STI).csrw(Csr.MIDELEG, Asm.T1)
                .csrr(Asm.A1, Csr.SIE)
                .csrw(Csr.SIE, Asm.ZERO).csrr(Asm.A2, Csr.MIE)
                .li(Asm.T1, -1).csrw(Csr.SIE, Asm.T1).csrr(Asm.A3, Csr.MIE));
        assertEquals(1L << Cause.STI, x(Asm.A1));
        assertEquals(0xaaaL & ~(1L << Cause.STI), x(Asm.A2), "writing sie touches only delegated bits");
        assertEquals(0xaaaL, x(Asm.A3));
    }

    @Test
    void mipSoftwareWritesOnlySupervisorBits() {
        m(a -> a.li(Asm.T1, -1).csrw(Csr.MIP, Asm.T1).csrr(Asm.A1, Csr.MIP));
        assertEquals(0x222L, x(Asm.A1), "MSIP, MTIP and MEIP belong to devices");
    }

    @Test
    void mipShowsDeviceLines() {
        t.hart.setInterruptLine(Cause.MTI, true);
        t.hart.setInterruptLine(Cause.MEI, true);
        m(a -> a.csrr(Asm.A1, Csr.MIP).csrw(Csr.MIP, Asm.ZERO).csrr(Asm.A2, Csr.MIP));
        assertEquals(1L << Cause.MTI | 1L << Cause.MEI, x(Asm.A1));
        assertEquals(1L << Cause.MTI | 1L << Cause.MEI, x(Asm.A2), "software cannot clear a device line");
        t.hart.setInterruptLine(Cause.MTI, false);
        assertEquals(1L << Cause.MEI, t.hart.csrs().mip());
    }

    @Test
    void sipIsMipMaskedByMidelegAndOnlySsipIsWritable() {
        m(a -> a.li(Asm.T1, 0x222).csrw(Csr.MIP, Asm.T1)
                .csrr(Asm.A1, Csr.SIP)
                .li(Asm.T1, 0x222).csrw(Csr.MIDELEG, Asm.T1).csrr(Asm.A2, Csr.SIP)
                .csrw(Csr.SIP, Asm.ZERO).csrr(Asm.A3, Csr.MIP)
                .csrw(Csr.MIDELEG, Asm.ZERO).li(Asm.T1, 0x2).csrw(Csr.SIP, Asm.T1).csrr(Asm.A4, Csr.MIP));
        assertEquals(0, x(Asm.A1), "nothing delegated: sip reads zero");
        assertEquals(0x222L, x(Asm.A2));
        assertEquals(0x220L, x(Asm.A3), "sip clears SSIP only");
        assertEquals(0x220L, x(Asm.A4), "SSIP not delegated: the sip write is ignored");
    }

    // ---- counters ----

    @ParameterizedTest(name = "{0} counter {1}: mcounteren={2} scounteren={3} -> legal={4}")
    @CsvSource({
        "S, 0xc00, 0, 0, false", "S, 0xc00, 1, 0, true", "S, 0xc01, 1, 0, false", "S, 0xc01, 2, 0, true",
        "S, 0xc02, 3, 7, false", "S, 0xc02, 4, 0, true", "S, 0xc03, 7, 0, false", "S, 0xc03, 8, 0, true",
        "U, 0xc00, 1, 0, false", "U, 0xc00, 0, 1, false", "U, 0xc00, 1, 1, true", "U, 0xc02, 4, 4, true",
        "U, 0xc01, 2, 5, false", "U, 0xc01, 7, 2, true",
    })
    void counterAccessIsGatedByMcounterenAndScounteren(String mode, String csr, int mcounteren, int scounteren,
            boolean legal) {
        final int priv = mode.equals("S") ? Priv.S : Priv.U;
        final int number = Integer.decode(csr);
        final TestMachine.TrapInfo trap = in(priv, 0, a -> a.csrr(Asm.A1, number),
                Csr.MCOUNTEREN, mcounteren, Csr.SCOUNTEREN, scounteren);
        assertEquals(legal ? Cause.BREAKPOINT : Cause.ILLEGAL_INSTRUCTION, trap.cause(), trap::toString);
    }

    @ParameterizedTest
    @ValueSource(ints = {Csr.CYCLE, Csr.TIME, Csr.INSTRET, Csr.HPMCOUNTER3, Csr.HPMCOUNTER31})
    void machineModeReadsCountersWhateverTheEnables(int csr) {
        m(a -> a.csrr(Asm.A1, csr));
    }

    @ParameterizedTest
    @ValueSource(ints = {Csr.CYCLE, Csr.INSTRET})
    void userCountersAreReadOnly(int csr) {
        final TestMachine.TrapInfo trap = mTrap(a -> a.csrw(csr, Asm.ZERO));
        assertEquals(Cause.ILLEGAL_INSTRUCTION, trap.cause(), trap::toString);
    }

    @Test
    void minstretWriteThenReadReturnsTheWrittenValue() {
        m(a -> a.li(Asm.T1, 1000).csrw(Csr.MINSTRET, Asm.T1).csrr(Asm.A1, Csr.MINSTRET)
                .li(Asm.T1, 5000).csrw(Csr.MINSTRET, Asm.T1).nop().nop().csrr(Asm.A2, Csr.MINSTRET));
        assertEquals(1000, x(Asm.A1), "the write replaces the increment of the writing instruction");
        assertEquals(5002, x(Asm.A2), "two nops retired since the write");
    }

    @Test
    void mcycleWriteThenReadReturnsTheWrittenValue() {
        m(a -> a.li(Asm.T1, 77).csrw(Csr.MCYCLE, Asm.T1).csrr(Asm.A1, Csr.MCYCLE));
        assertEquals(77, x(Asm.A1));
    }

    @Test
    void instretCountsRetiredInstructions() {
        m(a -> a.csrr(Asm.A1, Csr.INSTRET).nop().nop().nop().csrr(Asm.A2, Csr.INSTRET));
        assertEquals(4, x(Asm.A2) - x(Asm.A1), "csrr, three nops");
    }

    @Test
    void mcountinhibitStopsMinstret() {
        m(a -> a.li(Asm.T1, 4).csrw(Csr.MCOUNTINHIBIT, Asm.T1).csrr(Asm.A1, Csr.MINSTRET).nop().nop()
                .csrr(Asm.A2, Csr.MINSTRET).csrr(Asm.A3, Csr.MCOUNTINHIBIT));
        assertEquals(x(Asm.A1), x(Asm.A2));
        assertEquals(4, x(Asm.A3));
    }

    @Test
    void hpmCountersAreHardwiredToZero() {
        m(a -> a.li(Asm.T1, 99).csrw(Csr.MHPMCOUNTER3, Asm.T1).csrw(Csr.MHPMEVENT3, Asm.T1)
                .csrr(Asm.A1, Csr.MHPMCOUNTER3).csrr(Asm.A2, Csr.MHPMEVENT3).csrr(Asm.A3, Csr.HPMCOUNTER3));
        assertEquals(0, x(Asm.A1) | x(Asm.A2) | x(Asm.A3));
    }

    // ---- trap vectors and return addresses ----

    @Test
    void tvecKeepsItsModeWhenAReservedModeIsWritten() {
        m(a -> a.li(Asm.T1, 0x8000_3001L).csrw(Csr.MTVEC, Asm.T1).li(Asm.T1, 0x8000_4002L).csrw(Csr.MTVEC, Asm.T1)
                .csrr(Asm.A1, Csr.MTVEC).csrwi64(Csr.MTVEC, M_TRAP)
                .li(Asm.T1, 0x8000_5003L).csrw(Csr.STVEC, Asm.T1).csrr(Asm.A2, Csr.STVEC));
        assertEquals(0x8000_4001L, x(Asm.A1), "base taken, vectored mode kept");
        assertEquals(0x8000_5000L, x(Asm.A2), "base taken, direct mode kept");
    }

    @Test
    void epcBitZeroIsAlwaysClear() {
        m(a -> a.li(Asm.T1, 0x8000_1235L).csrw(Csr.MEPC, Asm.T1).csrw(Csr.SEPC, Asm.T1)
                .csrr(Asm.A1, Csr.MEPC).csrr(Asm.A2, Csr.SEPC));
        assertEquals(0x8000_1234L, x(Asm.A1));
        assertEquals(0x8000_1234L, x(Asm.A2));
    }

    @Test
    void scratchAndCauseRegistersHoldAnyValue() {
        m(a -> a.li(Asm.T1, 0xdead_beef_cafe_f00dL).csrw(Csr.MSCRATCH, Asm.T1).csrw(Csr.SSCRATCH, Asm.T1)
                .csrr(Asm.A1, Csr.MSCRATCH).csrr(Asm.A2, Csr.SSCRATCH));
        assertEquals(0xdead_beef_cafe_f00dL, x(Asm.A1));
        assertEquals(0xdead_beef_cafe_f00dL, x(Asm.A2));
    }

    // ---- satp ----

    @Test
    void satpWithUnsupportedModeIsIgnoredAndBareReadsZero() {
        final long sv39 = 8L << 60 | 5L << 44 | 0x8_0100L;
        m(a -> a.li(Asm.T1, sv39).csrw(Csr.SATP, Asm.T1)
                .li(Asm.T1, 1L << 60 | 0x1234).csrw(Csr.SATP, Asm.T1).csrr(Asm.A1, Csr.SATP)
                .li(Asm.T1, 9L << 60 | 0x8_0200L).csrw(Csr.SATP, Asm.T1).csrr(Asm.A2, Csr.SATP)
                .li(Asm.T1, 10L << 60 | 0x8_0300L).csrw(Csr.SATP, Asm.T1).csrr(Asm.A3, Csr.SATP)
                .csrw(Csr.SATP, Asm.ZERO).csrr(Asm.A4, Csr.SATP));
        assertEquals(sv39, x(Asm.A1), "mode 1 is not supported on RV64: the write has no effect");
        assertEquals(9L << 60 | 0x8_0200L, x(Asm.A2), "Sv48");
        assertEquals(10L << 60 | 0x8_0300L, x(Asm.A3), "Sv57");
        assertEquals(0, x(Asm.A4));
    }

    @Test
    void tvmMakesSatpAndSfenceIllegalInSupervisorMode() {
        TestMachine.TrapInfo trap = in(Priv.S, MStatus.TVM, a -> a.csrr(Asm.A1, Csr.SATP));
        assertEquals(Cause.ILLEGAL_INSTRUCTION, trap.cause(), trap::toString);
        t = new TestMachine();
        trap = in(Priv.S, MStatus.TVM, a -> a.sfenceVma(Asm.ZERO, Asm.ZERO));
        assertEquals(Cause.ILLEGAL_INSTRUCTION, trap.cause(), trap::toString);
        t = new TestMachine();
        trap = in(Priv.S, 0, a -> a.csrr(Asm.A1, Csr.SATP).sfenceVma(Asm.ZERO, Asm.ZERO));
        assertEquals(Cause.BREAKPOINT, trap.cause(), trap::toString);
    }

    @Test
    void sfenceVmaIsIllegalInUserMode() {
        final TestMachine.TrapInfo trap = in(Priv.U, 0, a -> a.sfenceVma(Asm.ZERO, Asm.ZERO));
        assertEquals(Cause.ILLEGAL_INSTRUCTION, trap.cause(), trap::toString);
    }

    // ---- privilege of CSR numbers ----

    @ParameterizedTest(name = "csr 0x{0}")
    @ValueSource(ints = {Csr.MSTATUS, Csr.MEPC, Csr.MIDELEG, Csr.PMPCFG0, Csr.MCYCLE})
    void supervisorCannotAccessMachineCsrs(int csr) {
        final TestMachine.TrapInfo trap = in(Priv.S, 0, a -> a.csrr(Asm.A1, csr));
        assertEquals(Cause.ILLEGAL_INSTRUCTION, trap.cause(), trap::toString);
    }

    @ParameterizedTest(name = "csr 0x{0}")
    @ValueSource(ints = {Csr.SSTATUS, Csr.SEPC, Csr.SATP, Csr.STVEC})
    void userCannotAccessSupervisorCsrs(int csr) {
        final TestMachine.TrapInfo trap = in(Priv.U, 0, a -> a.csrr(Asm.A1, csr));
        assertEquals(Cause.ILLEGAL_INSTRUCTION, trap.cause(), trap::toString);
    }

    @Test
    void supervisorAccessesItsOwnCsrs() {
        final TestMachine.TrapInfo trap = in(Priv.S, 0, a -> a.li(Asm.T1, 0x55).csrw(Csr.SSCRATCH, Asm.T1)
                .csrr(Asm.A1, Csr.SSCRATCH).csrr(Asm.A2, Csr.SSTATUS));
        assertEquals(Cause.BREAKPOINT, trap.cause(), trap::toString);
        assertEquals(0x55, x(Asm.A1));
    }

    @ParameterizedTest(name = "csr 0x{0}")
    @ValueSource(ints = {0x7c0, 0x5c0, 0x180 + 1, 0x3a1, 0x015, 0x800})
    void unimplementedCsrIsIllegal(int csr) {
        final TestMachine.TrapInfo trap = mTrap(a -> a.csrr(Asm.A1, csr));
        assertEquals(Cause.ILLEGAL_INSTRUCTION, trap.cause(), trap::toString);
    }

    @Test
    void csrrsWithZeroDoesNotWriteSoReadOnlyCsrsCanBeRead() {
        m(a -> a.csrr(Asm.A1, Csr.CYCLE).csrrsi(Asm.A2, Csr.MHARTID, 0));
    }
}
