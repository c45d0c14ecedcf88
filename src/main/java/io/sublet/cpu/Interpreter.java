package io.sublet.cpu;

import io.sublet.cpu.insn.RvI;
import io.sublet.cpu.insn.RvM;
import io.sublet.isa.Decoder;
import io.sublet.isa.Extension;
import io.sublet.isa.Insn;
import io.sublet.isa.Opcode;
import io.sublet.mem.Ram;
import java.nio.ByteBuffer;

/**
 * The reference execution engine. Instructions come decoded from the {@link CodeCache} (decoded once
 * per address), registers live in the hart's array, pc and the current code page in locals. Nothing
 * is allocated per instruction; a guest exception unwinds to the single handler outside the loop.
 *
 * <p>A slice ends early after any instruction that may change what the loop assumes: privilege,
 * translation, interrupt enables (CSR writes, xRET, fences, WFI). The caller then re-checks
 * interrupts and starts a new slice, so the loop itself never has to.
 */
final class Interpreter implements Engine {
    /** Why {@link #execute} last returned: the budget ran out, the slice was cut short, or it left the page. */
    static final int BUDGET = 0;
    static final int BOUNDARY = 1;
    static final int PAGE = 2;

    private final Hart hart;
    private final Mmu mmu;
    private final CodeCache code;
    private final FpExecutor fp;

    Interpreter(Hart hart, Mmu mmu, CodeCache code) {
        this.hart = hart;
        this.mmu = mmu;
        this.code = code;
        this.fp = new FpExecutor(hart, mmu);
    }

    private int exit;

    @Override
    public int execute(final int budget) {
        return execute(budget, false);
    }

    /** How the last {@link #execute(int, boolean)} ended: {@link #BUDGET}, {@link #BOUNDARY} or {@link #PAGE}. */
    int lastExit() {
        return exit;
    }

    /**
     * Runs like {@link #execute(int)}; with {@code untilTranslated} it also returns (as {@link #PAGE}) when pc
     * leaves the page it started on or reaches an instruction where translated code can be entered, so that
     * a translator's dispatcher gets control back as soon as it has something better to run.
     */
    int execute(final int budget, final boolean untilTranslated) {
        final long[] x = hart.x;
        final Mmu mmu = this.mmu;
        long pc = hart.pc;
        int n = 0;
        int credited = 0;
        long pageTag = -1;
        Insn[] page = null;
        int ramPage = -1;
        Object[] entries = null;
        exit = BOUNDARY;
        try {
            loop:
            while (n < budget) {
                if (pc >>> Ram.PAGE_SHIFT != pageTag) {
                    if (untilTranslated && n > 0) {
                        exit = PAGE;
                        break;
                    }
                    ramPage = mmu.fetchPage(pc);
                    page = ramPage >= 0 ? code.page(ramPage) : null;
                    entries = untilTranslated && ramPage >= 0 ? code.entries(ramPage) : null;
                    pageTag = pc >>> Ram.PAGE_SHIFT;
                }
                final int slot = ((int) pc & (Ram.PAGE_SIZE - 1)) >>> 1;
                if (entries != null && entries[slot] != null && n > 0) {
                    exit = PAGE;
                    break;
                }
                Insn in = page != null ? page[slot] : null;
                if (in == null) {
                    in = decodeAt(pc, page, slot, ramPage);
                }
                long npc = pc + in.length;
                switch (in.op) {
                    case LUI: x[in.rd] = in.imm; break;
                    case AUIPC: x[in.rd] = pc + in.imm; break;
                    case JAL: x[in.rd] = npc; npc = pc + in.imm; break;
                    case JALR: {
                        final long target = (x[in.rs1] + in.imm) & ~1L;
                        x[in.rd] = npc;
                        npc = target;
                        break;
                    }
                    case BEQ: if (x[in.rs1] == x[in.rs2]) npc = pc + in.imm; break;
                    case BNE: if (x[in.rs1] != x[in.rs2]) npc = pc + in.imm; break;
                    case BLT: if (x[in.rs1] < x[in.rs2]) npc = pc + in.imm; break;
                    case BGE: if (x[in.rs1] >= x[in.rs2]) npc = pc + in.imm; break;
                    case BLTU: if (RvI.bltu(x[in.rs1], x[in.rs2])) npc = pc + in.imm; break;
                    case BGEU: if (RvI.bgeu(x[in.rs1], x[in.rs2])) npc = pc + in.imm; break;
                    case LB: x[in.rd] = mmu.lb(x[in.rs1] + in.imm); break;
                    case LH: x[in.rd] = mmu.lh(x[in.rs1] + in.imm); break;
                    case LW: x[in.rd] = mmu.lw(x[in.rs1] + in.imm); break;
                    case LD: x[in.rd] = mmu.ld(x[in.rs1] + in.imm); break;
                    case LBU: x[in.rd] = mmu.lb(x[in.rs1] + in.imm) & 0xffL; break;
                    case LHU: x[in.rd] = mmu.lh(x[in.rs1] + in.imm) & 0xffffL; break;
                    case LWU: x[in.rd] = mmu.lw(x[in.rs1] + in.imm) & 0xffffffffL; break;
                    case SB: mmu.sb(x[in.rs1] + in.imm, x[in.rs2]); break;
                    case SH: mmu.sh(x[in.rs1] + in.imm, x[in.rs2]); break;
                    case SW: mmu.sw(x[in.rs1] + in.imm, x[in.rs2]); break;
                    case SD: mmu.sd(x[in.rs1] + in.imm, x[in.rs2]); break;
                    case ADDI: x[in.rd] = x[in.rs1] + in.imm; break;
                    case SLTI: x[in.rd] = RvI.slt(x[in.rs1], in.imm); break;
                    case SLTIU: x[in.rd] = RvI.sltu(x[in.rs1], in.imm); break;
                    case XORI: x[in.rd] = x[in.rs1] ^ in.imm; break;
                    case ORI: x[in.rd] = x[in.rs1] | in.imm; break;
                    case ANDI: x[in.rd] = x[in.rs1] & in.imm; break;
                    case SLLI: x[in.rd] = RvI.sll(x[in.rs1], in.imm); break;
                    case SRLI: x[in.rd] = RvI.srl(x[in.rs1], in.imm); break;
                    case SRAI: x[in.rd] = RvI.sra(x[in.rs1], in.imm); break;
                    case ADD: x[in.rd] = x[in.rs1] + x[in.rs2]; break;
                    case SUB: x[in.rd] = x[in.rs1] - x[in.rs2]; break;
                    case SLL: x[in.rd] = RvI.sll(x[in.rs1], x[in.rs2]); break;
                    case SLT: x[in.rd] = RvI.slt(x[in.rs1], x[in.rs2]); break;
                    case SLTU: x[in.rd] = RvI.sltu(x[in.rs1], x[in.rs2]); break;
                    case XOR: x[in.rd] = x[in.rs1] ^ x[in.rs2]; break;
                    case SRL: x[in.rd] = RvI.srl(x[in.rs1], x[in.rs2]); break;
                    case SRA: x[in.rd] = RvI.sra(x[in.rs1], x[in.rs2]); break;
                    case OR: x[in.rd] = x[in.rs1] | x[in.rs2]; break;
                    case AND: x[in.rd] = x[in.rs1] & x[in.rs2]; break;
                    case ADDIW: x[in.rd] = RvI.addw(x[in.rs1], in.imm); break;
                    case SLLIW: x[in.rd] = RvI.sllw(x[in.rs1], in.imm); break;
                    case SRLIW: x[in.rd] = RvI.srlw(x[in.rs1], in.imm); break;
                    case SRAIW: x[in.rd] = RvI.sraw(x[in.rs1], in.imm); break;
                    case ADDW: x[in.rd] = RvI.addw(x[in.rs1], x[in.rs2]); break;
                    case SUBW: x[in.rd] = RvI.subw(x[in.rs1], x[in.rs2]); break;
                    case SLLW: x[in.rd] = RvI.sllw(x[in.rs1], x[in.rs2]); break;
                    case SRLW: x[in.rd] = RvI.srlw(x[in.rs1], x[in.rs2]); break;
                    case SRAW: x[in.rd] = RvI.sraw(x[in.rs1], x[in.rs2]); break;
                    case MUL: x[in.rd] = x[in.rs1] * x[in.rs2]; break;
                    case MULH: x[in.rd] = RvM.mulh(x[in.rs1], x[in.rs2]); break;
                    case MULHSU: x[in.rd] = RvM.mulhsu(x[in.rs1], x[in.rs2]); break;
                    case MULHU: x[in.rd] = RvM.mulhu(x[in.rs1], x[in.rs2]); break;
                    case DIV: x[in.rd] = RvM.div(x[in.rs1], x[in.rs2]); break;
                    case DIVU: x[in.rd] = RvM.divu(x[in.rs1], x[in.rs2]); break;
                    case REM: x[in.rd] = RvM.rem(x[in.rs1], x[in.rs2]); break;
                    case REMU: x[in.rd] = RvM.remu(x[in.rs1], x[in.rs2]); break;
                    case MULW: x[in.rd] = RvM.mulw(x[in.rs1], x[in.rs2]); break;
                    case DIVW: x[in.rd] = RvM.divw(x[in.rs1], x[in.rs2]); break;
                    case DIVUW: x[in.rd] = RvM.divuw(x[in.rs1], x[in.rs2]); break;
                    case REMW: x[in.rd] = RvM.remw(x[in.rs1], x[in.rs2]); break;
                    case REMUW: x[in.rd] = RvM.remuw(x[in.rs1], x[in.rs2]); break;
                    case FENCE: break; // one hart, in-order, no caches to order
                    case FLW: case FSW: case FMADD_S: case FMSUB_S: case FNMSUB_S: case FNMADD_S:
                    case FADD_S: case FSUB_S: case FMUL_S: case FDIV_S: case FSQRT_S:
                    case FSGNJ_S: case FSGNJN_S: case FSGNJX_S: case FMIN_S: case FMAX_S:
                    case FCVT_W_S: case FCVT_WU_S: case FCVT_L_S: case FCVT_LU_S: case FMV_X_W:
                    case FEQ_S: case FLT_S: case FLE_S: case FCLASS_S:
                    case FCVT_S_W: case FCVT_S_WU: case FCVT_S_L: case FCVT_S_LU: case FMV_W_X:
                    case FLD: case FSD: case FMADD_D: case FMSUB_D: case FNMSUB_D: case FNMADD_D:
                    case FADD_D: case FSUB_D: case FMUL_D: case FDIV_D: case FSQRT_D:
                    case FSGNJ_D: case FSGNJN_D: case FSGNJX_D: case FMIN_D: case FMAX_D:
                    case FCVT_W_D: case FCVT_WU_D: case FCVT_L_D: case FCVT_LU_D:
                    case FEQ_D: case FLT_D: case FLE_D: case FCLASS_D:
                    case FCVT_D_W: case FCVT_D_WU: case FCVT_D_L: case FCVT_D_LU:
                    case FCVT_S_D: case FCVT_D_S: case FMV_X_D: case FMV_D_X:
                        fp.execute(in); // F and D live in FpExecutor, out of this method
                        break;
                    case LR_W: case LR_D: case SC_W: case SC_D:
                    case AMOSWAP_W: case AMOADD_W: case AMOXOR_W: case AMOAND_W: case AMOOR_W:
                    case AMOMIN_W: case AMOMAX_W: case AMOMINU_W: case AMOMAXU_W:
                    case AMOSWAP_D: case AMOADD_D: case AMOXOR_D: case AMOAND_D: case AMOOR_D:
                    case AMOMIN_D: case AMOMAX_D: case AMOMINU_D: case AMOMAXU_D:
                        atomic(in, x);
                        break;
                    case ECALL:
                        throw hart.trap.raise(Cause.ECALL_U + hart.priv, 0);
                    case EBREAK:
                        throw hart.trap.raise(Cause.BREAKPOINT, pc);
                    case CSRRW: case CSRRS: case CSRRC: case CSRRWI: case CSRRSI: case CSRRCI:
                        hart.retire(n - credited); // counters read by the instruction include everything before it
                        credited = n;
                        hart.csr(in);
                        pc = npc;
                        n++;
                        break loop;
                    case MRET:
                        pc = hart.mret(in);
                        n++;
                        break loop;
                    case SRET:
                        pc = hart.sret(in);
                        n++;
                        break loop;
                    case WFI:
                        hart.wfi(in);
                        pc = npc;
                        n++;
                        break loop;
                    case SFENCE_VMA:
                        hart.sfenceVma(in);
                        pc = npc;
                        n++;
                        break loop;
                    case FENCE_I:
                        // Stores already invalidate decoded code; end the slice so this page is fetched afresh.
                        pc = npc;
                        n++;
                        break loop;
                    default:
                        throw hart.illegal(in.bits);
                }
                x[0] = 0;
                pc = npc;
                n++;
            }
            if (n >= budget) {
                exit = BUDGET;
            }
        } catch (Trap t) {
            x[0] = 0;
            hart.pc = pc;
            hart.retire(n - credited);
            hart.takeTrap(t.cause(), t.tval(), pc);
            return n;
        }
        x[0] = 0;
        hart.pc = pc;
        hart.retire(n - credited);
        return n;
    }

    /**
     * Executes one F/D or A instruction on the hart's register arrays, for translated code that leaves these
     * to the interpreter's semantics. Guest exceptions are thrown as the hart's {@link Trap}.
     */
    void executeData(Insn in) {
        if (in.op.extension == Extension.A) {
            atomic(in, hart.x);
        } else {
            fp.execute(in);
        }
        hart.x[0] = 0;
    }

    /** Decodes the instruction at pc and caches it, unless it is not in cacheable RAM or spans two pages. */
    private Insn decodeAt(long pc, Insn[] page, int slot, int ramPage) {
        final Insn in = Decoder.decode(mmu.fetchBits(pc));
        final boolean spansPages = in.length == 4 && ((int) pc & (Ram.PAGE_SIZE - 1)) == Ram.PAGE_SIZE - 2;
        if (page != null && !spansPages) {
            page[slot] = in;
            code.markCode(ramPage);
        }
        return in;
    }

    private void atomic(Insn in, long[] x) {
        final long va = x[in.rs1];
        final ByteBuffer mem = mmu.memory();
        switch (in.op) {
            case LR_W: {
                final int i = mmu.loadReservedIndex(va, 4);
                hart.reservation = i;
                x[in.rd] = (int) Ram.LE32.getVolatile(mem, i);
                return;
            }
            case LR_D: {
                final int i = mmu.loadReservedIndex(va, 8);
                hart.reservation = i;
                x[in.rd] = (long) Ram.LE64.getVolatile(mem, i);
                return;
            }
            case SC_W:
            case SC_D: {
                final boolean word = in.op == Opcode.SC_W;
                final int i = mmu.atomicIndex(va, word ? 4 : 8, Cause.STORE_MISALIGNED);
                final boolean ok = hart.reservation == i;
                hart.reservation = -1;
                if (ok) {
                    if (word) {
                        Ram.LE32.setVolatile(mem, i, (int) x[in.rs2]);
                    } else {
                        Ram.LE64.setVolatile(mem, i, x[in.rs2]);
                    }
                }
                x[in.rd] = ok ? 0 : 1;
                return;
            }
            default:
                break;
        }
        final boolean word = Atomics.isWord(in.op);
        final int i = mmu.atomicIndex(va, word ? 4 : 8, Cause.STORE_MISALIGNED);
        x[in.rd] = word ? Atomics.amoW(in.op, mem, i, x[in.rs2]) : Atomics.amoD(in.op, mem, i, x[in.rs2]);
    }
}
