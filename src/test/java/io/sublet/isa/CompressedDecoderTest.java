package io.sublet.isa;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every RV64C form and its expansion, with the extreme immediates of each. The halfwords come from GNU as
 * ({@code -march=rv64gc}); the expected fields are read off the assembly source, so the test does not share the
 * decoder's bit arithmetic. Registers: s0=8, s1=9, a0..a5=10..15, sp=2, ra=1, t6=31.
 */
class CompressedDecoderTest {
    private static void expands(final int h, final Opcode op, final int rd, final int rs1, final int rs2,
                                final long imm) {
        final Insn insn = Decoder.decode(h);
        assertAll(Integer.toHexString(h),
            () -> assertSame(op, insn.op),
            () -> assertEquals(rd, insn.rd, "rd"),
            () -> assertEquals(rs1, insn.rs1, "rs1"),
            () -> assertEquals(rs2, insn.rs2, "rs2"),
            () -> assertEquals(imm, insn.imm, "imm"),
            () -> assertEquals(0, insn.rs3, "rs3"),
            () -> assertEquals(0, insn.rm, "rm"),
            () -> assertEquals(2, insn.length, "length"),
            () -> assertEquals(h, insn.bits, "bits"));
    }

    private static void reserved(final int h) {
        final Insn insn = Decoder.decode(h);
        assertSame(Opcode.ILLEGAL, insn.op, Integer.toHexString(h) + " decoded as " + insn);
        assertEquals(2, insn.length);
        assertEquals(h, insn.bits);
    }

    @Test
    void quadrant0() {
        expands(0x0040, Opcode.ADDI, 8, 2, 0, 4);          // c.addi4spn s0,sp,4
        expands(0x1FFC, Opcode.ADDI, 15, 2, 0, 1020);      // c.addi4spn a5,sp,1020
        expands(0x2000, Opcode.FLD, 8, 8, 0, 0);           // c.fld fs0,0(s0)
        expands(0x3FFC, Opcode.FLD, 15, 15, 0, 248);       // c.fld fa5,248(a5)
        expands(0x4000, Opcode.LW, 8, 8, 0, 0);            // c.lw s0,0(s0)
        expands(0x5FFC, Opcode.LW, 15, 15, 0, 124);        // c.lw a5,124(a5)
        expands(0x41C8, Opcode.LW, 10, 11, 0, 4);          // c.lw a0,4(a1): uimm[2] is bit 6
        expands(0x41A8, Opcode.LW, 10, 11, 0, 64);         // c.lw a0,64(a1): uimm[6] is bit 5
        expands(0x6000, Opcode.LD, 8, 8, 0, 0);            // c.ld s0,0(s0)
        expands(0x7FFC, Opcode.LD, 15, 15, 0, 248);        // c.ld a5,248(a5)
        expands(0xA000, Opcode.FSD, 0, 8, 8, 0);           // c.fsd fs0,0(s0)
        expands(0xBFFC, Opcode.FSD, 0, 15, 15, 248);       // c.fsd fa5,248(a5)
        expands(0xC000, Opcode.SW, 0, 8, 8, 0);            // c.sw s0,0(s0)
        expands(0xDFFC, Opcode.SW, 0, 15, 15, 124);        // c.sw a5,124(a5)
        expands(0xFFFC, Opcode.SD, 0, 15, 15, 248);        // c.sd a5,248(a5)
    }

    @Test
    void quadrant1() {
        expands(0x0001, Opcode.ADDI, 0, 0, 0, 0);          // c.nop
        expands(0x0505, Opcode.ADDI, 10, 10, 0, 1);        // c.addi a0,1
        expands(0x1F81, Opcode.ADDI, 31, 31, 0, -32);      // c.addi t6,-32
        expands(0x017D, Opcode.ADDI, 2, 2, 0, 31);         // c.addi sp,31
        expands(0x2501, Opcode.ADDIW, 10, 10, 0, 0);       // c.addiw a0,0 (sext.w)
        expands(0x3F81, Opcode.ADDIW, 31, 31, 0, -32);     // c.addiw t6,-32
        expands(0x20FD, Opcode.ADDIW, 1, 1, 0, 31);        // c.addiw ra,31
        expands(0x4501, Opcode.ADDI, 10, 0, 0, 0);         // c.li a0,0
        expands(0x5F81, Opcode.ADDI, 31, 0, 0, -32);       // c.li t6,-32
        expands(0x40FD, Opcode.ADDI, 1, 0, 0, 31);         // c.li ra,31
        expands(0x7101, Opcode.ADDI, 2, 2, 0, -512);       // c.addi16sp sp,-512
        expands(0x617D, Opcode.ADDI, 2, 2, 0, 496);        // c.addi16sp sp,496
        expands(0x6141, Opcode.ADDI, 2, 2, 0, 16);         // c.addi16sp sp,16
        expands(0x6505, Opcode.LUI, 10, 0, 0, 0x1000);     // c.lui a0,0x1
        expands(0x6FFD, Opcode.LUI, 31, 0, 0, 0x1F000);    // c.lui t6,0x1f
        expands(0x7081, Opcode.LUI, 1, 0, 0, -0x20000);    // c.lui ra,0xfffe0: sign-extended from bit 17
        expands(0x747D, Opcode.LUI, 8, 0, 0, -0x1000);     // c.lui s0,0xfffff
        expands(0x8005, Opcode.SRLI, 8, 8, 0, 1);          // c.srli s0,1
        expands(0x93FD, Opcode.SRLI, 15, 15, 0, 63);       // c.srli a5,63
        expands(0x9101, Opcode.SRLI, 10, 10, 0, 32);       // c.srli a0,32
        expands(0x8405, Opcode.SRAI, 8, 8, 0, 1);          // c.srai s0,1
        expands(0x97FD, Opcode.SRAI, 15, 15, 0, 63);       // c.srai a5,63
        expands(0x9801, Opcode.ANDI, 8, 8, 0, -32);        // c.andi s0,-32
        expands(0x8BFD, Opcode.ANDI, 15, 15, 0, 31);       // c.andi a5,31
        expands(0x8901, Opcode.ANDI, 10, 10, 0, 0);        // c.andi a0,0
        expands(0x8C1D, Opcode.SUB, 8, 8, 15, 0);          // c.sub s0,a5
        expands(0x8D2D, Opcode.XOR, 10, 10, 11, 0);        // c.xor a0,a1
        expands(0x8E55, Opcode.OR, 12, 12, 13, 0);         // c.or a2,a3
        expands(0x8F65, Opcode.AND, 14, 14, 9, 0);         // c.and a4,s1
        expands(0x9C1D, Opcode.SUBW, 8, 8, 15, 0);         // c.subw s0,a5
        expands(0x9FA1, Opcode.ADDW, 15, 15, 8, 0);        // c.addw a5,s0
        expands(0xB755, Opcode.JAL, 0, 0, 0, -92);         // c.j back
        expands(0xA81D, Opcode.JAL, 0, 0, 0, 54);          // c.j fwd
        expands(0xB001, Opcode.JAL, 0, 0, 0, -2048);       // c.j, most negative offset
        expands(0xAFFD, Opcode.JAL, 0, 0, 0, 2046);        // c.j, most positive offset
        expands(0xD045, Opcode.BEQ, 0, 8, 0, -96);         // c.beqz s0,back
        expands(0xEB8D, Opcode.BNE, 0, 15, 0, 50);         // c.bnez a5,fwd
        expands(0xD001, Opcode.BEQ, 0, 8, 0, -256);        // c.beqz, most negative offset
        expands(0xCC7D, Opcode.BEQ, 0, 8, 0, 254);         // c.beqz, most positive offset
        expands(0xEC7D, Opcode.BNE, 0, 8, 0, 254);         // c.bnez, most positive offset
    }

    @Test
    void quadrant2() {
        expands(0x0506, Opcode.SLLI, 10, 10, 0, 1);        // c.slli a0,1
        expands(0x1FFE, Opcode.SLLI, 31, 31, 0, 63);       // c.slli t6,63
        expands(0x1082, Opcode.SLLI, 1, 1, 0, 32);         // c.slli ra,32
        expands(0x2502, Opcode.FLD, 10, 2, 0, 0);          // c.fldsp fa0,0(sp)
        expands(0x3FFE, Opcode.FLD, 31, 2, 0, 504);        // c.fldsp ft11,504(sp)
        expands(0x4082, Opcode.LW, 1, 2, 0, 0);            // c.lwsp ra,0(sp)
        expands(0x5FFE, Opcode.LW, 31, 2, 0, 252);         // c.lwsp t6,252(sp)
        expands(0x6082, Opcode.LD, 1, 2, 0, 0);            // c.ldsp ra,0(sp)
        expands(0x7FFE, Opcode.LD, 31, 2, 0, 504);         // c.ldsp t6,504(sp)
        expands(0x8082, Opcode.JALR, 0, 1, 0, 0);          // c.jr ra
        expands(0x8F82, Opcode.JALR, 0, 31, 0, 0);         // c.jr t6
        expands(0x852E, Opcode.ADD, 10, 0, 11, 0);         // c.mv a0,a1
        expands(0x8F86, Opcode.ADD, 31, 0, 1, 0);          // c.mv t6,ra
        expands(0x9002, Opcode.EBREAK, 0, 0, 0, 0);        // c.ebreak
        expands(0x9502, Opcode.JALR, 1, 10, 0, 0);         // c.jalr a0
        expands(0x9F82, Opcode.JALR, 1, 31, 0, 0);         // c.jalr t6
        expands(0x952E, Opcode.ADD, 10, 10, 11, 0);        // c.add a0,a1
        expands(0x9FFE, Opcode.ADD, 31, 31, 31, 0);        // c.add t6,t6
        expands(0xBFEE, Opcode.FSD, 0, 2, 27, 504);        // c.fsdsp fs11,504(sp)
        expands(0xA002, Opcode.FSD, 0, 2, 0, 0);           // c.fsdsp ft0,0(sp)
        expands(0xDFFE, Opcode.SW, 0, 2, 31, 252);         // c.swsp t6,252(sp)
        expands(0xC002, Opcode.SW, 0, 2, 0, 0);            // c.swsp zero,0(sp)
        expands(0xFFFE, Opcode.SD, 0, 2, 31, 504);         // c.sdsp t6,504(sp)
        expands(0xE006, Opcode.SD, 0, 2, 1, 0);            // c.sdsp ra,0(sp)
    }

    /** HINTs are legal instructions without architectural effect; they decode to their base form. */
    @Test
    void hintsDecodeToTheirBaseForm() {
        expands(0x0005, Opcode.ADDI, 0, 0, 0, 1);          // c.nop 1
        expands(0x1001, Opcode.ADDI, 0, 0, 0, -32);        // c.nop -32
        expands(0x0501, Opcode.ADDI, 10, 10, 0, 0);        // c.addi a0,0
        expands(0x4005, Opcode.ADDI, 0, 0, 0, 1);          // c.li zero,1
        expands(0x6005, Opcode.LUI, 0, 0, 0, 0x1000);      // c.lui zero,1
        expands(0x7001, Opcode.LUI, 0, 0, 0, -0x20000);    // c.lui zero,0xfffe0
        expands(0x8006, Opcode.ADD, 0, 0, 1, 0);           // c.mv zero,ra
        expands(0x9006, Opcode.ADD, 0, 0, 1, 0);           // c.add zero,ra
        expands(0x0006, Opcode.SLLI, 0, 0, 0, 1);          // c.slli zero,1
        expands(0x1002, Opcode.SLLI, 0, 0, 0, 32);         // c.slli zero,32
        expands(0x0002, Opcode.SLLI, 0, 0, 0, 0);          // c.slli64 zero
        expands(0x0082, Opcode.SLLI, 1, 1, 0, 0);          // c.slli64 ra
        expands(0x8001, Opcode.SRLI, 8, 8, 0, 0);          // c.srli64 s0
        expands(0x8401, Opcode.SRAI, 8, 8, 0, 0);          // c.srai64 s0
        expands(0x2002, Opcode.FLD, 0, 2, 0, 0);           // c.fldsp ft0,0(sp): f0 is a valid target
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(ints = {
        0x0000,         // all-zero halfword: defined illegal
        0x0004, 0x001C, // c.addi4spn with nzuimm=0 and rd' != 0
        0x8000, 0x9FFC, // quadrant 0, funct3=100: reserved
        0x2001, 0x3001, 0x207D, // c.addiw with rd=0
        0x6101,         // c.addi16sp with nzimm=0
        0x6001, 0x6081, 0x6F81, // c.lui with nzimm=0 (rd=0, 1, 31)
        0x9C41, 0x9C61, 0x9FFD, 0x9C5D, // c.subw/c.addw space with funct2=10/11: reserved
        0x4002, 0x5002, 0x407E, // c.lwsp with rd=0
        0x6002, 0x7002, 0x707E, // c.ldsp with rd=0
        0x8002,         // c.jr with rs1=0
    })
    void reservedEncodingsAreIllegal(final int h) {
        reserved(h);
    }

    /** RV32-only and RV128-only slots mean something else on RV64, never c.jal, c.flw, c.lq etc. */
    @Test
    void rv64MeaningOfSharedSlots() {
        assertSame(Opcode.ADDIW, Decoder.decode(0x2085).op); // c.jal on RV32
        assertSame(Opcode.LD, Decoder.decode(0x6000).op);    // c.flw on RV32
        assertSame(Opcode.SD, Decoder.decode(0xE000).op);    // c.fsw on RV32
        assertSame(Opcode.LD, Decoder.decode(0x6082).op);    // c.flwsp on RV32
        assertSame(Opcode.SD, Decoder.decode(0xE006).op);    // c.fswsp on RV32
        assertSame(Opcode.FLD, Decoder.decode(0x2000).op);   // c.lq on RV128
        assertSame(Opcode.FSD, Decoder.decode(0xA002).op);   // c.sqsp on RV128
        assertEquals(63, Decoder.decode(0x93FD).imm);        // shamt[5] is a shift amount, not custom (RV32)
    }

    /** The upper half of the word belongs to the next instruction and must not leak into the decoding. */
    @Test
    void upperHalfIsIgnored() {
        final Insn insn = Decoder.decode(0xFFFF0505);
        assertSame(Opcode.ADDI, insn.op);
        assertEquals(0x0505, insn.bits);
        assertEquals(1, insn.imm);
        final Insn zero = Decoder.decode(0x12340000);
        assertSame(Opcode.ILLEGAL, zero.op);
        assertEquals(0, zero.bits);
        assertEquals(2, zero.length);
    }

    /** Every legal halfword decodes to a 2-byte base instruction that has a 32-bit row in the table. */
    @Test
    void everyHalfwordDecodesToLength2() {
        for (int h = 0; h < 0x10000; h++) {
            if ((h & 3) == 3) {
                continue;
            }
            final Insn insn = Decoder.decode(h);
            assertEquals(2, insn.length);
            assertEquals(h, insn.bits);
        }
    }
}
