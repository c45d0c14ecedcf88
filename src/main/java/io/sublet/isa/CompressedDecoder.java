package io.sublet.isa;

/**
 * Expands RV64C instructions into the base instructions they stand for (as QEMU's {@code insn16.decode} does),
 * so compressed code needs no semantics of its own: {@code c.addi a0,1} becomes an {@link Opcode#ADDI} with
 * {@code rd = rs1 = a0}, {@code imm = 1} and {@code length = 2}.
 *
 * <p>RVC is a switch on quadrant (bits 1..0) and funct3 (bits 15..13) rather than a table because its
 * immediates are scrambled differently in nearly every row and its reserved encodings depend on operand values
 * (an {@code rd} or immediate of zero), which masks cannot express. Source: the "C" chapter of the RISC-V
 * unprivileged spec, tables "Instruction listing for RVC, Quadrant 0/1/2", read for RV64.
 *
 * <p>HINT encodings (for example {@code c.nop} with a non-zero immediate, or {@code c.add} with {@code rd = x0})
 * are legal and decode to their base form, which then has no architectural effect. Reserved encodings decode to
 * {@link Opcode#ILLEGAL}.
 */
final class CompressedDecoder {
    private static final int LENGTH_16 = 2;
    private static final int SP = 2;
    private static final int RA = 1;

    private CompressedDecoder() {
    }

    /** Decodes the compressed instruction in the low 16 bits of {@code h}; the upper bits must be zero. */
    static Insn decode(final int h) {
        switch ((h & 3) << 3 | h >>> 13) {
            case 0: return addi4spn(h);
            case 1: return load(Opcode.FLD, h, uimmD(h));
            case 2: return load(Opcode.LW, h, uimmW(h));
            case 3: return load(Opcode.LD, h, uimmD(h));
            case 4: return illegal(h); // reserved (Zcb, which Sublet does not implement)
            case 5: return store(Opcode.FSD, h, uimmD(h));
            case 6: return store(Opcode.SW, h, uimmW(h));
            case 7: return store(Opcode.SD, h, uimmD(h));

            case 8: return insn(Opcode.ADDI, rd(h), rd(h), 0, immCI(h), h);
            case 9: return rd(h) == 0 ? illegal(h) : insn(Opcode.ADDIW, rd(h), rd(h), 0, immCI(h), h);
            case 10: return insn(Opcode.ADDI, rd(h), 0, 0, immCI(h), h);
            case 11: return rd(h) == SP ? addi16sp(h) : lui(h);
            case 12: return miscAlu(h);
            case 13: return insn(Opcode.JAL, 0, 0, 0, immCJ(h), h);
            case 14: return insn(Opcode.BEQ, 0, rs1p(h), 0, immCB(h), h);
            case 15: return insn(Opcode.BNE, 0, rs1p(h), 0, immCB(h), h);

            case 16: return insn(Opcode.SLLI, rd(h), rd(h), 0, shamt(h), h);
            case 17: return insn(Opcode.FLD, rd(h), SP, 0, uimmLdsp(h), h);
            case 18: return rd(h) == 0 ? illegal(h) : insn(Opcode.LW, rd(h), SP, 0, uimmLwsp(h), h);
            case 19: return rd(h) == 0 ? illegal(h) : insn(Opcode.LD, rd(h), SP, 0, uimmLdsp(h), h);
            case 20: return jumpMoveAdd(h);
            case 21: return insn(Opcode.FSD, 0, SP, rs2(h), uimmSdsp(h), h);
            case 22: return insn(Opcode.SW, 0, SP, rs2(h), uimmSwsp(h), h);
            case 23: return insn(Opcode.SD, 0, SP, rs2(h), uimmSdsp(h), h);
            default: throw new AssertionError("not a compressed instruction: " + Integer.toHexString(h));
        }
    }

    private static Insn addi4spn(final int h) {
        // nzuimm[5:4|9:6|2|3] in bits 12..5; zero (which includes the all-zero halfword) is reserved.
        final int imm = (h >>> 11 & 3) << 4 | (h >>> 7 & 0xF) << 6 | (h >>> 6 & 1) << 2 | (h >>> 5 & 1) << 3;
        return imm == 0 ? illegal(h) : insn(Opcode.ADDI, rdp(h), SP, 0, imm, h);
    }

    private static Insn addi16sp(final int h) {
        // nzimm[9] in bit 12, nzimm[4|6|8:7|5] in bits 6..2.
        final int imm = -(h >>> 12 & 1) << 9 | (h >>> 6 & 1) << 4 | (h >>> 5 & 1) << 6
            | (h >>> 3 & 3) << 7 | (h >>> 2 & 1) << 5;
        return imm == 0 ? illegal(h) : insn(Opcode.ADDI, SP, SP, 0, imm, h);
    }

    private static Insn lui(final int h) {
        final int imm = immCI(h);
        return imm == 0 ? illegal(h) : insn(Opcode.LUI, rd(h), 0, 0, (long) imm << 12, h);
    }

    private static Insn miscAlu(final int h) {
        final int rd = rs1p(h);
        switch (h >>> 10 & 3) {
            case 0: return insn(Opcode.SRLI, rd, rd, 0, shamt(h), h);
            case 1: return insn(Opcode.SRAI, rd, rd, 0, shamt(h), h);
            case 2: return insn(Opcode.ANDI, rd, rd, 0, immCI(h), h);
            default:
                final int rs2 = rdp(h);
                switch ((h >>> 12 & 1) << 2 | h >>> 5 & 3) {
                    case 0: return insn(Opcode.SUB, rd, rd, rs2, 0, h);
                    case 1: return insn(Opcode.XOR, rd, rd, rs2, 0, h);
                    case 2: return insn(Opcode.OR, rd, rd, rs2, 0, h);
                    case 3: return insn(Opcode.AND, rd, rd, rs2, 0, h);
                    case 4: return insn(Opcode.SUBW, rd, rd, rs2, 0, h);
                    case 5: return insn(Opcode.ADDW, rd, rd, rs2, 0, h);
                    default: return illegal(h); // reserved (Zcb's c.mul and c.zext.* etc. live here)
                }
        }
    }

    private static Insn jumpMoveAdd(final int h) {
        final int rd = rd(h);
        final int rs2 = rs2(h);
        final boolean link = (h >>> 12 & 1) != 0;
        if (rs2 != 0) {
            return insn(Opcode.ADD, rd, link ? rd : 0, rs2, 0, h); // c.add / c.mv
        }
        if (rd == 0) {
            return link ? insn(Opcode.EBREAK, 0, 0, 0, 0, h) : illegal(h); // c.jr x0 is reserved
        }
        return insn(Opcode.JALR, link ? RA : 0, rd, 0, 0, h); // c.jalr / c.jr
    }

    private static Insn load(final Opcode op, final int h, final int imm) {
        return insn(op, rdp(h), rs1p(h), 0, imm, h);
    }

    private static Insn store(final Opcode op, final int h, final int imm) {
        return insn(op, 0, rs1p(h), rdp(h), imm, h);
    }

    private static Insn insn(final Opcode op, final int rd, final int rs1, final int rs2, final long imm, final int h) {
        return new Insn(op, rd, rs1, rs2, 0, 0, imm, LENGTH_16, h);
    }

    private static Insn illegal(final int h) {
        return Decoder.illegal(h, LENGTH_16);
    }

    // Register fields. The three-bit forms (rd', rs1', rs2') name x8..x15 (or f8..f15).

    private static int rd(final int h) {
        return h >>> 7 & 0x1F;
    }

    private static int rs2(final int h) {
        return h >>> 2 & 0x1F;
    }

    private static int rdp(final int h) {
        return 8 + (h >>> 2 & 7);
    }

    private static int rs1p(final int h) {
        return 8 + (h >>> 7 & 7);
    }

    // Immediates, named after the format or instruction that scrambles them that way.

    /** CI: imm[5] in bit 12, imm[4:0] in bits 6..2, sign-extended. */
    private static int immCI(final int h) {
        return -(h >>> 12 & 1) << 5 | h >>> 2 & 0x1F;
    }

    /** Shift amount of c.slli/c.srli/c.srai: the CI bits, zero-extended (all 64 values are legal on RV64). */
    private static int shamt(final int h) {
        return (h >>> 12 & 1) << 5 | h >>> 2 & 0x1F;
    }

    /** CJ: offset[11|4|9:8|10|6|7|3:1|5] in bits 12..2. */
    private static int immCJ(final int h) {
        return -(h >>> 12 & 1) << 11 | (h >>> 11 & 1) << 4 | (h >>> 9 & 3) << 8 | (h >>> 8 & 1) << 10
            | (h >>> 7 & 1) << 6 | (h >>> 6 & 1) << 7 | (h >>> 3 & 7) << 1 | (h >>> 2 & 1) << 5;
    }

    /** CB branches: offset[8|4:3] in bits 12..10, offset[7:6|2:1|5] in bits 6..2. */
    private static int immCB(final int h) {
        return -(h >>> 12 & 1) << 8 | (h >>> 10 & 3) << 3 | (h >>> 5 & 3) << 6 | (h >>> 3 & 3) << 1
            | (h >>> 2 & 1) << 5;
    }

    /** CL/CS word: uimm[5:3] in bits 12..10, uimm[2|6] in bits 6..5. */
    private static int uimmW(final int h) {
        return (h >>> 10 & 7) << 3 | (h >>> 6 & 1) << 2 | (h >>> 5 & 1) << 6;
    }

    /** CL/CS doubleword: uimm[5:3] in bits 12..10, uimm[7:6] in bits 6..5. */
    private static int uimmD(final int h) {
        return (h >>> 10 & 7) << 3 | (h >>> 5 & 3) << 6;
    }

    /** c.lwsp: uimm[5] in bit 12, uimm[4:2|7:6] in bits 6..2. */
    private static int uimmLwsp(final int h) {
        return (h >>> 12 & 1) << 5 | (h >>> 4 & 7) << 2 | (h >>> 2 & 3) << 6;
    }

    /** c.ldsp/c.fldsp: uimm[5] in bit 12, uimm[4:3|8:6] in bits 6..2. */
    private static int uimmLdsp(final int h) {
        return (h >>> 12 & 1) << 5 | (h >>> 5 & 3) << 3 | (h >>> 2 & 7) << 6;
    }

    /** c.swsp: uimm[5:2|7:6] in bits 12..7. */
    private static int uimmSwsp(final int h) {
        return (h >>> 9 & 0xF) << 2 | (h >>> 7 & 3) << 6;
    }

    /** c.sdsp/c.fsdsp: uimm[5:3|8:6] in bits 12..7. */
    private static int uimmSdsp(final int h) {
        return (h >>> 10 & 7) << 3 | (h >>> 7 & 7) << 6;
    }
}
