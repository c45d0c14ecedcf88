package io.sublet.isa;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Field extraction for every 32-bit format, immediates at their sign-extension edges, and the encodings that
 * must be illegal. Words written in hex were produced by GNU as from the assembly in the comment; the others are
 * built by the small encoders below, which follow the spec's format diagrams independently of {@link Fields}.
 */
class DecoderTest {
    private static final int OP_IMM = 0x13;
    private static final int OP = 0x33;
    private static final int BRANCH = 0x63;
    private static final int STORE = 0x23;
    private static final int JAL = 0x6F;
    private static final int SYSTEM = 0x73;

    private static int r(final int funct7, final int rs2, final int rs1, final int funct3, final int rd,
                         final int opcode) {
        return funct7 << 25 | rs2 << 20 | rs1 << 15 | funct3 << 12 | rd << 7 | opcode;
    }

    private static int i(final int imm, final int rs1, final int funct3, final int rd, final int opcode) {
        return (imm & 0xFFF) << 20 | rs1 << 15 | funct3 << 12 | rd << 7 | opcode;
    }

    private static int s(final int imm, final int rs2, final int rs1, final int funct3) {
        return (imm >> 5 & 0x7F) << 25 | rs2 << 20 | rs1 << 15 | funct3 << 12 | (imm & 0x1F) << 7 | STORE;
    }

    private static int b(final int imm, final int rs2, final int rs1, final int funct3) {
        return (imm >> 12 & 1) << 31 | (imm >> 5 & 0x3F) << 25 | rs2 << 20 | rs1 << 15 | funct3 << 12
            | (imm >> 1 & 0xF) << 8 | (imm >> 11 & 1) << 7 | BRANCH;
    }

    private static int j(final int imm, final int rd) {
        return (imm >> 20 & 1) << 31 | (imm >> 1 & 0x3FF) << 21 | (imm >> 11 & 1) << 20 | (imm >> 12 & 0xFF) << 12
            | rd << 7 | JAL;
    }

    private static Insn decode(final int bits, final Opcode expected) {
        final Insn insn = Decoder.decode(bits);
        assertSame(expected, insn.op, () -> Integer.toHexString(bits) + " decoded as " + insn);
        assertEquals(4, insn.length);
        assertEquals(bits, insn.bits);
        return insn;
    }

    private static void fields(final Insn insn, final int rd, final int rs1, final int rs2, final long imm) {
        assertAll(insn.toString(),
            () -> assertEquals(rd, insn.rd, "rd"),
            () -> assertEquals(rs1, insn.rs1, "rs1"),
            () -> assertEquals(rs2, insn.rs2, "rs2"),
            () -> assertEquals(imm, insn.imm, "imm"));
    }

    @Test
    void rType() {
        fields(decode(0x00C58533, Opcode.ADD), 10, 11, 12, 0);              // add a0,a1,a2
        fields(decode(r(0x20, 31, 30, 0, 29, OP), Opcode.SUB), 29, 30, 31, 0);
        fields(decode(r(1, 2, 3, 7, 4, 0x3B), Opcode.REMUW), 4, 3, 2, 0);
        fields(decode(r(0, 0, 0, 0, 0, OP), Opcode.ADD), 0, 0, 0, 0);
    }

    @Test
    void iTypeImmediates() {
        fields(decode(0x80058513, Opcode.ADDI), 10, 11, 0, -2048);          // addi a0,a1,-2048
        fields(decode(0x7FF58513, Opcode.ADDI), 10, 11, 0, 2047);           // addi a0,a1,2047
        fields(decode(i(-1, 5, 3, 6, 0x03), Opcode.LD), 6, 5, 0, -1);
        fields(decode(i(0x800, 1, 0, 2, 0x67), Opcode.JALR), 2, 1, 0, -2048);
        fields(decode(i(0x7FF, 1, 6, 2, 0x03), Opcode.LWU), 2, 1, 0, 2047);
        fields(decode(i(-2048, 31, 0, 31, 0x1B), Opcode.ADDIW), 31, 31, 0, -2048);
        fields(decode(i(-5, 2, 3, 8, 0x07), Opcode.FLD), 8, 2, 0, -5);
    }

    @Test
    void sTypeImmediates() {
        fields(decode(0x80A5B023, Opcode.SD), 0, 11, 10, -2048);            // sd a0,-2048(a1)
        fields(decode(s(2047, 10, 11, 2), Opcode.SW), 0, 11, 10, 2047);
        fields(decode(s(-1, 31, 0, 0), Opcode.SB), 0, 0, 31, -1);
        fields(decode(s(0x1F, 1, 2, 1), Opcode.SH), 0, 2, 1, 31);           // only the low field
        fields(decode(s(0x7E0, 1, 2, 1), Opcode.SH), 0, 2, 1, 0x7E0);       // only the high field
        fields(decode(s(-32, 1, 2, 1), Opcode.SH), 0, 2, 1, -32);
        fields(decode(s(8, 9, 2, 3) | 0x04, Opcode.FSD), 0, 2, 9, 8);
    }

    @Test
    void bTypeImmediates() {
        fields(decode(b(-4096, 11, 10, 0), Opcode.BEQ), 0, 10, 11, -4096);
        fields(decode(b(4094, 0, 31, 1), Opcode.BNE), 0, 31, 0, 4094);
        fields(decode(b(2048, 2, 1, 4), Opcode.BLT), 0, 1, 2, 2048);        // imm[11] lives in bit 7
        fields(decode(b(2, 2, 1, 5), Opcode.BGE), 0, 1, 2, 2);
        fields(decode(b(-2, 2, 1, 6), Opcode.BLTU), 0, 1, 2, -2);
        fields(decode(b(0x7E0, 2, 1, 7), Opcode.BGEU), 0, 1, 2, 0x7E0);
        fields(decode(0xFE000EE3, Opcode.BEQ), 0, 0, 0, -4);                // beq zero,zero,.-4
    }

    @Test
    void uTypeIsShiftedAndSignExtended() {
        fields(decode(0x12345537, Opcode.LUI), 10, 0, 0, 0x12345000L);      // lui a0,0x12345
        fields(decode(0xFFFFF537, Opcode.LUI), 10, 0, 0, -4096);            // lui a0,0xfffff
        fields(decode(0x80000537, Opcode.LUI), 10, 0, 0, -0x80000000L);     // lui a0,0x80000
        fields(decode(0x7FFFF517, Opcode.AUIPC), 10, 0, 0, 0x7FFFF000L);    // auipc a0,0x7ffff
        fields(decode(0x00000F97, Opcode.AUIPC), 31, 0, 0, 0);
    }

    @Test
    void jTypeImmediates() {
        fields(decode(j(-1048576, 1), Opcode.JAL), 1, 0, 0, -1048576);
        fields(decode(j(1048574, 0), Opcode.JAL), 0, 0, 0, 1048574);
        fields(decode(j(2048, 31), Opcode.JAL), 31, 0, 0, 2048);            // imm[11] lives in bit 20
        fields(decode(j(0xFF000, 5), Opcode.JAL), 5, 0, 0, 0xFF000);        // imm[19:12] stay in place
        fields(decode(j(2, 5), Opcode.JAL), 5, 0, 0, 2);
        fields(decode(0x0000006F, Opcode.JAL), 0, 0, 0, 0);                // j .
    }

    @Test
    void shiftAmounts() {
        fields(decode(0x03F51513, Opcode.SLLI), 10, 10, 0, 63);             // slli a0,a0,63
        fields(decode(0x4205D513, Opcode.SRAI), 10, 11, 0, 32);             // srai a0,a1,32
        fields(decode(0x0205D513, Opcode.SRLI), 10, 11, 0, 32);             // srli a0,a1,32
        fields(decode(0x01F5151B, Opcode.SLLIW), 10, 10, 0, 31);            // slliw a0,a0,31
        fields(decode(0x41F5D51B, Opcode.SRAIW), 10, 11, 0, 31);            // sraiw a0,a1,31
        fields(decode(0x0005D51B, Opcode.SRLIW), 10, 11, 0, 0);             // srliw a0,a1,0
    }

    @Test
    void csrNumbersAreUnsigned() {
        fields(decode(0xFFF02573, Opcode.CSRRS), 10, 0, 0, 0xFFF);          // csrrs a0,0xfff,zero
        fields(decode(0x300510F3, Opcode.CSRRW), 1, 10, 0, 0x300);          // csrrw ra,mstatus,a0
        fields(decode(0x340FD573, Opcode.CSRRWI), 10, 31, 0, 0x340);        // csrrwi a0,mscratch,31
        fields(decode(0x30417073, Opcode.CSRRCI), 0, 2, 0, 0x304);          // csrrci zero,mie,2
        fields(decode(0x1000E073, Opcode.CSRRSI), 0, 1, 0, 0x100);          // csrrsi zero,sstatus,1
        fields(decode(0x14053073, Opcode.CSRRC), 0, 10, 0, 0x140);          // csrrc zero,sscratch,a0
    }

    @Test
    void atomicsCarryAqRl() {
        fields(decode(0x06B6252F, Opcode.AMOADD_W), 10, 12, 11, 3);         // amoadd.w.aqrl a0,a1,(a2)
        fields(decode(0x1405B52F, Opcode.LR_D), 10, 11, 0, 2);              // lr.d.aq a0,(a1)
        fields(decode(0x1AB6252F, Opcode.SC_W), 10, 12, 11, 1);             // sc.w.rl a0,a1,(a2)
        fields(decode(0xE0B6352F, Opcode.AMOMAXU_D), 10, 12, 11, 0);        // amomaxu.d a0,a1,(a2)
    }

    @Test
    void fencesKeepTheirFieldsAndIgnoreReservedOnes() {
        fields(decode(0x0FF0000F, Opcode.FENCE), 0, 0, 0, 0x0FF);           // fence iorw,iorw
        fields(decode(0x8330000F, Opcode.FENCE), 0, 0, 0, 0x833);           // fence.tso
        fields(decode(0x0100000F, Opcode.FENCE), 0, 0, 0, 0x010);           // pause (fence w,0)
        fields(decode(0x0000000F, Opcode.FENCE), 0, 0, 0, 0);
        // Reserved fm, rs1 and rd: still a FENCE (forward compatibility), the registers do not leak.
        fields(decode(0xF2FF8F8F, Opcode.FENCE), 0, 0, 0, 0xF2F);
        fields(decode(0x0000100F, Opcode.FENCE_I), 0, 0, 0, 0);              // fence.i
        fields(decode(0xFFFFFF8F & ~0x6000, Opcode.FENCE_I), 0, 0, 0, 0);   // imm, rs1, rd all set
    }

    @Test
    void systemInstructionsNeedTheirExactEncoding() {
        fields(decode(0x00000073, Opcode.ECALL), 0, 0, 0, 0);
        fields(decode(0x00100073, Opcode.EBREAK), 0, 0, 0, 0);
        fields(decode(0x30200073, Opcode.MRET), 0, 0, 0, 0);
        fields(decode(0x10200073, Opcode.SRET), 0, 0, 0, 0);
        fields(decode(0x10500073, Opcode.WFI), 0, 0, 0, 0);
        fields(decode(0x12B50073, Opcode.SFENCE_VMA), 0, 10, 11, 0);        // sfence.vma a0,a1
        fields(decode(0x12000073, Opcode.SFENCE_VMA), 0, 0, 0, 0);
    }

    @Test
    void floatingPointFields() {
        final Insn fmadd = decode(0x6AC59543, Opcode.FMADD_D);               // fmadd.d fa0,fa1,fa2,fa3,rtz
        fields(fmadd, 10, 11, 12, 0);
        assertEquals(13, fmadd.rs3);
        assertEquals(1, fmadd.rm);
        final Insn fnmadd = decode(0xF9FFFFCF, Opcode.FNMADD_S);             // every operand field set
        fields(fnmadd, 31, 31, 31, 0);
        assertEquals(31, fnmadd.rs3);
        assertEquals(7, fnmadd.rm);
        assertEquals(4, decode(0x00C5C553, Opcode.FADD_S).rm);               // fadd.s fa0,fa1,fa2,rmm
        assertEquals(5, decode(0x00C5D553, Opcode.FADD_S).rm);               // invalid rm: checked at execution
        fields(decode(0x5A05C553, Opcode.FSQRT_D), 10, 11, 0, 0);            // fsqrt.d fa0,fa1,rmm
        fields(decode(0xC0251553, Opcode.FCVT_L_S), 10, 10, 0, 0);           // fcvt.l.s a0,fa0,rtz
        fields(decode(0xD2350553, Opcode.FCVT_D_LU), 10, 10, 0, 0);          // fcvt.d.lu fa0,a0,rne
        fields(decode(0xE2058553, Opcode.FMV_X_D), 10, 11, 0, 0);            // fmv.x.d a0,fa1
        fields(decode(0xF2050553, Opcode.FMV_D_X), 10, 10, 0, 0);            // fmv.d.x fa0,a0
        fields(decode(0xA2B52553, Opcode.FEQ_D), 10, 10, 11, 0);             // feq.d a0,fa0,fa1
        fields(decode(0x22B50553, Opcode.FSGNJ_D), 10, 10, 11, 0);           // fsgnj.d fa0,fa0,fa1
        assertEquals(0, decode(0x22B50553, Opcode.FSGNJ_D).rm);              // funct3 is not a rounding mode here
        fields(decode(0x00852507, Opcode.FLW), 10, 10, 0, 8);                // flw fa0,8(a0)
        fields(decode(0xFEA53C27, Opcode.FSD), 0, 10, 10, -8);               // fsd fa0,-8(a0)
        fields(decode(0x42058553, Opcode.FCVT_D_S), 10, 11, 0, 0);           // fcvt.d.s fa0,fa1
        fields(decode(0x40158553, Opcode.FCVT_S_D), 10, 11, 0, 0);           // fcvt.s.d fa0,fa1,rne
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(ints = {
        0xFFFFFFFF,                 // all ones: reserved as illegal by the spec
        0x0000001F, 0x0000003F,     // 48- and 64-bit encodings
        0x0000007F,                 // 80-bit and longer
        0x0000000B, 0x0000002B,     // custom-0, custom-1
        0x0000005B, 0x0000007B,     // custom-2, custom-3
        0x00000057,                 // OP-V (no vector extension)
        0x00000077,                 // reserved major opcode (OP-VE / OP-P)
        0x0000301B,                 // OP-IMM-32 funct3=011
        0x00003067,                 // JALR with funct3 != 0
        0x00002063, 0x00003063,     // BRANCH funct3 010, 011
        0x00007003,                 // LOAD funct3 111 (ldu is RV128)
        0x00004023,                 // STORE funct3 100 (sq is RV128)
        0x0000201B + 0x2000,        // OP-IMM-32 funct3 100
        0x02051513 | 0x04000000,    // slli with funct6=000001
        0x4205D513 | 0x80000000,    // srai with funct6=110000
        0x0205151B,                 // slliw with imm[5]=1
        0x0205D51B,                 // srliw with imm[5]=1
        0x4205D51B,                 // sraiw with imm[5]=1
        0x02C58533 | 0x10000000,    // add with funct7 0010001
        0x40C5C533,                 // xor with funct7=0100000
        0x02C5853B | 0x10000000,    // addw with funct7 0010001
        0x02C5953B,                 // mulw space funct3=001 (no such instruction)
        0x00000173,                 // ecall with rd != 0
        0x00008073,                 // ecall with rs1 != 0
        0x00100173,                 // ebreak with rd != 0
        0x30200173,                 // mret with rd != 0
        0x30210073,                 // mret with rs1 != 0
        0x10500173,                 // wfi with rd != 0
        0x12000173,                 // sfence.vma with rd != 0
        0x00004073,                 // SYSTEM funct3=100 (hypervisor loads, not implemented)
        0x12004073,                 // sfence.vma's funct7 with funct3=100
        0x10C5A52F,                 // lr.w with rs2 != 0
        0x1015B52F,                 // lr.d with rs2 = 1
        0x0C05A52F | 0x20000000,    // AMO funct5 00101
        0x00B6452F,                 // AMO with funct3=100
        0x0000402F,                 // AMO funct3 100 (no amo*.q)
        0x00004007, 0x00001007,     // LOAD-FP funct3 100 (flq), 001 (flh)
        0x00004027,                 // STORE-FP funct3 100 (fsq)
        0x04000043,                 // fmadd with fmt=10 (half)
        0x06000043,                 // fmadd with fmt=11 (quad)
        0x04C58553,                 // fadd.h
        0x58158553,                 // fsqrt.s with rs2 != 0
        0xC0450553,                 // fcvt.w.s with rs2=00100
        0xE0051553 | 0x00100000,    // fclass.s with rs2 != 0
        0xE0052553,                 // fmv.x.w with funct3=010
        0xF0051553,                 // fmv.w.x with funct3=001
        0x20B53553,                 // fsgnj.s with funct3=011
        0x28B52553,                 // fmin.s with funct3=010
        0xA0B53553,                 // feq.s with funct3=011
        0x40258553,                 // fcvt.s.d with rs2=00010
        0x42158553,                 // fcvt.d.s with rs2=00001
        0x44158553,                 // fcvt.h.d (Zfh)
    })
    void illegalEncodings(final int bits) {
        final Insn insn = Decoder.decode(bits);
        assertSame(Opcode.ILLEGAL, insn.op, () -> Integer.toHexString(bits) + " decoded as " + insn);
        assertEquals(4, insn.length);
        assertEquals(bits, insn.bits);
        fields(insn, 0, 0, 0, 0);
    }

    @Test
    void allZeroWordIsAnIllegalCompressedInstruction() {
        final Insn insn = Decoder.decode(0);
        assertSame(Opcode.ILLEGAL, insn.op);
        assertEquals(2, insn.length);
        assertEquals(0, insn.bits);
    }

    @Test
    void unusedFieldsAreZero() {
        final Insn lui = decode(0xFFFFFFB7, Opcode.LUI);
        assertAll(() -> assertEquals(0, lui.rs1), () -> assertEquals(0, lui.rs2), () -> assertEquals(0, lui.rs3),
            () -> assertEquals(0, lui.rm));
        final Insn ecall = decode(0x00000073, Opcode.ECALL);
        assertEquals(0, ecall.rs3 | ecall.rm | ecall.rd | ecall.rs1 | ecall.rs2);
        final Insn fsqrt = decode(0x5A05C553, Opcode.FSQRT_D);
        assertEquals(0, fsqrt.rs2, "the fixed rs2 sub-opcode is not an operand");
    }
}
