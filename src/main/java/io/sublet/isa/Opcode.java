package io.sublet.isa;

import static io.sublet.isa.Extension.A;
import static io.sublet.isa.Extension.D;
import static io.sublet.isa.Extension.F;
import static io.sublet.isa.Extension.I;
import static io.sublet.isa.Extension.M;
import static io.sublet.isa.Extension.PRIV;
import static io.sublet.isa.Extension.ZICSR;
import static io.sublet.isa.Extension.ZIFENCEI;

/**
 * Every instruction Sublet decodes, with its encoding as data: the table below is the only place where opcode
 * bits are written down. {@link Decoder} builds its lookup tables from it, {@link Disassembler} takes mnemonics
 * and operand syntax from it, and {@code EncodingOverlapTest} proves no two rows can match the same word.
 *
 * <p>Each pattern lists bits 31..0 as in the spec's opcode tables, spaces only for the reader: {@code 0}/{@code 1}
 * must match, {@code .} is an operand bit. {@link #match} and {@link #mask} are derived from it, so a word
 * {@code w} is this instruction iff {@code (w & mask) == match}. Source: the RV64GC opcode listings of the RISC-V
 * unprivileged spec (chapter "RV32/64G Instruction Set Listings") and the privileged spec.
 *
 * <p>Compressed instructions have no rows: {@link CompressedDecoder} expands them to these base instructions.
 */
public enum Opcode {
    //                 funct7  rs2   rs1   f3  rd    opcode
    LUI(              "....... ..... ..... ... ..... 0110111", Format.U, I),
    AUIPC(            "....... ..... ..... ... ..... 0010111", Format.U, I),
    JAL(              "....... ..... ..... ... ..... 1101111", Format.JAL, I),
    JALR(             "....... ..... ..... 000 ..... 1100111", Format.LOAD, I),
    BEQ(              "....... ..... ..... 000 ..... 1100011", Format.BRANCH, I),
    BNE(              "....... ..... ..... 001 ..... 1100011", Format.BRANCH, I),
    BLT(              "....... ..... ..... 100 ..... 1100011", Format.BRANCH, I),
    BGE(              "....... ..... ..... 101 ..... 1100011", Format.BRANCH, I),
    BLTU(             "....... ..... ..... 110 ..... 1100011", Format.BRANCH, I),
    BGEU(             "....... ..... ..... 111 ..... 1100011", Format.BRANCH, I),
    LB(               "....... ..... ..... 000 ..... 0000011", Format.LOAD, I),
    LH(               "....... ..... ..... 001 ..... 0000011", Format.LOAD, I),
    LW(               "....... ..... ..... 010 ..... 0000011", Format.LOAD, I),
    LD(               "....... ..... ..... 011 ..... 0000011", Format.LOAD, I),
    LBU(              "....... ..... ..... 100 ..... 0000011", Format.LOAD, I),
    LHU(              "....... ..... ..... 101 ..... 0000011", Format.LOAD, I),
    LWU(              "....... ..... ..... 110 ..... 0000011", Format.LOAD, I),
    SB(               "....... ..... ..... 000 ..... 0100011", Format.STORE, I),
    SH(               "....... ..... ..... 001 ..... 0100011", Format.STORE, I),
    SW(               "....... ..... ..... 010 ..... 0100011", Format.STORE, I),
    SD(               "....... ..... ..... 011 ..... 0100011", Format.STORE, I),
    ADDI(             "....... ..... ..... 000 ..... 0010011", Format.I, I),
    SLTI(             "....... ..... ..... 010 ..... 0010011", Format.I, I),
    SLTIU(            "....... ..... ..... 011 ..... 0010011", Format.I, I),
    XORI(             "....... ..... ..... 100 ..... 0010011", Format.I, I),
    ORI(              "....... ..... ..... 110 ..... 0010011", Format.I, I),
    ANDI(             "....... ..... ..... 111 ..... 0010011", Format.I, I),
    // RV64: a 6-bit shamt in bits 25..20, so only funct6 (bits 31..26) is fixed.
    SLLI(             "000000. ..... ..... 001 ..... 0010011", Format.SHIFT, I),
    SRLI(             "000000. ..... ..... 101 ..... 0010011", Format.SHIFT, I),
    SRAI(             "010000. ..... ..... 101 ..... 0010011", Format.SHIFT, I),
    ADD(              "0000000 ..... ..... 000 ..... 0110011", Format.R, I),
    SUB(              "0100000 ..... ..... 000 ..... 0110011", Format.R, I),
    SLL(              "0000000 ..... ..... 001 ..... 0110011", Format.R, I),
    SLT(              "0000000 ..... ..... 010 ..... 0110011", Format.R, I),
    SLTU(             "0000000 ..... ..... 011 ..... 0110011", Format.R, I),
    XOR(              "0000000 ..... ..... 100 ..... 0110011", Format.R, I),
    SRL(              "0000000 ..... ..... 101 ..... 0110011", Format.R, I),
    SRA(              "0100000 ..... ..... 101 ..... 0110011", Format.R, I),
    OR(               "0000000 ..... ..... 110 ..... 0110011", Format.R, I),
    AND(              "0000000 ..... ..... 111 ..... 0110011", Format.R, I),
    ADDIW(            "....... ..... ..... 000 ..... 0011011", Format.I, I),
    // The *W shifts keep bit 25 (shamt[5]) zero: with it set they are reserved.
    SLLIW(            "0000000 ..... ..... 001 ..... 0011011", Format.SHIFT, I),
    SRLIW(            "0000000 ..... ..... 101 ..... 0011011", Format.SHIFT, I),
    SRAIW(            "0100000 ..... ..... 101 ..... 0011011", Format.SHIFT, I),
    ADDW(             "0000000 ..... ..... 000 ..... 0111011", Format.R, I),
    SUBW(             "0100000 ..... ..... 000 ..... 0111011", Format.R, I),
    SLLW(             "0000000 ..... ..... 001 ..... 0111011", Format.R, I),
    SRLW(             "0000000 ..... ..... 101 ..... 0111011", Format.R, I),
    SRAW(             "0100000 ..... ..... 101 ..... 0111011", Format.R, I),
    // Unused FENCE fields (fm values, rs1, rd) are reserved for future use and must execute as a plain
    // FENCE today, so only the opcode and funct3 are fixed.
    FENCE(            "....... ..... ..... 000 ..... 0001111", Format.FENCE, I),
    ECALL(            "0000000 00000 00000 000 00000 1110011", Format.NONE, I),
    EBREAK(           "0000000 00001 00000 000 00000 1110011", Format.NONE, I),

    // Same forward-compatibility rule as FENCE: imm, rs1 and rd are reserved and ignored.
    FENCE_I(          "....... ..... ..... 001 ..... 0001111", Format.NONE, ZIFENCEI),
    CSRRW(            "....... ..... ..... 001 ..... 1110011", Format.CSR, ZICSR),
    CSRRS(            "....... ..... ..... 010 ..... 1110011", Format.CSR, ZICSR),
    CSRRC(            "....... ..... ..... 011 ..... 1110011", Format.CSR, ZICSR),
    CSRRWI(           "....... ..... ..... 101 ..... 1110011", Format.CSRI, ZICSR),
    CSRRSI(           "....... ..... ..... 110 ..... 1110011", Format.CSRI, ZICSR),
    CSRRCI(           "....... ..... ..... 111 ..... 1110011", Format.CSRI, ZICSR),

    MUL(              "0000001 ..... ..... 000 ..... 0110011", Format.R, M),
    MULH(             "0000001 ..... ..... 001 ..... 0110011", Format.R, M),
    MULHSU(           "0000001 ..... ..... 010 ..... 0110011", Format.R, M),
    MULHU(            "0000001 ..... ..... 011 ..... 0110011", Format.R, M),
    DIV(              "0000001 ..... ..... 100 ..... 0110011", Format.R, M),
    DIVU(             "0000001 ..... ..... 101 ..... 0110011", Format.R, M),
    REM(              "0000001 ..... ..... 110 ..... 0110011", Format.R, M),
    REMU(             "0000001 ..... ..... 111 ..... 0110011", Format.R, M),
    MULW(             "0000001 ..... ..... 000 ..... 0111011", Format.R, M),
    DIVW(             "0000001 ..... ..... 100 ..... 0111011", Format.R, M),
    DIVUW(            "0000001 ..... ..... 101 ..... 0111011", Format.R, M),
    REMW(             "0000001 ..... ..... 110 ..... 0111011", Format.R, M),
    REMUW(            "0000001 ..... ..... 111 ..... 0111011", Format.R, M),

    //                funct5 aq rl rs2  rs1   f3  rd    opcode
    LR_W(             "00010.. 00000 ..... 010 ..... 0101111", Format.LR, A),
    SC_W(             "00011.. ..... ..... 010 ..... 0101111", Format.AMO, A),
    AMOSWAP_W(        "00001.. ..... ..... 010 ..... 0101111", Format.AMO, A),
    AMOADD_W(         "00000.. ..... ..... 010 ..... 0101111", Format.AMO, A),
    AMOXOR_W(         "00100.. ..... ..... 010 ..... 0101111", Format.AMO, A),
    AMOAND_W(         "01100.. ..... ..... 010 ..... 0101111", Format.AMO, A),
    AMOOR_W(          "01000.. ..... ..... 010 ..... 0101111", Format.AMO, A),
    AMOMIN_W(         "10000.. ..... ..... 010 ..... 0101111", Format.AMO, A),
    AMOMAX_W(         "10100.. ..... ..... 010 ..... 0101111", Format.AMO, A),
    AMOMINU_W(        "11000.. ..... ..... 010 ..... 0101111", Format.AMO, A),
    AMOMAXU_W(        "11100.. ..... ..... 010 ..... 0101111", Format.AMO, A),
    LR_D(             "00010.. 00000 ..... 011 ..... 0101111", Format.LR, A),
    SC_D(             "00011.. ..... ..... 011 ..... 0101111", Format.AMO, A),
    AMOSWAP_D(        "00001.. ..... ..... 011 ..... 0101111", Format.AMO, A),
    AMOADD_D(         "00000.. ..... ..... 011 ..... 0101111", Format.AMO, A),
    AMOXOR_D(         "00100.. ..... ..... 011 ..... 0101111", Format.AMO, A),
    AMOAND_D(         "01100.. ..... ..... 011 ..... 0101111", Format.AMO, A),
    AMOOR_D(          "01000.. ..... ..... 011 ..... 0101111", Format.AMO, A),
    AMOMIN_D(         "10000.. ..... ..... 011 ..... 0101111", Format.AMO, A),
    AMOMAX_D(         "10100.. ..... ..... 011 ..... 0101111", Format.AMO, A),
    AMOMINU_D(        "11000.. ..... ..... 011 ..... 0101111", Format.AMO, A),
    AMOMAXU_D(        "11100.. ..... ..... 011 ..... 0101111", Format.AMO, A),

    MRET(             "0011000 00010 00000 000 00000 1110011", Format.NONE, PRIV),
    SRET(             "0001000 00010 00000 000 00000 1110011", Format.NONE, PRIV),
    WFI(              "0001000 00101 00000 000 00000 1110011", Format.NONE, PRIV),
    SFENCE_VMA(       "0001001 ..... ..... 000 00000 1110011", Format.SFENCE, PRIV),

    // In OP-FP, bits 26..25 are fmt (00 = S, 01 = D), bits 14..12 are rm unless they select the operation,
    // and rs2 is a fixed sub-opcode for the one-operand instructions.
    FLW(              "....... ..... ..... 010 ..... 0000111", Format.FLOAD, F),
    FSW(              "....... ..... ..... 010 ..... 0100111", Format.FSTORE, F),
    FMADD_S(          ".....00 ..... ..... ... ..... 1000011", Format.R4, F),
    FMSUB_S(          ".....00 ..... ..... ... ..... 1000111", Format.R4, F),
    FNMSUB_S(         ".....00 ..... ..... ... ..... 1001011", Format.R4, F),
    FNMADD_S(         ".....00 ..... ..... ... ..... 1001111", Format.R4, F),
    FADD_S(           "0000000 ..... ..... ... ..... 1010011", Format.FFF_RM, F),
    FSUB_S(           "0000100 ..... ..... ... ..... 1010011", Format.FFF_RM, F),
    FMUL_S(           "0001000 ..... ..... ... ..... 1010011", Format.FFF_RM, F),
    FDIV_S(           "0001100 ..... ..... ... ..... 1010011", Format.FFF_RM, F),
    FSQRT_S(          "0101100 00000 ..... ... ..... 1010011", Format.FF_RM, F),
    FSGNJ_S(          "0010000 ..... ..... 000 ..... 1010011", Format.FFF, F),
    FSGNJN_S(         "0010000 ..... ..... 001 ..... 1010011", Format.FFF, F),
    FSGNJX_S(         "0010000 ..... ..... 010 ..... 1010011", Format.FFF, F),
    FMIN_S(           "0010100 ..... ..... 000 ..... 1010011", Format.FFF, F),
    FMAX_S(           "0010100 ..... ..... 001 ..... 1010011", Format.FFF, F),
    FCVT_W_S(         "1100000 00000 ..... ... ..... 1010011", Format.XF_RM, F),
    FCVT_WU_S(        "1100000 00001 ..... ... ..... 1010011", Format.XF_RM, F),
    FCVT_L_S(         "1100000 00010 ..... ... ..... 1010011", Format.XF_RM, F),
    FCVT_LU_S(        "1100000 00011 ..... ... ..... 1010011", Format.XF_RM, F),
    FMV_X_W(          "1110000 00000 ..... 000 ..... 1010011", Format.XF, F),
    FEQ_S(            "1010000 ..... ..... 010 ..... 1010011", Format.XFF, F),
    FLT_S(            "1010000 ..... ..... 001 ..... 1010011", Format.XFF, F),
    FLE_S(            "1010000 ..... ..... 000 ..... 1010011", Format.XFF, F),
    FCLASS_S(         "1110000 00000 ..... 001 ..... 1010011", Format.XF, F),
    FCVT_S_W(         "1101000 00000 ..... ... ..... 1010011", Format.FX_RM, F),
    FCVT_S_WU(        "1101000 00001 ..... ... ..... 1010011", Format.FX_RM, F),
    FCVT_S_L(         "1101000 00010 ..... ... ..... 1010011", Format.FX_RM, F),
    FCVT_S_LU(        "1101000 00011 ..... ... ..... 1010011", Format.FX_RM, F),
    FMV_W_X(          "1111000 00000 ..... 000 ..... 1010011", Format.FX, F),

    FLD(              "....... ..... ..... 011 ..... 0000111", Format.FLOAD, D),
    FSD(              "....... ..... ..... 011 ..... 0100111", Format.FSTORE, D),
    FMADD_D(          ".....01 ..... ..... ... ..... 1000011", Format.R4, D),
    FMSUB_D(          ".....01 ..... ..... ... ..... 1000111", Format.R4, D),
    FNMSUB_D(         ".....01 ..... ..... ... ..... 1001011", Format.R4, D),
    FNMADD_D(         ".....01 ..... ..... ... ..... 1001111", Format.R4, D),
    FADD_D(           "0000001 ..... ..... ... ..... 1010011", Format.FFF_RM, D),
    FSUB_D(           "0000101 ..... ..... ... ..... 1010011", Format.FFF_RM, D),
    FMUL_D(           "0001001 ..... ..... ... ..... 1010011", Format.FFF_RM, D),
    FDIV_D(           "0001101 ..... ..... ... ..... 1010011", Format.FFF_RM, D),
    FSQRT_D(          "0101101 00000 ..... ... ..... 1010011", Format.FF_RM, D),
    FSGNJ_D(          "0010001 ..... ..... 000 ..... 1010011", Format.FFF, D),
    FSGNJN_D(         "0010001 ..... ..... 001 ..... 1010011", Format.FFF, D),
    FSGNJX_D(         "0010001 ..... ..... 010 ..... 1010011", Format.FFF, D),
    FMIN_D(           "0010101 ..... ..... 000 ..... 1010011", Format.FFF, D),
    FMAX_D(           "0010101 ..... ..... 001 ..... 1010011", Format.FFF, D),
    FCVT_W_D(         "1100001 00000 ..... ... ..... 1010011", Format.XF_RM, D),
    FCVT_WU_D(        "1100001 00001 ..... ... ..... 1010011", Format.XF_RM, D),
    FCVT_L_D(         "1100001 00010 ..... ... ..... 1010011", Format.XF_RM, D),
    FCVT_LU_D(        "1100001 00011 ..... ... ..... 1010011", Format.XF_RM, D),
    FEQ_D(            "1010001 ..... ..... 010 ..... 1010011", Format.XFF, D),
    FLT_D(            "1010001 ..... ..... 001 ..... 1010011", Format.XFF, D),
    FLE_D(            "1010001 ..... ..... 000 ..... 1010011", Format.XFF, D),
    FCLASS_D(         "1110001 00000 ..... 001 ..... 1010011", Format.XF, D),
    FCVT_D_W(         "1101001 00000 ..... ... ..... 1010011", Format.FX_RM, D),
    FCVT_D_WU(        "1101001 00001 ..... ... ..... 1010011", Format.FX_RM, D),
    FCVT_D_L(         "1101001 00010 ..... ... ..... 1010011", Format.FX_RM, D),
    FCVT_D_LU(        "1101001 00011 ..... ... ..... 1010011", Format.FX_RM, D),
    FCVT_S_D(         "0100000 00001 ..... ... ..... 1010011", Format.FF_RM, D),
    FCVT_D_S(         "0100001 00000 ..... ... ..... 1010011", Format.FF_RM, D),
    FMV_X_D(          "1110001 00000 ..... 000 ..... 1010011", Format.XF, D),
    FMV_D_X(          "1111001 00000 ..... 000 ..... 1010011", Format.FX, D),

    /** Every reserved or illegal encoding. Matches nothing: it is never in the decoder's tables. */
    ILLEGAL(          "0000000 00000 00000 000 00000 0000000", Format.NONE, Extension.NONE);

    /** Assembler mnemonic, e.g. {@code "fcvt.w.s"} for {@link #FCVT_W_S}. */
    public final String mnemonic;
    /** The fixed bits of the encoding; {@code (w & mask) == match} identifies the instruction. */
    public final int match;
    /** Which bits of the encoding are fixed. {@code 0} only for {@link #ILLEGAL}. */
    public final int mask;
    public final Format format;
    public final Extension extension;

    Opcode(final String pattern, final Format format, final Extension extension) {
        int match = 0;
        int mask = 0;
        int count = 0;
        for (int i = 0; i < pattern.length(); i++) {
            final char c = pattern.charAt(i);
            if (c == ' ') {
                continue;
            }
            match <<= 1;
            mask <<= 1;
            if (c == '0' || c == '1') {
                mask |= 1;
                match |= c - '0';
            } else if (c != '.') {
                throw new IllegalArgumentException(name() + ": bad pattern character '" + c + "'");
            }
            count++;
        }
        if (count != 32) {
            throw new IllegalArgumentException(name() + ": pattern has " + count + " bits, not 32");
        }
        // ILLEGAL's all-zero pattern would otherwise claim to fix every bit.
        this.mask = extension == Extension.NONE ? 0 : mask;
        this.match = extension == Extension.NONE ? 0 : match;
        this.mnemonic = name().toLowerCase(java.util.Locale.ROOT).replace('_', '.');
        this.format = format;
        this.extension = extension;
    }
}
