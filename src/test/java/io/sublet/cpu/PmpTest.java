package io.sublet.cpu;

import static io.sublet.cpu.Pmp.R;
import static io.sublet.cpu.Pmp.W;
import static io.sublet.cpu.Pmp.X;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Physical memory protection (privileged spec, "Physical Memory Protection"): address matching, priority,
 * partial matches, M-mode rules, locking, WARL legalisation, and the page-uniformity answer the MMU relies on
 * before caching a page. The last tests drive the hart to check that the MMU consults PMP on every path.
 */
class PmpTest {
    private static final int OFF = 0;
    private static final int TOR = 1 << Pmp.A_SHIFT;
    private static final int NA4 = 2 << Pmp.A_SHIFT;
    private static final int NAPOT = 3 << Pmp.A_SHIFT;
    private static final int L = Pmp.L;
    private static final int RWX = R | W | X;

    private final Pmp pmp = new Pmp();

    /** Sets the configuration byte of one entry, leaving the other entries of its register as they are. */
    private void cfg(int entry, int value) {
        final int reg = entry / 8 * 2;
        final int shift = 8 * (entry % 8);
        final long old = pmp.readCfg(reg);
        pmp.writeCfg(reg, (old & ~(0xffL << shift)) | ((long) value & 0xff) << shift);
    }

    private int cfgOf(int entry) {
        return (int) (pmp.readCfg(entry / 8 * 2) >>> (8 * (entry % 8))) & 0xff;
    }

    private static long napot(long base, long size) {
        return base >>> 2 | (size / 8 - 1);
    }

    private boolean s(long addr, int size, int perm) {
        return pmp.allows(addr, size, perm, Priv.S);
    }

    // ---- matching modes ----

    @Test
    void offEntryMatchesNothing() {
        pmp.writeAddr(0, 0x2000 >>> 2);
        cfg(0, TOR | RWX);
        pmp.writeAddr(1, napot(0x8000_0000L, 0x1000));
        cfg(1, OFF | RWX);
        assertFalse(s(0x8000_0000L, 4, R), "an OFF entry grants nothing even with R/W/X set");
        assertTrue(s(0x1000, 4, R));
    }

    @Test
    void torCoversFromThePreviousAddressUpToThisOne() {
        pmp.writeAddr(0, 0x1000 >>> 2);
        pmp.writeAddr(1, 0x3000 >>> 2);
        cfg(1, TOR | R);
        assertFalse(s(0x0ffc, 4, R), "below the range");
        assertTrue(s(0x1000, 4, R), "first word");
        assertTrue(s(0x2ff8, 8, R), "last doubleword");
        assertFalse(s(0x3000, 4, R), "the top is exclusive");
        assertFalse(s(0x2000, 4, W), "W not granted");
    }

    @Test
    void torInEntryZeroStartsAtAddressZero() {
        pmp.writeAddr(0, 0x1000 >>> 2);
        cfg(0, TOR | R);
        assertTrue(s(0, 8, R));
        assertTrue(s(0xff8, 8, R));
        assertFalse(s(0x1000, 1, R));
    }

    @Test
    void torWithTopBelowBottomMatchesNothing() {
        pmp.writeAddr(0, 0x3000 >>> 2);
        pmp.writeAddr(1, 0x1000 >>> 2);
        cfg(1, TOR | RWX);
        pmp.writeAddr(2, 0x4000 >>> 2);
        cfg(2, TOR | R); // [0x1000, 0x4000)
        assertTrue(s(0x2000, 4, R));
        assertFalse(s(0x2000, 4, W), "entry 1 is empty, so entry 2 decides");
    }

    @Test
    void na4CoversExactlyFourBytes() {
        pmp.writeAddr(3, 0x8000_0010L >>> 2);
        cfg(3, NA4 | W | R);
        assertTrue(s(0x8000_0010L, 4, W));
        assertTrue(s(0x8000_0013L, 1, W));
        assertFalse(s(0x8000_000cL, 4, W));
        assertFalse(s(0x8000_0014L, 1, W));
    }

    @ParameterizedTest(name = "size 0x{0}")
    @ValueSource(longs = {8, 16, 0x1000, 0x20_0000, 0x8000_0000L, 1L << 40})
    void napotDecodesBaseAndSize(long size) {
        final long base = 0x1_0000_0000_00L & -size; // aligned to its size
        pmp.writeAddr(5, napot(base, size));
        cfg(5, NAPOT | X);
        assertTrue(s(base, 2, X), "first bytes");
        assertTrue(s(base + size - 2, 2, X), "last bytes");
        assertFalse(s(base - 2, 2, X), "just below");
        assertFalse(s(base + size, 2, X), "just above");
        if (size >= 16) {
            assertTrue(s(base + size / 2, 4, X), "middle");
        }
    }

    @Test
    void napotWithAllOnesCoversTheWholeAddressSpace() {
        pmp.writeAddr(0, -1L);
        cfg(0, NAPOT | R);
        assertTrue(s(0, 8, R));
        assertTrue(s((1L << 56) - 8, 8, R));
        assertTrue(s(0x8000_0000L, 8, R));
    }

    // ---- priority and partial matches ----

    @Test
    void lowestNumberedMatchingEntryDecides() {
        pmp.writeAddr(0, napot(0x8000_0000L, 0x1000));
        cfg(0, NAPOT | R);
        pmp.writeAddr(1, napot(0x8000_0000L, 0x10_0000));
        cfg(1, NAPOT | RWX);
        assertFalse(s(0x8000_0100L, 4, W), "entry 0 matches first and denies W");
        assertTrue(s(0x8000_0100L, 4, R));
        assertTrue(s(0x8000_1000L, 4, W), "outside entry 0, entry 1 grants W");
    }

    @Test
    void higherEntryCannotOverrideADenialFromALowerOne() {
        pmp.writeAddr(1, napot(0x8000_0000L, 0x1000));
        cfg(1, NAPOT); // no permissions
        pmp.writeAddr(2, napot(0x8000_0000L, 0x2000));
        cfg(2, NAPOT | RWX);
        assertFalse(s(0x8000_0000L, 4, R));
    }

    @Test
    void accessThatMatchesOnlyPartOfAnEntryFails() {
        pmp.writeAddr(0, napot(0x8000_0000L, 0x1000));
        cfg(0, NAPOT | RWX);
        pmp.writeAddr(1, napot(0x8000_0000L, 0x10_0000));
        cfg(1, NAPOT | RWX);
        assertFalse(s(0x8000_0ffcL, 8, R), "4 bytes in entry 0, 4 bytes outside: fails even though entry 1 covers all");
        assertFalse(pmp.allows(0x8000_0ffcL, 8, R, Priv.M), "irrespective of the privilege");
    }

    @Test
    void unmatchedAccessFailsBelowMachineMode() {
        pmp.writeAddr(0, napot(0x8000_0000L, 0x1000));
        cfg(0, NAPOT | RWX);
        assertFalse(s(0x9000_0000L, 4, R));
        assertFalse(pmp.allows(0x9000_0000L, 4, R, Priv.U));
        assertTrue(pmp.allows(0x9000_0000L, 4, R, Priv.M), "M mode succeeds when nothing matches");
    }

    @Test
    void allEntriesOffDeniesSupervisorAndUser() {
        pmp.writeAddr(0, napot(0x8000_0000L, 0x1000));
        cfg(0, NAPOT | RWX);
        cfg(0, OFF);
        assertFalse(s(0x8000_0000L, 4, R));
        assertFalse(pmp.allows(0x8000_0000L, 4, R, Priv.U));
        assertTrue(pmp.allows(0x8000_0000L, 4, R, Priv.M));
    }

    // ---- machine mode and locking ----

    @Test
    void machineModeIgnoresUnlockedEntries() {
        pmp.writeAddr(0, napot(0x8000_0000L, 0x1000));
        cfg(0, NAPOT); // nothing granted
        assertTrue(pmp.allows(0x8000_0000L, 8, W, Priv.M));
        assertFalse(s(0x8000_0000L, 8, W));
    }

    @Test
    void lockedEntryRestrictsMachineModeToo() {
        pmp.writeAddr(0, napot(0x8000_0000L, 0x1000));
        cfg(0, NAPOT | L | R | X);
        assertTrue(pmp.allows(0x8000_0000L, 8, R, Priv.M));
        assertFalse(pmp.allows(0x8000_0000L, 8, W, Priv.M));
        assertTrue(pmp.allows(0x8000_1000L, 8, W, Priv.M), "outside the entry M is unrestricted");
    }

    @Test
    void lockedEntryIgnoresLaterWritesToCfgAndAddr() {
        final long addr = napot(0x8000_0000L, 0x1000);
        pmp.writeAddr(2, addr);
        cfg(2, NAPOT | L | R);
        cfg(2, NAPOT | RWX);
        cfg(2, OFF);
        pmp.writeAddr(2, napot(0x9000_0000L, 0x1000));
        assertEquals(NAPOT | L | R, cfgOf(2));
        assertEquals(addr, pmp.readAddr(2));
        assertFalse(pmp.allows(0x8000_0000L, 4, W, Priv.M));
    }

    @Test
    void lockingOneEntryLeavesItsNeighboursInTheSameRegisterWritable() {
        cfg(0, NAPOT | L | R);
        pmp.writeCfg(0, -1L); // every entry of pmpcfg0 to 0xff
        assertEquals(NAPOT | L | R, cfgOf(0));
        assertEquals(0x9f, cfgOf(1), "bits 6:5 are reserved and read as zero");
        assertEquals(0x9f, cfgOf(7));
    }

    @Test
    void lockedTorEntryAlsoLocksThePreviousAddress() {
        pmp.writeAddr(3, 0x1000 >>> 2);
        pmp.writeAddr(4, 0x2000 >>> 2);
        cfg(4, TOR | L | R);
        pmp.writeAddr(3, 0x1800 >>> 2);
        assertEquals(0x1000 >>> 2, pmp.readAddr(3), "pmpaddr3 is the bottom of locked TOR entry 4");
        assertTrue(pmp.allows(0x1000, 4, R, Priv.M));
    }

    @Test
    void lockedNapotEntryDoesNotLockThePreviousAddress() {
        pmp.writeAddr(4, napot(0x8000_0000L, 0x1000));
        cfg(4, NAPOT | L | R);
        pmp.writeAddr(3, 0x1800 >>> 2);
        assertEquals(0x1800 >>> 2, pmp.readAddr(3));
    }

    // ---- WARL and reading back ----

    @Test
    void writeWithoutReadIsLegalisedToNoWrite() {
        cfg(6, NAPOT | W);
        assertEquals(NAPOT, cfgOf(6), "R=0, W=1 is reserved");
        cfg(6, NAPOT | W | X);
        assertEquals(NAPOT | X, cfgOf(6));
        cfg(6, NAPOT | W | R);
        assertEquals(NAPOT | W | R, cfgOf(6));
    }

    @Test
    void cfgRegistersReadBackAllEightEntries() {
        pmp.writeCfg(0, 0x0f1f_0d0b_0901_1807L);
        assertEquals(0x0f1f_0d0b_0901_1807L, pmp.readCfg(0));
        pmp.writeCfg(2, 0x1918_110f_0d0c_0b09L);
        assertEquals(0x1918_110f_0d0c_0b09L, pmp.readCfg(2));
        assertEquals(0x0f1f_0d0b_0901_1807L, pmp.readCfg(0), "pmpcfg2 holds entries 8-15, not 0-7");
        assertEquals(0x09, cfgOf(8));
        assertEquals(0x19, cfgOf(15));
    }

    @Test
    void addrHoldsBits55To2() {
        pmp.writeAddr(9, -1L);
        assertEquals((1L << 54) - 1, pmp.readAddr(9));
        pmp.writeAddr(9, 0x1234);
        assertEquals(0x1234, pmp.readAddr(9));
    }

    // ---- page uniformity (whether a page may be cached in a TLB) ----

    @Test
    void pageUniformOnlyWhenTheWholePageGetsTheSameAnswer() {
        pmp.writeAddr(0, napot(0x8000_0000L, 0x1000));
        cfg(0, NAPOT | R);
        pmp.writeAddr(1, napot(0x8000_1800L, 0x800));
        cfg(1, NAPOT | R);
        pmp.writeAddr(2, napot(0x8000_0000L, 0x10_0000));
        cfg(2, NAPOT | RWX);
        assertTrue(pmp.pageUniform(0x8000_0000L, R, Priv.S), "entry 0 covers the page exactly");
        assertFalse(pmp.pageUniform(0x8000_0000L, W, Priv.S), "uniformly denied is not 'allowed'");
        assertFalse(pmp.pageUniform(0x8000_1000L, R, Priv.S), "entry 1 covers only half of the page");
        assertTrue(pmp.pageUniform(0x8000_2000L, W, Priv.S));
        assertFalse(pmp.pageUniform(0x8010_0000L, R, Priv.S), "no entry: denied for S");
        assertTrue(pmp.pageUniform(0x8010_0000L, R, Priv.M));
    }

    @Test
    void pageStraddlingAnEntryBoundaryIsNotUniformEvenInMachineMode() {
        pmp.writeAddr(0, napot(0x8000_0000L, 0x800));
        cfg(0, NAPOT | L | RWX);
        assertFalse(pmp.pageUniform(0x8000_0000L, R, Priv.M));
    }

    // ---- through the hart ----

    /** M-mode setup: PMP entries as given, then mret to S at GUEST_CODE with paging off. */
    private static TestMachine.TrapInfo runSupervisor(TestMachine t, Asm guest, long... pmpCsrValues) {
        t.load(TestMachine.enter(Priv.S, TestMachine.GUEST_CODE, 0, pmpCsrValues), guest);
        return t.runToTrap(TestMachine.M_CODE, 10_000);
    }

    @Test
    void supervisorAccessOutsideEveryEntryIsAnAccessFault() {
        final TestMachine t = new TestMachine(false);
        final Asm g = new Asm(TestMachine.GUEST_CODE);
        g.li(Asm.A0, TestMachine.DATA).ld(Asm.A1, Asm.A0, 0).ebreak();
        final TestMachine.TrapInfo trap = runSupervisor(t, g,
                Csr.PMPADDR0, napot(TestMachine.GUEST_CODE, 0x1000), Csr.PMPCFG0, NAPOT | R | X);
        assertEquals(Cause.LOAD_ACCESS, trap.cause(), trap::toString);
        assertEquals(TestMachine.DATA, trap.tval());
    }

    @Test
    void storeDeniedByPmpIsAStoreAccessFault() {
        final TestMachine t = new TestMachine(false);
        final Asm g = new Asm(TestMachine.GUEST_CODE);
        g.li(Asm.A0, TestMachine.DATA + 8).sd(Asm.A0, Asm.A0, 0).ebreak();
        final TestMachine.TrapInfo trap = runSupervisor(t, g,
                Csr.PMPADDR0, napot(TestMachine.RAM_BASE, TestMachine.RAM_SIZE), Csr.PMPCFG0, NAPOT | R | X);
        assertEquals(Cause.STORE_ACCESS, trap.cause(), trap::toString);
        assertEquals(TestMachine.DATA + 8, trap.tval());
        assertEquals(0, t.read64(TestMachine.DATA + 8));
    }

    @Test
    void fetchFromNonExecutableRegionIsAFetchAccessFault() {
        final TestMachine t = new TestMachine(false);
        final Asm g = new Asm(TestMachine.GUEST_CODE).nop().ebreak();
        final TestMachine.TrapInfo trap = runSupervisor(t, g,
                Csr.PMPADDR0, napot(TestMachine.RAM_BASE, TestMachine.RAM_SIZE), Csr.PMPCFG0, NAPOT | R | W);
        assertEquals(Cause.FETCH_ACCESS, trap.cause(), trap::toString);
        assertEquals(TestMachine.GUEST_CODE, trap.tval());
    }

    /**
     * The first load of a page that PMP does not cover uniformly must not leave behind a TLB entry that lets
     * a later access to the denied part of the same page through.
     */
    @Test
    void allowedAccessDoesNotOpenTheRestOfAPartlyCoveredPage() {
        final TestMachine t = new TestMachine(false);
        final long data = TestMachine.DATA;
        final Asm g = new Asm(TestMachine.GUEST_CODE);
        g.li(Asm.A0, data).ld(Asm.A1, Asm.A0, 0x7f8).li(Asm.A0, data + 0x800).ld(Asm.A2, Asm.A0, 0).ebreak();
        final TestMachine.TrapInfo trap = runSupervisor(t, g,
                Csr.PMPADDR0, napot(data, 0x800), Csr.PMPADDR0 + 1, napot(TestMachine.GUEST_CODE, 0x1000),
                Csr.PMPCFG0, (NAPOT | R) | (long) (NAPOT | X) << 8);
        assertEquals(Cause.LOAD_ACCESS, trap.cause(), trap::toString);
        assertEquals(data + 0x800, trap.tval());
    }

    @Test
    void pmpWriteTakesEffectOnAPageAlreadyCachedInTheTlb() {
        final TestMachine t = new TestMachine(false);
        final long data = TestMachine.DATA;
        // M mode: a store through an unlocked entry fills the store TLB; then the entry is locked read-only.
        final Asm m = new Asm(TestMachine.M_CODE);
        m.csrwi64(Csr.MTVEC, TestMachine.M_TRAP);
        m.csrwi64(Csr.PMPADDR0, napot(data, 0x1000));
        m.csrwi64(Csr.PMPCFG0, NAPOT | RWX); // unlocked: M unrestricted
        m.li(Asm.A0, data).sd(Asm.A0, Asm.A0, 0); // fills the store TLB for DATA
        m.csrwi64(Csr.PMPCFG0, NAPOT | L | R); // now M may not write it
        final long faulting = m.pc();
        m.sd(Asm.A0, Asm.A0, 8);
        m.ebreak();
        t.load(m);
        final TestMachine.TrapInfo trap = t.runToTrap(TestMachine.M_CODE, 1000);
        assertEquals(Cause.STORE_ACCESS, trap.cause(), trap::toString);
        assertEquals(faulting, trap.epc());
        assertEquals(0, t.read64(data + 8));
    }

    @Test
    void pageTableWalkIsCheckedByPmp() {
        final TestMachine t = new TestMachine(false);
        final PageTables pt = new PageTables(t, PageTables.SV39).mapCode(false);
        final Asm g = new Asm(TestMachine.GUEST_CODE).nop().ebreak();
        // Code pages readable and executable, page tables not covered: the walk's implicit read must fail.
        t.load(TestMachine.enter(Priv.S, TestMachine.GUEST_CODE, 0, Csr.SATP, pt.satp(),
                Csr.PMPADDR0, napot(TestMachine.RAM_BASE, 0x10_0000), Csr.PMPCFG0, NAPOT | R | X), g);
        final TestMachine.TrapInfo trap = t.runToTrap(TestMachine.M_CODE, 1000);
        assertEquals(Cause.FETCH_ACCESS, trap.cause(), trap::toString);
        assertEquals(TestMachine.GUEST_CODE, trap.tval());
    }

    @Test
    void pageTableWalkPassesWhenPmpCoversTheTables() {
        final TestMachine t = new TestMachine(false);
        final PageTables pt = new PageTables(t, PageTables.SV39).mapCode(false);
        final Asm g = new Asm(TestMachine.GUEST_CODE).nop().ebreak();
        t.load(TestMachine.enter(Priv.S, TestMachine.GUEST_CODE, 0, Csr.SATP, pt.satp(),
                Csr.PMPADDR0, napot(TestMachine.RAM_BASE, 0x20_0000), Csr.PMPCFG0, NAPOT | R | W | X), g);
        final TestMachine.TrapInfo trap = t.runToTrap(TestMachine.M_CODE, 1000);
        assertEquals(Cause.BREAKPOINT, trap.cause(), trap::toString);
    }

    @Test
    void pmpCsrsReadBackThroughTheHart() {
        final TestMachine t = new TestMachine(false);
        final Asm m = new Asm(TestMachine.M_CODE);
        m.csrwi64(Csr.PMPADDR0 + 15, 0x2345).csrwi64(Csr.PMPCFG0 + 2, 0x1f00_0000_0000_0000L | NAPOT | W | R)
                .csrr(Asm.A1, Csr.PMPADDR0 + 15).csrr(Asm.A2, Csr.PMPCFG0 + 2).csrr(Asm.A3, Csr.PMPADDR0 + 16)
                .ebreak();
        t.load(m);
        final TestMachine.TrapInfo trap = t.runToTrap(TestMachine.M_CODE, 1000);
        assertEquals(Cause.BREAKPOINT, trap.cause(), trap::toString);
        assertEquals(0x2345, t.hart.x[Asm.A1]);
        assertEquals(0x1f00_0000_0000_0000L | NAPOT | W | R, t.hart.x[Asm.A2]);
        assertEquals(0, t.hart.x[Asm.A3], "pmpaddr16..63 are not implemented and read as zero");
    }

    @Test
    void oddPmpcfgRegistersDoNotExistOnRv64() {
        final TestMachine t = new TestMachine(false);
        final Asm m = new Asm(TestMachine.M_CODE);
        m.csrwi64(Csr.MTVEC, TestMachine.M_TRAP).csrr(Asm.A1, Csr.PMPCFG0 + 1).ebreak();
        t.load(m);
        final TestMachine.TrapInfo trap = t.runToTrap(TestMachine.M_CODE, 1000);
        assertEquals(Cause.ILLEGAL_INSTRUCTION, trap.cause(), trap::toString);
    }
}
