package io.sublet.isa;

/**
 * Field extraction for 32-bit encodings. The immediates are scrambled in the encoding so that the sign bit is
 * always bit 31 and register fields never move; each method puts the pieces back in order.
 *
 * <pre>
 *  31        25 24   20 19   15 14  12 11    7 6      0
 * +------------+-------+-------+------+-------+--------+
 * |   funct7   |  rs2  |  rs1  |funct3|  rd   | opcode |  R
 * |      imm[11:0]     |  rs1  |funct3|  rd   | opcode |  I
 * | imm[11:5]  |  rs2  |  rs1  |funct3|imm[4:0]| opcode |  S
 * |imm[12|10:5]|  rs2  |  rs1  |funct3|imm[4:1|11]|    |  B
 * |            imm[31:12]             |  rd   | opcode |  U
 * |     imm[20|10:1|11|19:12]         |  rd   | opcode |  J
 * +------------+-------+-------+------+-------+--------+
 * </pre>
 */
final class Fields {
    private Fields() {
    }

    static int rd(final int w) {
        return w >>> 7 & 0x1F;
    }

    static int rs1(final int w) {
        return w >>> 15 & 0x1F;
    }

    static int rs2(final int w) {
        return w >>> 20 & 0x1F;
    }

    static int rs3(final int w) {
        return w >>> 27;
    }

    static int funct3(final int w) {
        return w >>> 12 & 7;
    }

    static int immI(final int w) {
        return w >> 20;
    }

    static int immS(final int w) {
        return w >> 25 << 5 | w >>> 7 & 0x1F;
    }

    static int immB(final int w) {
        return w >> 31 << 12 | (w >>> 7 & 1) << 11 | (w >>> 25 & 0x3F) << 5 | (w >>> 8 & 0xF) << 1;
    }

    static int immU(final int w) {
        return w & 0xFFFFF000;
    }

    static int immJ(final int w) {
        return w >> 31 << 20 | (w >>> 12 & 0xFF) << 12 | (w >>> 20 & 1) << 11 | (w >>> 21 & 0x3FF) << 1;
    }

    /** Bits 25..20: the RV64 6-bit shift amount. */
    static int shamt(final int w) {
        return w >>> 20 & 0x3F;
    }

    /** Bits 31..20, zero-extended: a CSR number. */
    static int csr(final int w) {
        return w >>> 20;
    }

    /** Bits 26..25 of an AMO: {@code aq << 1 | rl}. */
    static int aqrl(final int w) {
        return w >>> 25 & 3;
    }

    /** Bits 31..20 of a FENCE: {@code fm << 8 | pred << 4 | succ}. */
    static int fence(final int w) {
        return w >>> 20;
    }
}
