package io.sublet.cpu;

import io.sublet.cpu.insn.FpFlags;

/**
 * The hart's control and status registers: their state, WARL legalisation and access rules. Reads
 * and writes arrive here from Zicsr instructions only; traps and xRET update the fields directly.
 */
public final class Csrs {
    /** RV64 (MXL = 2) with A, C, D, F, I, M, S, U. */
    public static final long MISA = (2L << 62) | ext('A') | ext('C') | ext('D') | ext('F') | ext('I') | ext('M') | ext('S')
            | ext('U');
    /** Exceptions that may be delegated to S mode (ecall from M cannot, spec 1.12). */
    static final long DELEGABLE_EXCEPTIONS = 0xb3ffL;
    static final long S_INTERRUPTS = (1L << Cause.SSI) | (1L << Cause.STI) | (1L << Cause.SEI);
    static final long ALL_INTERRUPTS = S_INTERRUPTS | (1L << Cause.MSI) | (1L << Cause.MTI) | (1L << Cause.MEI);
    /** Interrupt bits software may write in mip (the M-level ones belong to devices). */
    static final long MIP_WRITABLE = S_INTERRUPTS;
    static final long ENVCFG_FIOM = 1;

    static final int SATP_MODE_SHIFT = 60;
    static final long SATP_ASID_MASK = 0xffffL << 44;
    static final long SATP_PPN_MASK = (1L << 44) - 1;
    static final long SATP_BARE = 0;
    static final long SATP_SV39 = 8;
    static final long SATP_SV48 = 9;
    static final long SATP_SV57 = 10;

    private final Hart hart;

    long mstatus = MStatus.XLEN_FIELDS;
    long medeleg;
    long mideleg;
    long mie;
    /** Pending bits written by software (SSIP, STIP, SEIP); devices' lines live in {@link Hart#mipLines}. */
    long mipSoftware;
    long mtvec;
    long mepc;
    long mcause;
    long mtval;
    long mscratch;
    int mcounteren;
    int scounteren;
    int mcountinhibit;
    long menvcfg;
    long senvcfg;
    long stvec;
    long sepc;
    long scause;
    long stval;
    long sscratch;
    long satp;
    long mcycle;
    long minstret;
    /** Dynamic rounding mode (fcsr bits 7..5); 5..7 are storable but illegal when an instruction uses them. */
    int frm;

    Csrs(Hart hart) {
        this.hart = hart;
    }

    private static long ext(char c) {
        return 1L << (c - 'A');
    }

    public long mstatus() {
        return mstatus;
    }

    public long satp() {
        return satp;
    }

    /** fcsr: frm (bits 7..5) and the accrued flags (bits 4..0). */
    public int fcsr() {
        return (frm << 5) | hart.fpStatus.flags;
    }

    public long mip() {
        return mipSoftware | hart.mipLines();
    }

    public long mie() {
        return mie;
    }

    public long mideleg() {
        return mideleg;
    }

    public long mcause() {
        return mcause;
    }

    public long mtval() {
        return mtval;
    }

    public long mepc() {
        return mepc;
    }

    public long scause() {
        return scause;
    }

    public long stval() {
        return stval;
    }

    public long sepc() {
        return sepc;
    }

    /**
     * Executes the read half of a Zicsr instruction after its access check. {@code write} says whether
     * the instruction will also write (so that a read-only CSR can refuse it).
     */
    long read(int csr, boolean write) {
        final int priv = hart.priv;
        if (priv < Csr.minPriv(csr) || (write && Csr.readOnly(csr))) {
            throw illegal();
        }
        switch (csr) {
            case Csr.FFLAGS: checkFpEnabled(); return hart.fpStatus.flags;
            case Csr.FRM: checkFpEnabled(); return frm;
            case Csr.FCSR: checkFpEnabled(); return (frm << 5) | hart.fpStatus.flags;
            case Csr.SSTATUS: return sstatus();
            case Csr.SIE: return mie & mideleg;
            case Csr.STVEC: return stvec;
            case Csr.SCOUNTEREN: return scounteren & 0xffffffffL;
            case Csr.SENVCFG: return senvcfg;
            case Csr.SSCRATCH: return sscratch;
            case Csr.SEPC: return sepc;
            case Csr.SCAUSE: return scause;
            case Csr.STVAL: return stval;
            case Csr.SIP: return mip() & mideleg;
            case Csr.SATP:
                if (priv == Priv.S && (mstatus & MStatus.TVM) != 0) {
                    throw illegal();
                }
                return satp;
            case Csr.MSTATUS: return mstatus;
            case Csr.MISA: return MISA;
            case Csr.MEDELEG: return medeleg;
            case Csr.MIDELEG: return mideleg;
            case Csr.MIE: return mie;
            case Csr.MTVEC: return mtvec;
            case Csr.MCOUNTEREN: return mcounteren & 0xffffffffL;
            case Csr.MENVCFG: return menvcfg;
            case Csr.MCOUNTINHIBIT: return mcountinhibit & 0xffffffffL;
            case Csr.MSCRATCH: return mscratch;
            case Csr.MEPC: return mepc;
            case Csr.MCAUSE: return mcause;
            case Csr.MTVAL: return mtval;
            case Csr.MIP: return mip();
            case Csr.MVENDORID:
            case Csr.MARCHID:
            case Csr.MIMPID:
            case Csr.MCONFIGPTR:
                return 0;
            case Csr.MHARTID: return hart.hartId;
            case Csr.MCYCLE: return mcycle;
            case Csr.MINSTRET: return minstret;
            case Csr.TSELECT:
            case Csr.TDATA1:
            case Csr.TDATA2:
            case Csr.TDATA3:
                return 0; // no debug triggers: tdata1.type reads 0 ("no trigger at this index")
            default:
                return readRanges(csr, priv);
        }
    }

    private long readRanges(int csr, int priv) {
        if (csr >= Csr.CYCLE && csr <= Csr.HPMCOUNTER31) {
            checkCounterAccess(csr - Csr.CYCLE, priv);
            switch (csr) {
                case Csr.CYCLE: return mcycle;
                case Csr.TIME: return hart.time();
                case Csr.INSTRET: return minstret;
                default: return 0;
            }
        }
        if ((csr >= Csr.MHPMCOUNTER3 && csr <= Csr.MHPMCOUNTER31) || (csr >= Csr.MHPMEVENT3 && csr <= Csr.MHPMEVENT31)) {
            return 0; // no hardware performance monitor events: hardwired to zero
        }
        if (csr >= Csr.PMPCFG0 && csr <= Csr.PMPCFG15) {
            final int reg = csr - Csr.PMPCFG0;
            if ((reg & 1) != 0) {
                throw illegal(); // odd pmpcfg registers do not exist on RV64
            }
            return hart.pmp.readCfg(reg);
        }
        if (csr >= Csr.PMPADDR0 && csr <= Csr.PMPADDR63) {
            final int e = csr - Csr.PMPADDR0;
            return e < Pmp.ENTRIES ? hart.pmp.readAddr(e) : 0;
        }
        throw illegal();
    }

    private void checkCounterAccess(int counter, int priv) {
        if (priv < Priv.M && ((mcounteren >>> counter) & 1) == 0) {
            throw illegal();
        }
        if (priv < Priv.S && ((scounteren >>> counter) & 1) == 0) {
            throw illegal();
        }
    }

    /** Executes the write half of a Zicsr instruction; {@link #read} has already checked access. */
    void write(int csr, long v) {
        switch (csr) {
            case Csr.FFLAGS:
                hart.fpStatus.flags = (int) v & FpFlags.ALL;
                markFpDirty();
                break;
            case Csr.FRM:
                frm = (int) v & 7;
                markFpDirty();
                break;
            case Csr.FCSR:
                hart.fpStatus.flags = (int) v & FpFlags.ALL;
                frm = (int) (v >>> 5) & 7;
                markFpDirty();
                break;
            case Csr.SSTATUS:
                setMstatus((mstatus & ~MStatus.S_WRITABLE) | (v & MStatus.S_WRITABLE));
                break;
            case Csr.SIE:
                mie = (mie & ~mideleg) | (v & mideleg);
                break;
            case Csr.STVEC: stvec = legalTvec(stvec, v); break;
            case Csr.SCOUNTEREN: scounteren = (int) v; break;
            case Csr.SENVCFG: senvcfg = v & ENVCFG_FIOM; break;
            case Csr.SSCRATCH: sscratch = v; break;
            case Csr.SEPC: sepc = v & ~1L; break;
            case Csr.SCAUSE: scause = v; break;
            case Csr.STVAL: stval = v; break;
            case Csr.SIP: {
                final long writable = mideleg & (1L << Cause.SSI);
                mipSoftware = (mipSoftware & ~writable) | (v & writable);
                break;
            }
            case Csr.SATP: writeSatp(v); break;
            case Csr.MSTATUS: setMstatus((mstatus & ~MStatus.M_WRITABLE) | (v & MStatus.M_WRITABLE)); break;
            case Csr.MISA: break; // read-only: the extensions cannot be switched off
            case Csr.MEDELEG: medeleg = v & DELEGABLE_EXCEPTIONS; break;
            case Csr.MIDELEG: mideleg = v & S_INTERRUPTS; break;
            case Csr.MIE: mie = v & ALL_INTERRUPTS; break;
            case Csr.MTVEC: mtvec = legalTvec(mtvec, v); break;
            case Csr.MCOUNTEREN: mcounteren = (int) v; break;
            case Csr.MENVCFG: menvcfg = v & ENVCFG_FIOM; break;
            case Csr.MCOUNTINHIBIT: mcountinhibit = (int) v & 0b101; break; // CY and IR; TM does not exist
            case Csr.MSCRATCH: mscratch = v; break;
            case Csr.MEPC: mepc = v & ~1L; break;
            case Csr.MCAUSE: mcause = v; break;
            case Csr.MTVAL: mtval = v; break;
            case Csr.MIP: mipSoftware = (mipSoftware & ~MIP_WRITABLE) | (v & MIP_WRITABLE); break;
            case Csr.MCYCLE: mcycle = v; hart.suppressCounterIncrement(); break;
            case Csr.MINSTRET: minstret = v; hart.suppressCounterIncrement(); break;
            case Csr.TSELECT:
            case Csr.TDATA1:
            case Csr.TDATA2:
            case Csr.TDATA3:
                break;
            default:
                writeRanges(csr, v);
        }
    }

    private void writeRanges(int csr, long v) {
        if (csr >= Csr.PMPCFG0 && csr <= Csr.PMPCFG15) {
            final int reg = csr - Csr.PMPCFG0;
            if (reg < Pmp.ENTRIES / 4) {
                hart.pmp.writeCfg(reg, v);
                hart.mmu.flush();
            }
        } else if (csr >= Csr.PMPADDR0 && csr <= Csr.PMPADDR63) {
            final int e = csr - Csr.PMPADDR0;
            if (e < Pmp.ENTRIES) {
                hart.pmp.writeAddr(e, v);
                hart.mmu.flush();
            }
        }
        // mhpmcounter/mhpmevent: hardwired zero, writes ignored
    }

    /** FP instructions and the FP CSRs are illegal while mstatus.FS is Off. */
    void checkFpEnabled() {
        if ((mstatus & MStatus.FS) == MStatus.FS_OFF) {
            throw illegal();
        }
    }

    /** Any change to FP state (f registers, fflags, frm) sets FS to Dirty, and so SD. */
    void markFpDirty() {
        mstatus |= MStatus.FS_DIRTY | MStatus.SD;
    }

    long sstatus() {
        return mstatus & MStatus.S_VIEW;
    }

    void setMstatus(long v) {
        if (((v >>> MStatus.MPP_SHIFT) & 3) == 2) {
            v = (v & ~MStatus.MPP) | (mstatus & MStatus.MPP); // MPP = 2 is not a mode: keep the old value
        }
        final long fs = v & MStatus.FS;
        v &= ~MStatus.SD;
        if (fs == MStatus.FS) {
            v |= MStatus.SD;
        }
        mstatus = v | MStatus.XLEN_FIELDS;
        hart.mmu.contextChanged();
    }

    private void writeSatp(long v) {
        final long mode = v >>> SATP_MODE_SHIFT;
        if (mode != SATP_BARE && mode != SATP_SV39 && mode != SATP_SV48 && mode != SATP_SV57) {
            return; // unsupported mode: the whole write has no effect (the kernel probes modes this way)
        }
        satp = mode == SATP_BARE ? 0 : v & ((0xfL << SATP_MODE_SHIFT) | SATP_ASID_MASK | SATP_PPN_MASK);
        hart.mmu.flush();
    }

    private static long legalTvec(long old, long v) {
        final long mode = v & 3;
        if (mode >= 2) {
            return (v & ~3L) | (old & 3); // reserved mode: keep the old mode, take the base
        }
        return v;
    }

    private Trap illegal() {
        return hart.illegal(hart.currentInsnBits);
    }
}
