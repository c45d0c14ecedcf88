package io.sublet.jit;

import io.sublet.isa.Extension;
import io.sublet.isa.Format;
import io.sublet.isa.Insn;
import io.sublet.isa.Opcode;

/** How the translator treats each instruction: what it emits, and how control leaves it. */
enum Kind {
    /** Computes into a register from registers and immediates; cannot trap. */
    ALU,
    /** A load or store with the TLB fast path inlined; may trap on the slow path. */
    MEMORY,
    /** Conditional branch. */
    BRANCH,
    /** JAL. */
    JUMP,
    /** JALR. */
    JUMP_REGISTER,
    /** F, D and A instructions: run by the interpreter's semantics on the hart's arrays. */
    HELPER,
    /** FENCE: nothing to order on one hart; the memory-model work of SMP gives it a JVM fence. */
    NOP,
    /** Left to the interpreter: CSRs, xRET, WFI, fences of the MMU and caches, ecall, ebreak, illegal. */
    INTERPRETED;

    static Kind of(Insn in) {
        final Opcode op = in.op;
        switch (op) {
            case JAL: return JUMP;
            case JALR: return JUMP_REGISTER;
            case BEQ: case BNE: case BLT: case BGE: case BLTU: case BGEU: return BRANCH;
            case LB: case LH: case LW: case LD: case LBU: case LHU: case LWU:
            case SB: case SH: case SW: case SD:
                return MEMORY;
            case FENCE: return NOP;
            default:
                break;
        }
        if (op.extension == Extension.F || op.extension == Extension.D || op.extension == Extension.A) {
            return HELPER;
        }
        if ((op.extension == Extension.I || op.extension == Extension.M) && op.format != Format.NONE) {
            return ALU; // what is left of I and M: LUI, AUIPC and the computational instructions
        }
        return INTERPRETED;
    }

    /** Whether the instruction after this one runs next when this one completes without a trap. */
    boolean fallsThrough() {
        return this == ALU || this == MEMORY || this == HELPER || this == NOP || this == BRANCH;
    }

    /** Translated code for it exists. */
    boolean translated() {
        return this != INTERPRETED;
    }
}
