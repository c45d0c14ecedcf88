package io.sublet.isa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/**
 * The disassembler's spelling where it does not simply follow objdump (which {@code ObjdumpCrossCheckTest}
 * covers) and a few representative lines, so the format is pinned even without the toolchain.
 */
class DisassemblerTest {
    private static String text(final int bits, final long pc) {
        return Disassembler.format(Decoder.decode(bits), pc);
    }

    @Test
    void objdumpSpelling() {
        assertEquals("addi\ta0,a0,1", text(0x00150513, 0));
        assertEquals("ld\ta0,8(sp)", text(0x00813503, 0));
        assertEquals("sd\tra,-8(s0)", text(0xFE143C23, 0));
        assertEquals("csrrw\tra,mstatus,a0", text(0x300510F3, 0));
        assertEquals("csrrs\ta0,0x7c0,zero", text(0x7C002573, 0));
        assertEquals("csrrwi\ta0,mscratch,31", text(0x340FD573, 0));
        assertEquals("fence\tiorw,iorw", text(0x0FF0000F, 0));
        assertEquals("fence.tso", text(0x8330000F, 0));
        assertEquals("amoadd.w.aqrl\ta0,a1,(a2)", text(0x06B6252F, 0));
        assertEquals("lr.d.aq\ta0,(a1)", text(0x1405B52F, 0));
        assertEquals("slli\ta0,a0,0x3f", text(0x03F51513, 0));
        assertEquals("lui\ta0,0xfffff", text(0xFFFFF537, 0));
        assertEquals("sfence.vma\ta0,a1", text(0x12B50073, 0));
        assertEquals("ecall", text(0x00000073, 0));
    }

    @Test
    void targetsAreAbsolute() {
        assertEquals("beq\ta0,a1,80000010", text(0x00B50863, 0x80000000L));            // beq a0,a1,.+16
        assertEquals("jal\tra,7ffffffc", text(0xFFDFF0EF, 0x80000000L));              // jal ra,.-4
        assertEquals("jal\tzero,ffffffff80000800", text(0xB001, 0xFFFFFFFF80001000L)); // c.j .-2048
    }

    @Test
    void roundingModeOnlyWhenNotDefault() {
        assertEquals("fadd.s\tfa0,fa1,fa2", text(0x00C5F553, 0));
        assertEquals("fadd.s\tfa0,fa1,fa2,rmm", text(0x00C5C553, 0));
        assertEquals("fadd.s\tfa0,fa1,fa2,unknown", text(0x00C5D553, 0));
        assertEquals("fmadd.d\tfa0,fa1,fa2,fa3,rtz", text(0x6AC59543, 0));
        // Exact conversions: GNU as writes rne, so that is the silent default and dyn is spelled out.
        assertEquals("fcvt.d.w\tfa0,a0", text(0xD2050553, 0));
        assertEquals("fcvt.d.w\tfa0,a0,dyn", text(0xD2057553, 0));
        assertEquals("fcvt.d.s\tfa0,fa1,rtz", text(0x42059553, 0));
    }

    @Test
    void compressedPrintsAsItsExpansion() {
        assertEquals("add\ta0,zero,a1", text(0x852E, 0));      // c.mv a0,a1
        assertEquals("jalr\tzero,0(ra)", text(0x8082, 0));     // c.jr ra (ret)
        assertEquals("addi\tzero,zero,0", text(0x0001, 0));    // c.nop
        assertEquals("ebreak", text(0x9002, 0));               // c.ebreak
        assertEquals("fld\tfs0,0(s0)", text(0x2000, 0));       // c.fld
    }

    @Test
    void fenceWithAnEmptySetPrintsZero() {
        assertEquals("fence\tw,0", text(0x0100000F, 0));       // pause
        assertEquals("fence\t0,0", text(0x0000000F, 0));
        assertEquals("fence\tr,w", text(0xF21FFF8F & ~0x7000, 0)); // reserved fm/rs1/rd do not show
    }

    @Test
    void illegalShowsTheRawBits() {
        assertEquals(".4byte\t0xffffffff", text(0xFFFFFFFF, 0));
        assertEquals(".4byte\t0x205151b", text(0x0205151B, 0));
        assertEquals(".2byte\t0x0", text(0x0000, 0));
        assertEquals(".2byte\t0x6101", text(0x6101, 0));
    }

    @Test
    void toStringDisassemblesAtAddressZero() {
        assertEquals("bne\ta5,zero,32", Decoder.decode(0xEB8D).toString());
    }

    @Test
    void csrNames() {
        assertEquals("satp", CsrNames.name(0x180));
        assertEquals("mhpmcounter31h", CsrNames.name(0xB9F));
        assertEquals("pmpaddr63", CsrNames.name(0x3EF));
        assertEquals("hpmcounter3", CsrNames.name(0xC03));
        assertNull(CsrNames.name(0x7C0));
        assertEquals("0x7c0", CsrNames.format(0x7C0));
    }
}
