package io.sublet.cpu;

import io.sublet.cpu.insn.FpStatus;
import io.sublet.isa.Insn;
import io.sublet.isa.Opcode;
import io.sublet.mem.Bus;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One RV64IMAFDC hart with M, S and U modes: registers, privilege, CSRs, MMU, trap entry, interrupts
 * and xRET. It is owned by one thread; other threads reach it only through {@link #setInterruptLine}
 * and {@link #requestExit}, both of which are safe to call concurrently.
 */
public final class Hart {
    private static final VarHandle MIP_LINES;

    static {
        try {
            MIP_LINES = MethodHandles.lookup().findVarHandle(Hart.class, "mipLines", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Integer registers; x[0] is forced back to zero after every instruction. */
    public final long[] x = new long[32];
    /** Floating-point registers, raw bits; single-precision values are NaN-boxed (upper 32 bits all ones). */
    public final long[] f = new long[32];
    /** The accrued FP exception flags (fflags); frm lives in {@link Csrs}. */
    public final FpStatus fpStatus = new FpStatus();
    public long pc;
    int priv = Priv.M;
    final int hartId;
    final Trap trap = new Trap();
    final Pmp pmp = new Pmp();
    final Csrs csrs;
    final Mmu mmu;
    private final Bus bus;
    private final Interpreter interpreter;
    private Engine engine;
    private final CodeModified codeModified = new CodeModified();
    /** The RAM page of the translated code running now, or -1: a store into it must stop that code. */
    private int translatedPage = -1;
    private boolean translatedPageWritten;
    private final CodeCache code;

    /** Instruction bits of the CSR or system instruction in flight, for the mtval of an illegal one. */
    int currentInsnBits;
    /** RAM index reserved by LR, or -1. */
    long reservation = -1;
    /** Interrupt lines driven by devices (MSIP, MTIP, MEIP, SEIP), possibly from other threads. */
    private volatile long mipLines;
    private volatile boolean exitRequested;
    private TimeSource timeSource;
    private boolean suppressIncrement;
    private long retiredTotal;
    private long trapCount;
    private boolean waitingForInterrupt;
    private FatalTrap fatal;
    private EcallHandler ecallHandler;

    /** What stopped a hart that took an exception into M mode with no handler to run. */
    public record FatalTrap(long cause, long tval, long pc, int priv) {
        public String describe() {
            return String.format("unhandled %s in %s mode at pc 0x%016x (cause %d, tval 0x%x); mtvec points to no memory",
                    Cause.name(cause), Priv.name(priv), pc, cause & 63, tval);
        }
    }

    public Hart(int hartId, Bus bus, CodeCache code) {
        this.hartId = hartId;
        this.bus = bus;
        this.csrs = new Csrs(this);
        this.mmu = new Mmu(this, bus, code);
        this.interpreter = new Interpreter(this, mmu, code);
        this.engine = interpreter;
        this.code = code;
        this.timeSource = () -> retiredTotal / 10; // deterministic default: 10 instructions per tick
    }

    public int hartId() {
        return hartId;
    }

    public int priv() {
        return priv;
    }

    public Csrs csrs() {
        return csrs;
    }

    public Mmu mmu() {
        return mmu;
    }

    /** Routes S-mode ecalls to the VMM (built-in SBI) instead of to M-mode firmware. */
    public void setEcallHandler(EcallHandler handler) {
        this.ecallHandler = handler;
    }

    /**
     * Sets or clears one of the software-writable pending bits (SSIP, STIP, SEIP) as M-mode
     * firmware would; on the hart's thread only.
     */
    public void setSoftwarePending(int bit, boolean pending) {
        if (((1L << bit) & Csrs.MIP_WRITABLE) == 0) {
            throw new IllegalArgumentException("mip bit " + bit + " is not software-writable");
        }
        if (pending) {
            csrs.mipSoftware |= 1L << bit;
        } else {
            csrs.mipSoftware &= ~(1L << bit);
        }
    }

    /** Selects the execution engine; {@code null} restores the interpreter. */
    public void setEngine(Engine engine) {
        this.engine = engine != null ? engine : interpreter;
    }

    // ---- for execution engines other than the interpreter (the translator) ----

    /**
     * Runs the interpreter; with {@code untilTranslated} it returns as soon as pc leaves the page or reaches
     * translated code ({@link #interpreterLeftPage} then says so). Counters are credited.
     */
    public int interpret(int budget, boolean untilTranslated) {
        return interpreter.execute(budget, untilTranslated);
    }

    /** Whether the last {@link #interpret} returned only because it left its page or reached translated code. */
    public boolean interpreterLeftPage() {
        return interpreter.lastExit() == Interpreter.PAGE;
    }

    /** Executes one F, D or A instruction with the interpreter's semantics on {@link #x} and {@link #f}. */
    public void executeData(Insn in) {
        interpreter.executeData(in);
        if (translatedPageWritten) {
            throw codeModified();
        }
    }

    /** Enters the trap handler for the hart's pending {@link Trap} raised by the instruction at {@code pc}. */
    public void takeTrap(Trap t, long at) {
        pc = at;
        takeTrap(t.cause(), t.tval(), at);
    }

    /** Marks translated code from {@code ramPage} as running (-1: none), so stores into that page stop it. */
    public void runningTranslated(int ramPage) {
        translatedPage = ramPage;
        translatedPageWritten = false;
    }

    /** Called before a store makes a page's code stale: notes whether it is the running translation's page. */
    void codeDropped(int ramPage) {
        if (ramPage == translatedPage) {
            translatedPageWritten = true;
        }
    }

    /** After a store: throws {@link CodeModified} if it wrote the running translation's page. */
    void checkCodeModified() {
        if (translatedPageWritten) {
            throw codeModified();
        }
    }

    private CodeModified codeModified() {
        translatedPageWritten = false;
        translatedPage = -1;
        return codeModified;
    }

    public void setTimeSource(TimeSource source) {
        this.timeSource = source;
    }

    long time() {
        return timeSource.mtime();
    }

    /** Instructions retired since reset, independent of minstret writes and mcountinhibit. */
    public long retiredTotal() {
        return retiredTotal;
    }

    /** Traps (exceptions and interrupts) taken since reset; lets a tracer notice them. */
    public long trapCount() {
        return trapCount;
    }

    public FatalTrap fatal() {
        return fatal;
    }

    public boolean waitingForInterrupt() {
        return waitingForInterrupt;
    }

    /** Drives one of the device interrupt lines in mip (MSIP, MTIP, SEIP, MEIP). Thread-safe. */
    public void setInterruptLine(int bit, boolean level) {
        if (level) {
            MIP_LINES.getAndBitwiseOr(this, 1L << bit);
        } else {
            MIP_LINES.getAndBitwiseAnd(this, ~(1L << bit));
        }
    }

    long mipLines() {
        return mipLines;
    }

    /** Asks the running slice to end at the next instruction boundary check. Thread-safe. */
    public void requestExit() {
        exitRequested = true;
    }

    /**
     * Runs up to {@code budget} instructions. Between the interpreter's inner runs — which end after
     * any instruction that may change interrupt or translation state — it takes pending interrupts.
     * Returns to the caller when the budget is spent, the hart waits in WFI, stops on a fatal trap,
     * or {@link #requestExit} was called. Returns the number of instructions retired; a trap counts
     * against the budget too, so a handler that faults at once cannot keep the hart here forever.
     */
    public int run(int budget) {
        exitRequested = false;
        int retired = 0;
        for (int rounds = 0; retired < budget && rounds < budget && fatal == null; rounds++) {
            if (waitingForInterrupt) {
                if (!interruptPending()) {
                    break; // still asleep in WFI: the caller may sleep until a timer or device wakes it
                }
                waitingForInterrupt = false; // WFI ends on a pending interrupt, even one globally disabled
            }
            checkInterrupts();
            if (fatal != null) {
                break;
            }
            retired += engine.execute(budget - retired);
            if (exitRequested || waitingForInterrupt) {
                break;
            }
        }
        return retired;
    }

    /** Credits {@code n} retired instructions to the counters (engines call it for what they ran). */
    public void retire(int n) {
        if (n == 0) {
            return;
        }
        retiredTotal += n;
        long count = n;
        if (suppressIncrement) {
            count--; // a CSR write to the counter replaces the increment of the writing instruction
            suppressIncrement = false;
        }
        if ((csrs.mcountinhibit & 4) == 0) {
            csrs.minstret += count;
        }
        if ((csrs.mcountinhibit & 1) == 0) {
            csrs.mcycle += count;
        }
    }

    void suppressCounterIncrement() {
        suppressIncrement = true;
    }

    /** Takes the highest-priority pending and enabled interrupt, if any. */
    boolean checkInterrupts() {
        final long pending = (csrs.mipSoftware | mipLines) & csrs.mie;
        if (pending == 0) {
            return false;
        }
        final long machine = pending & ~csrs.mideleg;
        if (machine != 0 && (priv < Priv.M || (csrs.mstatus & MStatus.MIE) != 0)) {
            takeTrap(Cause.INTERRUPT | highestPriority(machine), 0, pc);
            return true;
        }
        final long supervisor = pending & csrs.mideleg;
        if (supervisor != 0 && (priv < Priv.S || (priv == Priv.S && (csrs.mstatus & MStatus.SIE) != 0))) {
            takeTrap(Cause.INTERRUPT | highestPriority(supervisor), 0, pc);
            return true;
        }
        return false;
    }

    /** Whether any interrupt is pending and enabled in mie, whatever the global enables: WFI's wake-up condition. */
    public boolean interruptPending() {
        return ((csrs.mipSoftware | mipLines) & csrs.mie) != 0;
    }

    private static final int[] PRIORITY = {Cause.MEI, Cause.MSI, Cause.MTI, Cause.SEI, Cause.SSI, Cause.STI};

    private static int highestPriority(long bits) {
        for (int i : PRIORITY) {
            if ((bits & (1L << i)) != 0) {
                return i;
            }
        }
        return Long.numberOfTrailingZeros(bits);
    }

    /** Enters the trap handler for {@code cause}, in S mode when delegated, else in M mode. */
    void takeTrap(long cause, long tval, long epc) {
        if (cause == Cause.ECALL_S && ecallHandler != null && ecallHandler.onSupervisorEcall(this)) {
            pc = epc + 4; // a hypercall: handled by the VMM, no trap enters the guest
            return;
        }
        trapCount++;
        reservation = -1;
        final boolean interrupt = cause < 0;
        final int code = (int) (cause & 63);
        final long deleg = interrupt ? csrs.mideleg : csrs.medeleg;
        long ms = csrs.mstatus;
        if (priv <= Priv.S && ((deleg >>> code) & 1) != 0) {
            csrs.scause = cause;
            csrs.sepc = epc;
            csrs.stval = tval;
            ms = (ms & ~MStatus.SPP) | (priv == Priv.S ? MStatus.SPP : 0);
            ms = (ms & ~MStatus.SPIE) | ((ms & MStatus.SIE) != 0 ? MStatus.SPIE : 0);
            ms &= ~MStatus.SIE;
            pc = vector(csrs.stvec, interrupt, code);
            priv = Priv.S;
        } else {
            csrs.mcause = cause;
            csrs.mepc = epc;
            csrs.mtval = tval;
            ms = (ms & ~MStatus.MPP) | ((long) priv << MStatus.MPP_SHIFT);
            ms = (ms & ~MStatus.MPIE) | ((ms & MStatus.MIE) != 0 ? MStatus.MPIE : 0);
            ms &= ~MStatus.MIE;
            final int from = priv;
            pc = vector(csrs.mtvec, interrupt, code);
            priv = Priv.M;
            if (!bus.isMapped(pc, 2)) {
                fatal = new FatalTrap(cause, tval, epc, from);
            }
        }
        csrs.mstatus = ms;
        mmu.contextChanged();
    }

    private static long vector(long tvec, boolean interrupt, int code) {
        final long base = tvec & ~3L;
        return interrupt && (tvec & 3) == 1 ? base + 4L * code : base;
    }

    /** The illegal-instruction trap; mtval/stval get the instruction bits, zero-extended. */
    Trap illegal(int bits) {
        return trap.raise(Cause.ILLEGAL_INSTRUCTION, bits & 0xffffffffL);
    }

    /** MRET: returns to the mode in MPP. Returns the new pc. */
    long mret(Insn in) {
        if (priv != Priv.M) {
            throw illegal(in.bits);
        }
        long ms = csrs.mstatus;
        final int target = (int) (ms >>> MStatus.MPP_SHIFT) & 3;
        ms = (ms & ~MStatus.MIE) | ((ms & MStatus.MPIE) != 0 ? MStatus.MIE : 0);
        ms |= MStatus.MPIE;
        ms &= ~MStatus.MPP; // MPP = U, the least-privileged mode
        if (target != Priv.M) {
            ms &= ~MStatus.MPRV;
        }
        csrs.mstatus = ms;
        priv = target;
        mmu.contextChanged();
        return csrs.mepc;
    }

    /** SRET: returns to the mode in SPP; illegal in U mode and, with TSR set, in S mode. */
    long sret(Insn in) {
        if (priv == Priv.U || (priv == Priv.S && (csrs.mstatus & MStatus.TSR) != 0)) {
            throw illegal(in.bits);
        }
        long ms = csrs.mstatus;
        final int target = (ms & MStatus.SPP) != 0 ? Priv.S : Priv.U;
        ms = (ms & ~MStatus.SIE) | ((ms & MStatus.SPIE) != 0 ? MStatus.SIE : 0);
        ms |= MStatus.SPIE;
        ms &= ~MStatus.SPP;
        ms &= ~MStatus.MPRV; // the target is below M
        csrs.mstatus = ms;
        priv = target;
        mmu.contextChanged();
        return csrs.sepc;
    }

    /** WFI: illegal in U mode and, with TW set, in S mode; otherwise waits until an interrupt is pending. */
    void wfi(Insn in) {
        if (priv == Priv.U || (priv == Priv.S && (csrs.mstatus & MStatus.TW) != 0)) {
            throw illegal(in.bits);
        }
        waitingForInterrupt = !interruptPending();
    }

    /** SFENCE.VMA: illegal in U mode and, with TVM set, in S mode. Every TLB entry is dropped. */
    void sfenceVma(Insn in) {
        if (priv == Priv.U || (priv == Priv.S && (csrs.mstatus & MStatus.TVM) != 0)) {
            throw illegal(in.bits);
        }
        mmu.flush();
    }

    /** The six Zicsr instructions. */
    void csr(Insn in) {
        currentInsnBits = in.bits;
        final int csr = (int) in.imm;
        final Opcode op = in.op;
        final boolean immediate = op == Opcode.CSRRWI || op == Opcode.CSRRSI || op == Opcode.CSRRCI;
        final long src = immediate ? in.rs1 : x[in.rs1];
        final boolean swap = op == Opcode.CSRRW || op == Opcode.CSRRWI;
        final boolean write = swap || in.rs1 != 0;
        final long old = csrs.read(csr, write);
        if (write) {
            final long value;
            if (swap) {
                value = src;
            } else if (op == Opcode.CSRRS || op == Opcode.CSRRSI) {
                value = old | src;
            } else {
                value = old & ~src;
            }
            csrs.write(csr, value);
        }
        if (in.rd != 0) {
            x[in.rd] = old;
        }
    }

    /**
     * Takes a pending, enabled interrupt now, without executing anything; true if one was taken. Lets a
     * tracer show an interrupt as its own step rather than folded into the next instruction.
     */
    public boolean takePendingInterrupt() {
        if (fatal != null || !interruptPending()) {
            return false;
        }
        waitingForInterrupt = false;
        final long before = trapCount;
        checkInterrupts();
        return trapCount != before;
    }

    /** The hart's architectural state; call it on the hart's thread, between {@link #run} calls. */
    public HartState save() {
        final Csrs c = csrs;
        return new HartState(x.clone(), f.clone(), pc, priv, fpStatus.flags, c.frm,
                c.mstatus, c.medeleg, c.mideleg, c.mie, c.mipSoftware,
                c.mtvec, c.mepc, c.mcause, c.mtval, c.mscratch,
                c.mcounteren, c.scounteren, c.mcountinhibit, c.menvcfg, c.senvcfg,
                c.stvec, c.sepc, c.scause, c.stval, c.sscratch, c.satp,
                c.mcycle, c.minstret, pmp.saveCfg(), pmp.saveAddr(),
                reservation, waitingForInterrupt, retiredTotal);
    }

    /**
     * Puts saved state back after checking it (IllegalArgumentException names a field no hart could hold;
     * nothing is changed then). TLBs are emptied and every decoded instruction is dropped, since RAM may
     * hold other code now. The interrupt lines stay as the devices drive them.
     */
    public void restore(final HartState s) {
        s.check(bus.ram().size());
        System.arraycopy(s.x(), 0, x, 0, 32);
        System.arraycopy(s.f(), 0, f, 0, 32);
        pc = s.pc();
        priv = s.priv();
        fpStatus.flags = s.fflags();
        final Csrs c = csrs;
        c.frm = s.frm();
        c.mstatus = s.mstatus();
        c.medeleg = s.medeleg();
        c.mideleg = s.mideleg();
        c.mie = s.mie();
        c.mipSoftware = s.mipSoftware();
        c.mtvec = s.mtvec();
        c.mepc = s.mepc();
        c.mcause = s.mcause();
        c.mtval = s.mtval();
        c.mscratch = s.mscratch();
        c.mcounteren = s.mcounteren();
        c.scounteren = s.scounteren();
        c.mcountinhibit = s.mcountinhibit();
        c.menvcfg = s.menvcfg();
        c.senvcfg = s.senvcfg();
        c.stvec = s.stvec();
        c.sepc = s.sepc();
        c.scause = s.scause();
        c.stval = s.stval();
        c.sscratch = s.sscratch();
        c.satp = s.satp();
        c.mcycle = s.mcycle();
        c.minstret = s.minstret();
        pmp.restore(s.pmpCfg(), s.pmpAddr());
        reservation = s.reservation();
        waitingForInterrupt = s.waitingForInterrupt();
        retiredTotal = s.retiredTotal();
        suppressIncrement = false;
        fatal = null;
        mmu.flush();
        mmu.contextChanged();
        code.invalidateAll();
    }
}
