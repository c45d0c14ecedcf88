package io.sublet.isa;

/**
 * Operand layout of an instruction: which fields the decoder extracts into {@link Insn}, from which register
 * file they come, and how the disassembler spells them. Named after the assembler syntax rather than the spec's
 * R/I/S/B/U/J encoding types, because two instructions of one encoding type can still differ in their operands
 * ({@code addi rd,rs1,imm} and {@code ld rd,imm(rs1)} are both I-type).
 *
 * <p>In the operand lists below {@code x} is an integer register, {@code f} a floating-point register and
 * {@code [,rm]} a rounding mode that is printed only when it is not the default.
 */
public enum Format {
    /** {@code xd, xs1, xs2}. */
    R,
    /** {@code xd, xs1, imm}: 12-bit sign-extended immediate. */
    I,
    /**
     * {@code xd, xs1, shamt}: the shift amount is taken from bits 25..20. The *W forms fix bit 25 to 0 in their
     * mask, so one extraction serves both the 6-bit and the 5-bit shift amounts.
     */
    SHIFT,
    /** {@code xd, imm(xs1)}: integer loads, and JALR, which has the same syntax. */
    LOAD,
    /** {@code xs2, imm(xs1)}: S-type immediate. */
    STORE,
    /** {@code xs1, xs2, target}: B-type immediate. */
    BRANCH,
    /** {@code xd, imm20}: {@link Insn#imm} holds the value already shifted left by 12. */
    U,
    /** {@code xd, target}: J-type immediate. */
    JAL,
    /** {@code xd, csr, xs1}: {@link Insn#imm} holds the CSR number. */
    CSR,
    /** {@code xd, csr, uimm}: the 5-bit immediate sits in {@link Insn#rs1}. */
    CSRI,
    /** {@code pred, succ}: {@link Insn#imm} holds {@code fm << 8 | pred << 4 | succ}; rd and rs1 are ignored. */
    FENCE,
    /** No operands; every field beyond those in the mask is ignored. */
    NONE,
    /** {@code xs1, xs2}. */
    SFENCE,
    /** {@code xd, (xs1)}: load-reserved; {@link Insn#imm} holds {@code aq << 1 | rl}. */
    LR,
    /** {@code xd, xs2, (xs1)}: store-conditional and AMOs; {@link Insn#imm} holds {@code aq << 1 | rl}. */
    AMO,
    /** {@code fd, imm(xs1)}. */
    FLOAD,
    /** {@code fs2, imm(xs1)}. */
    FSTORE,
    /** {@code fd, fs1, fs2, fs3 [,rm]}: fused multiply-add. */
    R4,
    /** {@code fd, fs1, fs2 [,rm]}. */
    FFF_RM,
    /** {@code fd, fs1, fs2}: funct3 selects the operation, there is no rounding mode. */
    FFF,
    /** {@code xd, fs1, fs2}: comparisons. */
    XFF,
    /** {@code fd, fs1 [,rm]}: square root and conversions between precisions. */
    FF_RM,
    /** {@code xd, fs1 [,rm]}: conversions to integer. */
    XF_RM,
    /** {@code fd, xs1 [,rm]}: conversions from integer. */
    FX_RM,
    /** {@code xd, fs1}: moves to integer registers and classification. */
    XF,
    /** {@code fd, xs1}: moves from integer registers. */
    FX;

    /**
     * True when bits 14..12 are a rounding mode: then {@link Insn#rm} holds them and the executor must check them
     * (the decoder accepts the reserved values 5 and 6). For every other format {@link Insn#rm} is 0.
     */
    public boolean hasRoundingMode() {
        return this == R4 || this == FFF_RM || this == FF_RM || this == XF_RM || this == FX_RM;
    }
}
