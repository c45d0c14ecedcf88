package io.sublet.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sublet.isa.Decoder;
import io.sublet.isa.Insn;
import io.sublet.isa.Opcode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The test assembler itself: other cpu tests trust it, so it is checked against the decoder and the hart. */
class AsmTest {
    @ParameterizedTest
    @ValueSource(longs = {0, 1, -1, 2047, -2048, 2048, 0x7ff, 0x800, 0xfff, 0x1000, 0x7fff_f7ff, 0x7fff_f800,
        0x7fff_ffff, -0x8000_0000L, 0x8000_0000L, 0xffff_ffffL, 0x1_0000_0000L, 0x8000_0000_0000_0000L,
        0x7fff_ffff_ffff_ffffL, 0x0123_4567_89ab_cdefL, 0xfedc_ba98_7654_3210L, 0x8000_0000_0000_0800L,
        0xffff_ffc0_0000_0000L, 0x8000_0000_0008_0000L})
    void liLoadsEveryConstant(long value) {
        final TestMachine t = new TestMachine();
        final Asm a = new Asm(TestMachine.M_CODE);
        a.li(Asm.A0, value).ebreak();
        t.load(a);
        final TestMachine.TrapInfo trap = t.runToTrap(TestMachine.M_CODE, 100);
        assertEquals(Cause.BREAKPOINT, trap.cause(), trap.toString());
        assertEquals(value, t.hart.x[Asm.A0], () -> String.format("li 0x%x", value));
    }

    @Test
    void encodingsDecodeAsIntended() {
        final Asm a = new Asm(0);
        a.sd(Asm.A1, Asm.A0, -8).ld(Asm.A2, Asm.SP, 2047).csrrw(Asm.A0, Csr.SATP, Asm.T0).sfenceVma(Asm.A0, Asm.A1);
        final Insn sd = Decoder.decode(a.word(0));
        assertEquals(Opcode.SD, sd.op);
        assertEquals(-8, sd.imm);
        assertEquals(Asm.A0, sd.rs1);
        assertEquals(Asm.A1, sd.rs2);
        final Insn ld = Decoder.decode(a.word(1));
        assertEquals(2047, ld.imm);
        assertEquals(Asm.SP, ld.rs1);
        final Insn csr = Decoder.decode(a.word(2));
        assertEquals(Csr.SATP, csr.imm);
        final Insn sfence = Decoder.decode(a.word(3));
        assertEquals(Asm.A0, sfence.rs1);
        assertEquals(Asm.A1, sfence.rs2);
    }

    @Test
    void forwardAndBackwardLabels() {
        final Asm a = new Asm(0x1000);
        final Asm.Label back = a.label();
        final Asm.Label fwd = a.label();
        a.bind(back).nop().beq(Asm.A0, Asm.A1, fwd).j(back).nop().bind(fwd).jal(Asm.RA, back);
        final Insn beq = Decoder.decode(a.word(1));
        assertEquals(12, beq.imm);
        final Insn j = Decoder.decode(a.word(2));
        assertEquals(-8, j.imm);
        final Insn jal = Decoder.decode(a.word(4));
        assertEquals(-16, jal.imm);
        assertThrows(IllegalArgumentException.class, () -> a.addi(Asm.A0, Asm.A0, 4096));
    }
}
