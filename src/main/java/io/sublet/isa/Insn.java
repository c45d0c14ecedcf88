package io.sublet.isa;

/**
 * One decoded instruction. Immutable; created once per instruction address by the decoder and then
 * executed many times, so every field is pre-extracted here and nothing is decoded on the hot path.
 *
 * <p>Compressed instructions decode into the base instruction they expand to ({@code c.addi} is an
 * {@link Opcode#ADDI} with {@link #length} 2), so they share the base semantics.
 *
 * <p>Meaning of {@link #imm} by kind of instruction:
 * <ul>
 *   <li>I/S/B/J/U formats: the sign-extended immediate (B/J: byte offset; U: already shifted left 12)</li>
 *   <li>shifts by immediate: the shift amount</li>
 *   <li>CSR instructions: the CSR number (0..4095); for the {@code CSRR?I} forms {@link #rs1} holds the 5-bit uimm</li>
 *   <li>LR/SC/AMO: {@code aq << 1 | rl}</li>
 *   <li>FENCE: {@code fm << 8 | pred << 4 | succ}</li>
 *   <li>everything else: 0</li>
 * </ul>
 */
public final class Insn {
    public final Opcode op;
    public final int rd;
    public final int rs1;
    public final int rs2;
    /** Third source register of the fused multiply-add forms. */
    public final int rs3;
    /** Rounding-mode field of floating-point instructions (7 = dynamic). */
    public final int rm;
    public final long imm;
    /** 2 for compressed instructions, else 4. */
    public final int length;
    /** The raw instruction bits (16 significant bits when compressed); stval/mtval of an illegal instruction. */
    public final int bits;

    public Insn(Opcode op, int rd, int rs1, int rs2, int rs3, int rm, long imm, int length, int bits) {
        this.op = op;
        this.rd = rd;
        this.rs1 = rs1;
        this.rs2 = rs2;
        this.rs3 = rs3;
        this.rm = rm;
        this.imm = imm;
        this.length = length;
        this.bits = bits;
    }

    @Override
    public String toString() {
        return Disassembler.format(this, 0);
    }
}
