package io.sublet.cpu;

import static io.sublet.cpu.PageTables.A;
import static io.sublet.cpu.PageTables.D;
import static io.sublet.cpu.PageTables.R;
import static io.sublet.cpu.PageTables.U;
import static io.sublet.cpu.PageTables.V;
import static io.sublet.cpu.PageTables.W;
import static io.sublet.cpu.PageTables.X;
import static io.sublet.cpu.TestMachine.DATA;
import static io.sublet.cpu.TestMachine.GUEST_CODE;
import static io.sublet.cpu.TestMachine.M_CODE;
import static io.sublet.cpu.TestMachine.M_TRAP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Address translation, driven through the hart: page tables are written into RAM as a kernel would,
 * the hart enters S or U mode with mret, runs hand-assembled code, and the first trap tells what
 * happened (ebreak = the guest code completed; anything else = the fault under test). Rules are the
 * privileged spec's "Virtual Address Translation Process" and the Sv39/Sv48/Sv57 sections.
 */
class MmuTest {
    private static final long MAGIC = 0x0123_4567_89ab_cdefL;
    private static final long MAGIC2 = 0x7766_5544_3322_1100L;
    /** Virtual address of the data page in most tests (Sv39: VPN[2]=0, VPN[1]=0x80, VPN[0]=0). */
    private static final long DVA = 0x1000_0000L;
    /** A second virtual page for code or aliases. */
    private static final long XVA = 0x3000_0000L;
    private static final long RW = V | R | W | A | D;

    private TestMachine t;
    private PageTables pt;

    private void setUp(int mode, boolean userCode) {
        t = new TestMachine();
        pt = new PageTables(t, mode).mapCode(userCode);
    }

    private void setUp() {
        setUp(PageTables.SV39, false);
    }

    /** Runs {@code body} (followed by ebreak) in {@code priv} with paging on; returns the first trap. */
    private TestMachine.TrapInfo guest(int priv, long mstatusBits, Consumer<Asm> body) {
        final Asm g = new Asm(GUEST_CODE);
        body.accept(g);
        g.ebreak();
        t.load(TestMachine.enter(priv, GUEST_CODE, mstatusBits, Csr.SATP, pt.satp()), g);
        return t.runToTrap(M_CODE, 10_000);
    }

    private TestMachine.TrapInfo guest(Consumer<Asm> body) {
        return guest(Priv.S, 0, body);
    }

    /** Runs {@code body} (followed by ebreak) in M mode after setting satp and mstatus. */
    private TestMachine.TrapInfo machine(long mstatus, Consumer<Asm> body) {
        final Asm m = new Asm(M_CODE);
        m.csrwi64(Csr.MTVEC, M_TRAP).csrwi64(Csr.SATP, pt.satp()).csrwi64(Csr.MSTATUS, mstatus);
        body.accept(m);
        m.ebreak();
        t.load(m);
        return t.runToTrap(M_CODE, 10_000);
    }

    private static void assertCompleted(TestMachine.TrapInfo trap) {
        assertEquals(Cause.BREAKPOINT, trap.cause(), () -> "the guest should reach its ebreak, got " + trap);
    }

    private static void assertFault(int cause, long tval, TestMachine.TrapInfo trap) {
        assertEquals(cause, trap.cause(), () -> "cause, got " + trap);
        assertEquals(tval, trap.tval(), () -> "tval, got " + trap);
    }

    private static Consumer<Asm> load(long va) {
        return g -> g.li(Asm.A0, va).ld(Asm.A1, Asm.A0, 0);
    }

    private static Consumer<Asm> store(long va) {
        return g -> g.li(Asm.A0, va).li(Asm.A2, MAGIC2).sd(Asm.A2, Asm.A0, 0);
    }

    // ---- encodings ----

    /**
     * PageTables takes its PTE bits and satp modes from the MMU's own constants, so pin them to the values the
     * privileged spec fixes; otherwise a wrong constant would be shared by the code and its tests.
     */
    @Test
    void pteBitsAndSatpModesAreTheArchitecturalOnes() {
        assertEquals(List.of(1L, 2L, 4L, 8L, 16L, 32L, 64L, 128L),
                List.of(PageTables.V, PageTables.R, PageTables.W, PageTables.X, PageTables.U, PageTables.G,
                        PageTables.A, PageTables.D), "V R W X U G A D are PTE bits 0..7");
        assertEquals(List.of(8, 9, 10), List.of(PageTables.SV39, PageTables.SV48, PageTables.SV57),
                "satp.MODE: Sv39 = 8, Sv48 = 9, Sv57 = 10");
    }

    // ---- page sizes, modes ----

    static Stream<Arguments> everyLeafLevel() {
        final List<Arguments> out = new ArrayList<>();
        for (int mode = PageTables.SV39; mode <= PageTables.SV57; mode++) {
            for (int level = 0; level < mode - 5; level++) {
                out.add(Arguments.of(mode, level));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "mode {0}, leaf at level {1}")
    @MethodSource("everyLeafLevel")
    void leafAtEveryLevelTranslatesLoadsAndStores(int mode, int level) {
        setUp(mode, false);
        final long span = 1L << (12 + 9 * level); // 4K, 2M, 1G, 512G, 256T
        final long target = DATA + 0x12_3458;
        final long pa = target & -span;
        final long va = 3 * span + (target & (span - 1));
        pt.map(3 * span, pa, RW, level);
        t.write64(target, MAGIC);
        final TestMachine.TrapInfo trap = guest(g -> g.li(Asm.A0, va).ld(Asm.A1, Asm.A0, 0)
                .li(Asm.A2, MAGIC2).sd(Asm.A2, Asm.A0, 8));
        assertCompleted(trap);
        assertEquals(MAGIC, t.hart.x[Asm.A1], "load through the mapping");
        assertEquals(MAGIC2, t.read64(target + 8), "store through the mapping");
    }

    @ParameterizedTest(name = "mode {0}")
    @ValueSource(ints = {PageTables.SV39, PageTables.SV48, PageTables.SV57})
    void negativeCanonicalAddressesTranslate(int mode) {
        setUp(mode, false);
        final long va = -(1L << (pt.vaBits() - 1)) + 0x5000; // lowest upper-half page, plus 5 pages
        pt.map(va, DATA, RW, 0);
        t.write64(DATA + 0x10, MAGIC);
        assertCompleted(guest(load(va + 0x10)));
        assertEquals(MAGIC, t.hart.x[Asm.A1]);
    }

    static Stream<Arguments> nonCanonical() {
        final List<Arguments> out = new ArrayList<>();
        for (int mode = PageTables.SV39; mode <= PageTables.SV57; mode++) {
            final int bits = 12 + 9 * (mode - 5);
            out.add(Arguments.of(mode, 1L << (bits - 1)));           // top VA bit set, upper bits clear
            out.add(Arguments.of(mode, -1L << bits));                // upper bits set, top VA bit clear
            out.add(Arguments.of(mode, 0x8000_0000_0000_0000L | DVA)); // only bit 63 set
        }
        return out.stream();
    }

    @ParameterizedTest(name = "mode {0}, va 0x{1}")
    @MethodSource("nonCanonical")
    void nonCanonicalAddressIsAPageFault(int mode, long va) {
        final long low = va & ((1L << (12 + 9 * (mode - 5))) - 1);
        setUp(mode, false);
        pt.map(low, DATA, RW, 0); // the address the walk would reach if it ignored the upper bits
        assertFault(Cause.LOAD_PAGE_FAULT, va, guest(load(va)));
        setUp(mode, false);
        pt.map(low, DATA, RW, 0);
        assertFault(Cause.STORE_PAGE_FAULT, va, guest(store(va)));
    }

    @Test
    void sv39AddressAboveBit38IsNonCanonicalEvenThoughSv48WouldTranslateIt() {
        setUp(PageTables.SV48, false);
        pt.map(1L << 38, DATA, RW, 0);
        assertCompleted(guest(load(1L << 38)));
        setUp(PageTables.SV39, false);
        assertFault(Cause.LOAD_PAGE_FAULT, 1L << 38, guest(load(1L << 38)));
    }

    @ParameterizedTest(name = "leaf at level {0}")
    @ValueSource(ints = {1, 2})
    void misalignedSuperpageIsAPageFault(int level) {
        setUp();
        final long span = 1L << (12 + 9 * level);
        pt.map(3 * span, (DATA & -span) + 0x1000, RW, level); // PPN[0] != 0
        assertFault(Cause.LOAD_PAGE_FAULT, 3 * span + 8, guest(load(3 * span + 8)));
    }

    // ---- PTE encodings ----

    @Test
    void invalidLeafIsAPageFault() {
        setUp();
        pt.map(DVA, DATA, RW & ~V, 0);
        assertFault(Cause.LOAD_PAGE_FAULT, DVA, guest(load(DVA)));
    }

    @Test
    void invalidPointerIsAPageFault() {
        setUp();
        pt.map(DVA, DATA, RW, 0);
        pt.write(DVA, 1, pt.read(DVA, 1) & ~V);
        assertFault(Cause.STORE_PAGE_FAULT, DVA, guest(store(DVA)));
    }

    @Test
    void writableWithoutReadableIsReservedForLoadsAndStores() {
        setUp();
        pt.map(DVA, DATA, V | W | A | D, 0);
        assertFault(Cause.LOAD_PAGE_FAULT, DVA, guest(load(DVA)));
        setUp();
        pt.map(DVA, DATA, V | W | A | D, 0);
        assertFault(Cause.STORE_PAGE_FAULT, DVA, guest(store(DVA)));
    }

    @Test
    void writableWithoutReadableIsReservedForFetch() {
        setUp();
        pt.map(XVA, GUEST_CODE + 0x1000, V | W | X | A | D, 0);
        final TestMachine.TrapInfo trap = guest(g -> g.li(Asm.T1, XVA).jalr(Asm.ZERO, Asm.T1, 0));
        assertFault(Cause.FETCH_PAGE_FAULT, XVA, trap);
        assertEquals(XVA, trap.epc());
    }

    @Test
    void pointerAtTheLastLevelIsAPageFault() {
        setUp();
        pt.map(DVA, DATA, V, 0); // V=1, R=W=X=0 at level 0: a pointer with nowhere to go
        assertFault(Cause.LOAD_PAGE_FAULT, DVA, guest(load(DVA)));
    }

    @ParameterizedTest(name = "bit {0}")
    @ValueSource(ints = {54, 57, 60, 61, 62, 63})
    void reservedHighBitsInALeafAreAPageFault(int bit) {
        setUp();
        pt.map(DVA, DATA, RW | 1L << bit, 0); // reserved 60:54, PBMT 62:61 and N 63 (Svpbmt/Svnapot not implemented)
        assertFault(Cause.LOAD_PAGE_FAULT, DVA, guest(load(DVA)));
    }

    @ParameterizedTest(name = "bit {0}")
    @ValueSource(ints = {54, 61, 63})
    void reservedHighBitsInAPointerAreAPageFault(int bit) {
        setUp();
        pt.map(DVA, DATA, RW, 0);
        pt.write(DVA, 1, pt.read(DVA, 1) | 1L << bit);
        assertFault(Cause.LOAD_PAGE_FAULT, DVA, guest(load(DVA)));
    }

    @ParameterizedTest(name = "flag 0x{0}")
    @ValueSource(longs = {A, D, U})
    void accessedDirtyOrUserInAPointerIsAPageFault(long flag) {
        setUp();
        pt.map(DVA, DATA, RW, 0);
        pt.write(DVA, 1, pt.read(DVA, 1) | flag); // reserved for future standard use in non-leaf PTEs
        assertFault(Cause.LOAD_PAGE_FAULT, DVA, guest(load(DVA)));
    }

    @Test
    void leafPointingOutsideMemoryIsAnAccessFault() {
        setUp();
        pt.map(DVA, 0x4000_0000L, RW, 0); // nothing lives at 1 GiB
        assertFault(Cause.LOAD_ACCESS, DVA + 8, guest(load(DVA + 8)));
    }

    @Test
    void rootTableOutsideMemoryIsAnAccessFaultOnTheFirstFetch() {
        setUp();
        final Asm g = new Asm(GUEST_CODE).nop().ebreak();
        final long badSatp = (long) PageTables.SV39 << 60 | 0x4000_0000L >>> 12;
        t.load(TestMachine.enter(Priv.S, GUEST_CODE, 0, Csr.SATP, badSatp), g);
        final TestMachine.TrapInfo trap = t.runToTrap(M_CODE, 1000);
        assertFault(Cause.FETCH_ACCESS, GUEST_CODE, trap);
        assertEquals(GUEST_CODE, trap.epc());
    }

    // ---- permissions ----

    @Test
    void storeToReadOnlyPageIsStorePageFaultWithTheAddress() {
        setUp();
        pt.map(DVA, DATA, V | R | A | D, 0);
        t.write64(DATA + 0x18, MAGIC);
        final long[] storeAt = new long[1];
        final TestMachine.TrapInfo trap = guest(g -> {
            g.li(Asm.A0, DVA).li(Asm.A2, MAGIC2);
            storeAt[0] = g.pc();
            g.sd(Asm.A2, Asm.A0, 0x18);
        });
        assertFault(Cause.STORE_PAGE_FAULT, DVA + 0x18, trap);
        assertEquals(storeAt[0], trap.epc());
        assertEquals(MAGIC, t.read64(DATA + 0x18), "memory must not change");
    }

    @Test
    void executeOnlyPageRunsButCannotBeRead() {
        setUp();
        pt.map(XVA, GUEST_CODE + 0x1000, V | X | A, 0);
        t.load(new Asm(GUEST_CODE + 0x1000).li(Asm.A3, 42).ld(Asm.A1, Asm.T1, 0).ebreak());
        final TestMachine.TrapInfo trap = guest(g -> g.li(Asm.T1, XVA).jalr(Asm.ZERO, Asm.T1, 0));
        assertEquals(42, t.hart.x[Asm.A3], "code on an execute-only page runs");
        assertFault(Cause.LOAD_PAGE_FAULT, XVA, trap);
        assertEquals(XVA + 4, trap.epc());
    }

    @Test
    void mxrMakesExecuteOnlyPagesReadable() {
        setUp();
        pt.map(DVA, DATA, V | X | A, 0);
        t.write64(DATA, MAGIC);
        assertCompleted(guest(Priv.S, MStatus.MXR, load(DVA)));
        assertEquals(MAGIC, t.hart.x[Asm.A1]);
    }

    @Test
    void mxrDoesNotMakeExecuteOnlyPagesWritable() {
        setUp();
        pt.map(DVA, DATA, V | X | A | D, 0);
        assertFault(Cause.STORE_PAGE_FAULT, DVA, guest(Priv.S, MStatus.MXR, store(DVA)));
    }

    @Test
    void supervisorCannotReadUserPageWithoutSum() {
        setUp();
        pt.map(DVA, DATA, RW | U, 0);
        assertFault(Cause.LOAD_PAGE_FAULT, DVA, guest(load(DVA)));
    }

    @Test
    void supervisorReadsAndWritesUserPageWithSum() {
        setUp();
        pt.map(DVA, DATA, RW | U, 0);
        t.write64(DATA, MAGIC);
        assertCompleted(guest(Priv.S, MStatus.SUM, g -> g.li(Asm.A0, DVA).ld(Asm.A1, Asm.A0, 0)
                .li(Asm.A2, MAGIC2).sd(Asm.A2, Asm.A0, 8)));
        assertEquals(MAGIC, t.hart.x[Asm.A1]);
        assertEquals(MAGIC2, t.read64(DATA + 8));
    }

    @Test
    void supervisorNeverExecutesUserPageEvenWithSum() {
        setUp();
        pt.map(XVA, GUEST_CODE + 0x1000, V | R | X | U | A, 0);
        t.load(new Asm(GUEST_CODE + 0x1000).nop().ebreak());
        final TestMachine.TrapInfo trap = guest(Priv.S, MStatus.SUM, g -> g.li(Asm.T1, XVA).jalr(Asm.ZERO, Asm.T1, 0));
        assertFault(Cause.FETCH_PAGE_FAULT, XVA, trap);
        assertEquals(XVA, trap.epc());
    }

    @Test
    void clearingSumRevokesUserAccessAlreadyCachedInTheTlb() {
        setUp();
        pt.map(DVA, DATA, RW | U, 0);
        final long[] second = new long[1];
        final TestMachine.TrapInfo trap = guest(Priv.S, MStatus.SUM, g -> {
            g.li(Asm.A0, DVA).ld(Asm.A1, Asm.A0, 0); // allowed, and cached
            g.li(Asm.T1, MStatus.SUM).csrrc(Asm.ZERO, Csr.SSTATUS, Asm.T1);
            second[0] = g.pc();
            g.ld(Asm.A1, Asm.A0, 0);
        });
        assertFault(Cause.LOAD_PAGE_FAULT, DVA, trap);
        assertEquals(second[0], trap.epc());
    }

    @Test
    void userCannotLoadStoreOrExecuteSupervisorPages() {
        setUp(PageTables.SV39, true);
        pt.map(DVA, DATA, RW, 0);
        assertFault(Cause.LOAD_PAGE_FAULT, DVA, guest(Priv.U, 0, load(DVA)));
        setUp(PageTables.SV39, true);
        pt.map(DVA, DATA, RW, 0);
        assertFault(Cause.STORE_PAGE_FAULT, DVA, guest(Priv.U, 0, store(DVA)));
        setUp(PageTables.SV39, true);
        pt.map(XVA, GUEST_CODE + 0x1000, V | R | X | A, 0);
        assertFault(Cause.FETCH_PAGE_FAULT, XVA, guest(Priv.U, 0, g -> g.li(Asm.T1, XVA).jalr(Asm.ZERO, Asm.T1, 0)));
    }

    @Test
    void userUsesUserPagesAndSumDoesNotMatter() {
        setUp(PageTables.SV39, true);
        pt.map(DVA, DATA, RW | U, 0);
        t.write64(DATA, MAGIC);
        final TestMachine.TrapInfo trap = guest(Priv.U, MStatus.SUM, g -> g.li(Asm.A0, DVA).ld(Asm.A1, Asm.A0, 0)
                .li(Asm.A2, MAGIC2).sd(Asm.A2, Asm.A0, 8));
        assertCompleted(trap);
        assertEquals(MAGIC, t.hart.x[Asm.A1]);
        assertEquals(MAGIC2, t.read64(DATA + 8));
    }

    // ---- MPRV ----

    @Test
    void mprvWithMppSTranslatesMachineModeLoadsAndStores() {
        setUp();
        pt.map(DVA, DATA, RW, 0);
        t.write64(DATA, MAGIC);
        final long ms = MStatus.MPRV | (long) Priv.S << MStatus.MPP_SHIFT;
        assertCompleted(machine(ms, g -> g.li(Asm.A0, DVA).ld(Asm.A1, Asm.A0, 0).li(Asm.A2, MAGIC2)
                .sd(Asm.A2, Asm.A0, 8)));
        assertEquals(MAGIC, t.hart.x[Asm.A1]);
        assertEquals(MAGIC2, t.read64(DATA + 8));
    }

    @Test
    void mprvWithMppSAppliesSupervisorRulesToUserPages() {
        setUp();
        pt.map(DVA, DATA, RW | U, 0);
        final long ms = MStatus.MPRV | (long) Priv.S << MStatus.MPP_SHIFT;
        final TestMachine.TrapInfo trap = machine(ms, load(DVA));
        assertFault(Cause.LOAD_PAGE_FAULT, DVA, trap);
        assertEquals(Priv.M, (int) (t.hart.csrs().mstatus() >>> MStatus.MPP_SHIFT) & 3, "the trap came from M mode");
        setUp();
        pt.map(DVA, DATA, RW | U, 0);
        assertCompleted(machine(ms | MStatus.SUM, load(DVA)));
    }

    @Test
    void mprvWithMppUAppliesUserRules() {
        setUp();
        pt.map(DVA, DATA, RW | U, 0);
        pt.map(XVA, DATA + 0x1000, RW, 0);
        t.write64(DATA, MAGIC);
        final long ms = MStatus.MPRV | (long) Priv.U << MStatus.MPP_SHIFT;
        assertCompleted(machine(ms, load(DVA)));
        assertEquals(MAGIC, t.hart.x[Asm.A1]);
        setUp();
        pt.map(XVA, DATA + 0x1000, RW, 0);
        assertFault(Cause.STORE_PAGE_FAULT, XVA, machine(ms, store(XVA)));
    }

    @Test
    void mprvWithMppMLeavesMachineModeUntranslated() {
        setUp();
        t.write64(DATA, MAGIC);
        final long ms = MStatus.MPRV | (long) Priv.M << MStatus.MPP_SHIFT;
        assertCompleted(machine(ms, load(DATA)));
        assertEquals(MAGIC, t.hart.x[Asm.A1]);
    }

    // ---- accessed and dirty bits ----

    @Test
    void loadSetsAccessedButNotDirty() {
        setUp();
        pt.map(DVA, DATA, V | R | W, 0);
        assertCompleted(guest(load(DVA)));
        final long pte = pt.read(DVA, 0);
        assertEquals(A, pte & A, "A set by the hardware walk");
        assertEquals(0, pte & D, "D stays clear after a load");
        assertEquals(PageTables.pte(DATA, V | R | W | A), pte, "nothing else changes");
    }

    @Test
    void storeSetsAccessedAndDirty() {
        setUp();
        pt.map(DVA, DATA, V | R | W, 0);
        assertCompleted(guest(store(DVA)));
        assertEquals(PageTables.pte(DATA, V | R | W | A | D), pt.read(DVA, 0));
    }

    @Test
    void storeAfterLoadSetsDirtyEvenThoughTheLoadWasCached() {
        setUp();
        pt.map(DVA, DATA, V | R | W, 0);
        assertCompleted(guest(g -> g.li(Asm.A0, DVA).ld(Asm.A1, Asm.A0, 0).sd(Asm.A1, Asm.A0, 8)));
        assertEquals(PageTables.pte(DATA, V | R | W | A | D), pt.read(DVA, 0));
    }

    @Test
    void fetchSetsAccessed() {
        setUp();
        pt.map(XVA, GUEST_CODE + 0x1000, V | X, 0);
        t.load(new Asm(GUEST_CODE + 0x1000).ebreak());
        final TestMachine.TrapInfo trap = guest(g -> g.li(Asm.T1, XVA).jalr(Asm.ZERO, Asm.T1, 0));
        assertCompleted(trap);
        assertEquals(XVA, trap.epc());
        assertEquals(PageTables.pte(GUEST_CODE + 0x1000, V | X | A), pt.read(XVA, 0));
    }

    @Test
    void faultingStoreSetsNoBits() {
        setUp();
        pt.map(DVA, DATA, V | R, 0);
        assertFault(Cause.STORE_PAGE_FAULT, DVA, guest(store(DVA)));
        assertEquals(PageTables.pte(DATA, V | R), pt.read(DVA, 0), "a denied access must not set A or D");
    }

    // ---- TLB maintenance ----

    @ParameterizedTest(name = "sfence.vma rs1=x{0}")
    @ValueSource(ints = {Asm.ZERO, Asm.A0})
    void sfenceVmaMakesAPteChangeVisible(int rs1) {
        setUp();
        pt.map(DVA, DATA, RW, 0);
        t.write64(DATA, MAGIC);
        t.write64(DATA + 0x1000, MAGIC2);
        final long pteAddr = pt.pteAddress(DVA, 0);
        pt.map(XVA, pteAddr & ~0xfffL, RW, 0); // the kernel's window onto its own page table
        final TestMachine.TrapInfo trap = guest(g -> g.li(Asm.A0, DVA).ld(Asm.A1, Asm.A0, 0)
                .li(Asm.T1, XVA + (pteAddr & 0xfff)).li(Asm.T2, PageTables.pte(DATA + 0x1000, RW)).sd(Asm.T2, Asm.T1, 0)
                .sfenceVma(rs1, Asm.ZERO)
                .ld(Asm.A2, Asm.A0, 0));
        assertCompleted(trap);
        assertEquals(MAGIC, t.hart.x[Asm.A1], "before the change");
        assertEquals(MAGIC2, t.hart.x[Asm.A2], "after the change and sfence.vma");
    }

    @Test
    void satpSwitchToAnotherAsidUsesTheNewTables() {
        setUp();
        pt.map(DVA, DATA, RW, 0);
        final PageTables other = new PageTables(t, PageTables.SV39, TestMachine.TABLES + 0x8_0000).mapCode(false);
        other.map(DVA, DATA + 0x1000, RW, 0);
        t.write64(DATA, MAGIC);
        t.write64(DATA + 0x1000, MAGIC2);
        // A new ASID: entries cached for ASID 0 cannot answer for ASID 1 (no sfence.vma needed).
        final TestMachine.TrapInfo trap = guest(g -> g.li(Asm.A0, DVA).ld(Asm.A1, Asm.A0, 0)
                .li(Asm.T1, other.satp(1)).csrw(Csr.SATP, Asm.T1)
                .ld(Asm.A2, Asm.A0, 0));
        assertCompleted(trap);
        assertEquals(MAGIC, t.hart.x[Asm.A1]);
        assertEquals(MAGIC2, t.hart.x[Asm.A2]);
    }

    @ParameterizedTest(name = "mode {0}")
    @ValueSource(ints = {1, 2, 7, 11, 12, 15})
    void satpWriteWithUnsupportedModeChangesNothing(int mode) {
        setUp();
        pt.map(DVA, DATA, RW, 0);
        t.write64(DATA, MAGIC);
        final long before = pt.satp();
        final TestMachine.TrapInfo trap = guest(g -> g.li(Asm.T1, (long) mode << 60 | 0x1234L << 44 | 0x8_0000L)
                .csrw(Csr.SATP, Asm.T1).csrr(Asm.A3, Csr.SATP).li(Asm.A0, DVA).ld(Asm.A1, Asm.A0, 0));
        assertCompleted(trap);
        assertEquals(before, t.hart.x[Asm.A3], "satp keeps its old value");
        assertEquals(MAGIC, t.hart.x[Asm.A1], "translation still uses the old tables");
    }

    @Test
    void bareModeInSupervisorIsUntranslated() {
        setUp();
        t.write64(DATA, MAGIC);
        final Asm g = new Asm(GUEST_CODE);
        g.li(Asm.A0, DATA).ld(Asm.A1, Asm.A0, 0).ebreak();
        t.load(TestMachine.enter(Priv.S, GUEST_CODE, 0, Csr.SATP, 0), g);
        assertCompleted(t.runToTrap(M_CODE, 1000));
        assertEquals(MAGIC, t.hart.x[Asm.A1]);
    }

    // ---- self-modifying code ----

    /** Runs {@code target: addi a0,zero,1} once, then overwrites it with {@code addi a0,zero,2} and runs it again. */
    private static void selfModifying(Asm g, long storeBase) {
        final Asm.Label loop = g.label();
        final Asm.Label out = g.label();
        g.li(Asm.A1, 0);
        g.bind(loop);
        final long target = g.pc();
        g.addi(Asm.A0, Asm.ZERO, 1);
        g.bne(Asm.A1, Asm.ZERO, out);
        g.li(Asm.A1, 1);
        g.li(Asm.T1, storeBase + (target - g.base()));
        g.li(Asm.T2, Asm.addiWord(Asm.A0, Asm.ZERO, 2));
        g.sw(Asm.T2, Asm.T1, 0); // no fence.i
        g.j(loop);
        g.bind(out);
    }

    @Test
    void storeIntoDecodedCodeIsSeenByTheNextFetchInSupervisorMode() {
        setUp();
        assertCompleted(guest(g -> selfModifying(g, GUEST_CODE)));
        assertEquals(2, t.hart.x[Asm.A0]);
    }

    @Test
    void storeIntoDecodedCodeThroughAnAliasMappingIsSeen() {
        setUp();
        pt.map(XVA, GUEST_CODE, RW, 0); // a second, data-only view of the code page
        assertCompleted(guest(g -> selfModifying(g, XVA)));
        assertEquals(2, t.hart.x[Asm.A0]);
    }

    @Test
    void storeIntoDecodedCodeIsSeenInMachineMode() {
        t = new TestMachine();
        final Asm m = new Asm(M_CODE);
        selfModifying(m, M_CODE);
        m.ebreak();
        t.load(m);
        assertCompleted(t.runToTrap(M_CODE, 1000));
        assertEquals(2, t.hart.x[Asm.A0]);
    }

    // ---- accesses that cross a page boundary ----

    /** DVA -> DATA + 0x2000 and DVA + 0x1000 -> DATA: adjacent virtual pages, physical pages in reverse order. */
    private void mapTwoPages(boolean second) {
        setUp();
        pt.map(DVA, DATA + 0x2000, RW, 0);
        if (second) {
            pt.map(DVA + 0x1000, DATA, RW, 0);
        }
        t.write64(DATA + 0x2ff8, 0x1122_3344_5566_7788L);
        t.write64(DATA, 0x99aa_bbcc_ddee_ff00L);
    }

    @Test
    void misalignedLoadAcrossPagesReadsBothPhysicalPages() {
        mapTwoPages(true);
        assertCompleted(guest(g -> g.li(Asm.A0, DVA + 0xffc).ld(Asm.A1, Asm.A0, 0).lw(Asm.A2, Asm.A0, 2)
                .lh(Asm.A3, Asm.A0, 3)));
        assertEquals(0xddee_ff00_1122_3344L, t.hart.x[Asm.A1]);
        assertEquals(0xffff_ffff_ff00_1122L, t.hart.x[Asm.A2], "lw sign-extends");
        assertEquals(0x0011L, t.hart.x[Asm.A3]);
    }

    @Test
    void misalignedStoreAcrossPagesWritesBothPhysicalPages() {
        mapTwoPages(true);
        assertCompleted(guest(g -> g.li(Asm.A0, DVA + 0xffc).li(Asm.A2, 0x0102_0304_0506_0708L).sd(Asm.A2, Asm.A0, 0)));
        assertEquals(0x0506_0708_5566_7788L, t.read64(DATA + 0x2ff8));
        assertEquals(0x99aa_bbcc_0102_0304L, t.read64(DATA));
    }

    @Test
    void misalignedStoreIntoUnmappedSecondPageFaultsWithoutPartialStore() {
        mapTwoPages(false);
        final TestMachine.TrapInfo trap = guest(g -> g.li(Asm.A0, DVA + 0xffc).li(Asm.A2, 0x0102_0304_0506_0708L)
                .sd(Asm.A2, Asm.A0, 0));
        assertEquals(Cause.STORE_PAGE_FAULT, trap.cause(), trap::toString);
        // stval is the address of the portion of the access that faulted: somewhere in [DVA+0x1000, DVA+0x1004).
        assertTrue(trap.tval() >= DVA + 0x1000 && trap.tval() < DVA + 0x1004, trap::toString);
        assertEquals(0x1122_3344_5566_7788L, t.read64(DATA + 0x2ff8), "the first page must be unchanged");
    }

    @Test
    void misalignedLoadFromUnmappedSecondPageFaults() {
        mapTwoPages(false);
        final TestMachine.TrapInfo trap = guest(g -> g.li(Asm.A1, -1).li(Asm.A0, DVA + 0xffe).lw(Asm.A1, Asm.A0, 0));
        assertEquals(Cause.LOAD_PAGE_FAULT, trap.cause(), trap::toString);
        assertTrue(trap.tval() >= DVA + 0x1000 && trap.tval() < DVA + 0x1002, trap::toString);
        assertEquals(-1, t.hart.x[Asm.A1], "the destination register is unchanged");
    }

    /** Writes {@code addi a0, zero, 7} so that it straddles XVA's page end, then ebreak on the next page. */
    private void straddlingInstruction(boolean secondPageMapped) {
        setUp();
        pt.map(XVA, GUEST_CODE + 0x1000, V | R | X | A, 0);
        if (secondPageMapped) {
            pt.map(XVA + 0x1000, DATA + 0x3000, V | R | X | A, 0);
        }
        final int insn = Asm.addiWord(Asm.A0, Asm.ZERO, 7);
        t.ram.store((int) (GUEST_CODE + 0x1ffe - TestMachine.RAM_BASE), 2, insn);
        t.ram.store((int) (DATA + 0x3000 - TestMachine.RAM_BASE), 2, insn >>> 16);
        t.ram.store((int) (DATA + 0x3002 - TestMachine.RAM_BASE), 4, 0x00100073); // ebreak
    }

    @Test
    void instructionStraddlingTwoPagesExecutes() {
        straddlingInstruction(true);
        final TestMachine.TrapInfo trap = guest(g -> g.li(Asm.T1, XVA + 0xffe).jalr(Asm.ZERO, Asm.T1, 0));
        assertCompleted(trap);
        assertEquals(7, t.hart.x[Asm.A0]);
        assertEquals(XVA + 0x1002, trap.epc());
    }

    @Test
    void instructionStraddlingIntoUnmappedPageFaultsWithTvalOfTheSecondHalf() {
        straddlingInstruction(false);
        final TestMachine.TrapInfo trap = guest(g -> g.li(Asm.T1, XVA + 0xffe).jalr(Asm.ZERO, Asm.T1, 0));
        assertFault(Cause.FETCH_PAGE_FAULT, XVA + 0x1000, trap);
        assertEquals(XVA + 0xffe, trap.epc(), "epc points at the start of the instruction");
    }
}
