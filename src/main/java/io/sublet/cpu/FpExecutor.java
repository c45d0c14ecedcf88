package io.sublet.cpu;

import io.sublet.cpu.insn.Fp;
import io.sublet.cpu.insn.FpFlags;
import io.sublet.cpu.insn.FpStatus;
import io.sublet.cpu.insn.RvD;
import io.sublet.cpu.insn.RvF;
import io.sublet.isa.Format;
import io.sublet.isa.Insn;

/**
 * Executes the F and D instructions for the {@link Interpreter}, which hands over every FP opcode from one case
 * group so that its own dispatch stays small. The semantics are {@link RvF} and {@link RvD}; this class adds what
 * belongs to the hart: mstatus.FS (Off makes every FP instruction illegal; any change of FP state makes it
 * Dirty), the rounding-mode field (7 selects frm; 5, 6 and a dynamic frm of 5..7 are illegal), the register
 * files and memory.
 */
final class FpExecutor {
    private final Hart hart;
    private final Mmu mmu;
    private final Csrs csrs;
    private final long[] x;
    private final long[] f;
    private final FpStatus st;

    FpExecutor(Hart hart, Mmu mmu) {
        this.hart = hart;
        this.mmu = mmu;
        this.csrs = hart.csrs;
        this.x = hart.x;
        this.f = hart.f;
        this.st = hart.fpStatus;
    }

    /** Executes one F/D instruction; guest exceptions are thrown as the hart's {@link Trap}. */
    void execute(Insn in) {
        final long fs = csrs.mstatus & MStatus.FS;
        if (fs == MStatus.FS_DIRTY) {
            run(in); // the steady state: nothing to track
            return;
        }
        if (fs == MStatus.FS_OFF) {
            throw hart.illegal(in.bits);
        }
        final int flagsBefore = st.flags;
        run(in);
        if (writesF(in.op.format) || st.flags != flagsBefore) {
            csrs.markFpDirty();
        }
    }

    private void run(Insn in) {
        final long[] x = this.x;
        final long[] f = this.f;
        final FpStatus st = this.st;
        switch (in.op) {
            case FLW: f[in.rd] = Fp.BOX | (mmu.lw(x[in.rs1] + in.imm) & 0xffffffffL); break;
            case FLD: f[in.rd] = mmu.ld(x[in.rs1] + in.imm); break;
            case FSW: mmu.sw(x[in.rs1] + in.imm, f[in.rs2]); break;
            case FSD: mmu.sd(x[in.rs1] + in.imm, f[in.rs2]); break;

            case FMADD_S: f[in.rd] = RvF.fmadd(f[in.rs1], f[in.rs2], f[in.rs3], rm(in), st); break;
            case FMSUB_S: f[in.rd] = RvF.fmsub(f[in.rs1], f[in.rs2], f[in.rs3], rm(in), st); break;
            case FNMSUB_S: f[in.rd] = RvF.fnmsub(f[in.rs1], f[in.rs2], f[in.rs3], rm(in), st); break;
            case FNMADD_S: f[in.rd] = RvF.fnmadd(f[in.rs1], f[in.rs2], f[in.rs3], rm(in), st); break;
            case FADD_S: f[in.rd] = RvF.fadd(f[in.rs1], f[in.rs2], rm(in), st); break;
            case FSUB_S: f[in.rd] = RvF.fsub(f[in.rs1], f[in.rs2], rm(in), st); break;
            case FMUL_S: f[in.rd] = RvF.fmul(f[in.rs1], f[in.rs2], rm(in), st); break;
            case FDIV_S: f[in.rd] = RvF.fdiv(f[in.rs1], f[in.rs2], rm(in), st); break;
            case FSQRT_S: f[in.rd] = RvF.fsqrt(f[in.rs1], rm(in), st); break;
            case FSGNJ_S: f[in.rd] = RvF.fsgnj(f[in.rs1], f[in.rs2]); break;
            case FSGNJN_S: f[in.rd] = RvF.fsgnjn(f[in.rs1], f[in.rs2]); break;
            case FSGNJX_S: f[in.rd] = RvF.fsgnjx(f[in.rs1], f[in.rs2]); break;
            case FMIN_S: f[in.rd] = RvF.fmin(f[in.rs1], f[in.rs2], st); break;
            case FMAX_S: f[in.rd] = RvF.fmax(f[in.rs1], f[in.rs2], st); break;
            case FCVT_W_S: x[in.rd] = RvF.fcvtWS(f[in.rs1], rm(in), st); break;
            case FCVT_WU_S: x[in.rd] = RvF.fcvtWuS(f[in.rs1], rm(in), st); break;
            case FCVT_L_S: x[in.rd] = RvF.fcvtLS(f[in.rs1], rm(in), st); break;
            case FCVT_LU_S: x[in.rd] = RvF.fcvtLuS(f[in.rs1], rm(in), st); break;
            case FMV_X_W: x[in.rd] = RvF.fmvXW(f[in.rs1]); break;
            case FEQ_S: x[in.rd] = RvF.feq(f[in.rs1], f[in.rs2], st); break;
            case FLT_S: x[in.rd] = RvF.flt(f[in.rs1], f[in.rs2], st); break;
            case FLE_S: x[in.rd] = RvF.fle(f[in.rs1], f[in.rs2], st); break;
            case FCLASS_S: x[in.rd] = RvF.fclass(f[in.rs1]); break;
            case FCVT_S_W: f[in.rd] = RvF.fcvtSW(x[in.rs1], rm(in), st); break;
            case FCVT_S_WU: f[in.rd] = RvF.fcvtSWu(x[in.rs1], rm(in), st); break;
            case FCVT_S_L: f[in.rd] = RvF.fcvtSL(x[in.rs1], rm(in), st); break;
            case FCVT_S_LU: f[in.rd] = RvF.fcvtSLu(x[in.rs1], rm(in), st); break;
            case FMV_W_X: f[in.rd] = RvF.fmvWX(x[in.rs1]); break;

            case FMADD_D: f[in.rd] = RvD.fmadd(f[in.rs1], f[in.rs2], f[in.rs3], rm(in), st); break;
            case FMSUB_D: f[in.rd] = RvD.fmsub(f[in.rs1], f[in.rs2], f[in.rs3], rm(in), st); break;
            case FNMSUB_D: f[in.rd] = RvD.fnmsub(f[in.rs1], f[in.rs2], f[in.rs3], rm(in), st); break;
            case FNMADD_D: f[in.rd] = RvD.fnmadd(f[in.rs1], f[in.rs2], f[in.rs3], rm(in), st); break;
            case FADD_D: f[in.rd] = RvD.fadd(f[in.rs1], f[in.rs2], rm(in), st); break;
            case FSUB_D: f[in.rd] = RvD.fsub(f[in.rs1], f[in.rs2], rm(in), st); break;
            case FMUL_D: f[in.rd] = RvD.fmul(f[in.rs1], f[in.rs2], rm(in), st); break;
            case FDIV_D: f[in.rd] = RvD.fdiv(f[in.rs1], f[in.rs2], rm(in), st); break;
            case FSQRT_D: f[in.rd] = RvD.fsqrt(f[in.rs1], rm(in), st); break;
            case FSGNJ_D: f[in.rd] = RvD.fsgnj(f[in.rs1], f[in.rs2]); break;
            case FSGNJN_D: f[in.rd] = RvD.fsgnjn(f[in.rs1], f[in.rs2]); break;
            case FSGNJX_D: f[in.rd] = RvD.fsgnjx(f[in.rs1], f[in.rs2]); break;
            case FMIN_D: f[in.rd] = RvD.fmin(f[in.rs1], f[in.rs2], st); break;
            case FMAX_D: f[in.rd] = RvD.fmax(f[in.rs1], f[in.rs2], st); break;
            case FCVT_W_D: x[in.rd] = RvD.fcvtWD(f[in.rs1], rm(in), st); break;
            case FCVT_WU_D: x[in.rd] = RvD.fcvtWuD(f[in.rs1], rm(in), st); break;
            case FCVT_L_D: x[in.rd] = RvD.fcvtLD(f[in.rs1], rm(in), st); break;
            case FCVT_LU_D: x[in.rd] = RvD.fcvtLuD(f[in.rs1], rm(in), st); break;
            case FEQ_D: x[in.rd] = RvD.feq(f[in.rs1], f[in.rs2], st); break;
            case FLT_D: x[in.rd] = RvD.flt(f[in.rs1], f[in.rs2], st); break;
            case FLE_D: x[in.rd] = RvD.fle(f[in.rs1], f[in.rs2], st); break;
            case FCLASS_D: x[in.rd] = RvD.fclass(f[in.rs1]); break;
            case FCVT_D_W: rm(in); f[in.rd] = RvD.fcvtDW(x[in.rs1]); break;
            case FCVT_D_WU: rm(in); f[in.rd] = RvD.fcvtDWu(x[in.rs1]); break;
            case FCVT_D_L: f[in.rd] = RvD.fcvtDL(x[in.rs1], rm(in), st); break;
            case FCVT_D_LU: f[in.rd] = RvD.fcvtDLu(x[in.rs1], rm(in), st); break;
            case FCVT_S_D: f[in.rd] = RvD.fcvtSD(f[in.rs1], rm(in), st); break;
            case FCVT_D_S: rm(in); f[in.rd] = RvD.fcvtDS(f[in.rs1], st); break;
            case FMV_X_D: x[in.rd] = f[in.rs1]; break;
            case FMV_D_X: f[in.rd] = x[in.rs1]; break;
            default:
                throw hart.illegal(in.bits);
        }
    }

    /** The instruction's rounding mode, 0..4, with rm = 7 taken from frm; the reserved ones are illegal. */
    private int rm(Insn in) {
        int rm = in.rm;
        if (rm == FpFlags.DYN) {
            rm = csrs.frm;
        }
        if (rm > FpFlags.RMM) {
            throw hart.illegal(in.bits);
        }
        return rm;
    }

    private static boolean writesF(Format format) {
        switch (format) {
            case FLOAD: case R4: case FFF_RM: case FFF: case FF_RM: case FX_RM: case FX:
                return true;
            default:
                return false;
        }
    }
}
