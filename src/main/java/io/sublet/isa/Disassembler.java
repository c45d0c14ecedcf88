package io.sublet.isa;

import static io.sublet.isa.RegisterNames.f;
import static io.sublet.isa.RegisterNames.x;

/**
 * Formats decoded instructions in GNU objdump's canonical spelling ({@code objdump -d -M no-aliases}): ABI
 * register names, mnemonic and operands separated by a tab, operands by commas without spaces, absolute branch
 * targets in hex, shift amounts and {@code lui}/{@code auipc} immediates in hex, other immediates in decimal.
 * Pseudo-instructions are never used, so the text names exactly the instruction that executes; a compressed
 * instruction prints as the base instruction it expands to ({@code c.mv a0,a1} as {@code add a0,zero,a1}).
 *
 * <p>Where objdump has no spelling Sublet prints its own: an empty FENCE set is {@code 0} (objdump says
 * {@code unknown}), and an illegal encoding is {@code .4byte 0x...} or {@code .2byte 0x...}.
 */
public final class Disassembler {
    private static final String[] ROUNDING = {"rne", "rtz", "rdn", "rup", "rmm", "unknown", "unknown", "dyn"};
    private static final int RM_DYNAMIC = 7;

    private Disassembler() {
    }

    /** One instruction as text; {@code pc} is its address, used for branch and jump targets. */
    public static String format(final Insn insn, final long pc) {
        final Opcode op = insn.op;
        if (op == Opcode.ILLEGAL) {
            return (insn.length == 2 ? ".2byte\t0x" : ".4byte\t0x") + Integer.toHexString(insn.bits);
        }
        final StringBuilder s = new StringBuilder(40).append(op.mnemonic);
        switch (op.format) {
            case R: return ops(s, x(insn.rd), x(insn.rs1), x(insn.rs2));
            case I: return ops(s, x(insn.rd), x(insn.rs1), Long.toString(insn.imm));
            case SHIFT: return ops(s, x(insn.rd), x(insn.rs1), hex(insn.imm));
            case LOAD: return ops(s, x(insn.rd), address(insn));
            case FLOAD: return ops(s, f(insn.rd), address(insn));
            case STORE: return ops(s, x(insn.rs2), address(insn));
            case FSTORE: return ops(s, f(insn.rs2), address(insn));
            case BRANCH: return ops(s, x(insn.rs1), x(insn.rs2), target(pc, insn));
            case U: return ops(s, x(insn.rd), hex(insn.imm >>> 12 & 0xFFFFF));
            case JAL: return ops(s, x(insn.rd), target(pc, insn));
            case CSR: return ops(s, x(insn.rd), CsrNames.format((int) insn.imm), x(insn.rs1));
            case CSRI: return ops(s, x(insn.rd), CsrNames.format((int) insn.imm), Integer.toString(insn.rs1));
            case FENCE: return fence(s, (int) insn.imm);
            case NONE: return s.toString();
            case SFENCE: return ops(s, x(insn.rs1), x(insn.rs2));
            case LR: return ops(orderingSuffix(s, insn), x(insn.rd), "(" + x(insn.rs1) + ")");
            case AMO: return ops(orderingSuffix(s, insn), x(insn.rd), x(insn.rs2), "(" + x(insn.rs1) + ")");
            case R4: return rm(ops(s, f(insn.rd), f(insn.rs1), f(insn.rs2), f(insn.rs3)), insn);
            case FFF_RM: return rm(ops(s, f(insn.rd), f(insn.rs1), f(insn.rs2)), insn);
            case FFF: return ops(s, f(insn.rd), f(insn.rs1), f(insn.rs2));
            case XFF: return ops(s, x(insn.rd), f(insn.rs1), f(insn.rs2));
            case FF_RM: return rm(ops(s, f(insn.rd), f(insn.rs1)), insn);
            case XF_RM: return rm(ops(s, x(insn.rd), f(insn.rs1)), insn);
            case FX_RM: return rm(ops(s, f(insn.rd), x(insn.rs1)), insn);
            case XF: return ops(s, x(insn.rd), f(insn.rs1));
            case FX: return ops(s, f(insn.rd), x(insn.rs1));
            default: throw new AssertionError(op.format);
        }
    }

    private static String ops(final StringBuilder s, final String... operands) {
        for (int i = 0; i < operands.length; i++) {
            s.append(i == 0 ? '\t' : ',').append(operands[i]);
        }
        return s.toString();
    }

    private static String address(final Insn insn) {
        return insn.imm + "(" + x(insn.rs1) + ")";
    }

    private static String target(final long pc, final Insn insn) {
        return Long.toHexString(pc + insn.imm);
    }

    private static String hex(final long value) {
        return "0x" + Long.toHexString(value);
    }

    private static StringBuilder orderingSuffix(final StringBuilder s, final Insn insn) {
        switch ((int) insn.imm & 3) {
            case 1: return s.append(".rl");
            case 2: return s.append(".aq");
            case 3: return s.append(".aqrl");
            default: return s;
        }
    }

    /**
     * Appends the rounding mode unless it is the default. For conversions that are always exact GNU as writes
     * {@code rne} (0) rather than {@code dyn} and objdump leaves that out, so their default is 0.
     */
    private static String rm(final String text, final Insn insn) {
        final boolean exact = insn.op == Opcode.FCVT_D_S || insn.op == Opcode.FCVT_D_W || insn.op == Opcode.FCVT_D_WU;
        return insn.rm == (exact ? 0 : RM_DYNAMIC) ? text : text + "," + ROUNDING[insn.rm & 7];
    }

    private static String fence(final StringBuilder s, final int fields) {
        if (fields == 0x833) {
            return "fence.tso"; // fm=TSO with pred=succ=rw; other fm values are reserved and act as plain fences
        }
        return s.append('\t').append(ioSet(fields >>> 4 & 0xF)).append(',').append(ioSet(fields & 0xF)).toString();
    }

    private static String ioSet(final int bits) {
        if (bits == 0) {
            return "0";
        }
        final StringBuilder s = new StringBuilder(4);
        if ((bits & 8) != 0) {
            s.append('i');
        }
        if ((bits & 4) != 0) {
            s.append('o');
        }
        if ((bits & 2) != 0) {
            s.append('r');
        }
        if ((bits & 1) != 0) {
            s.append('w');
        }
        return s.toString();
    }
}
