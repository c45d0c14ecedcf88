package io.sublet.isa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Proves the {@link Opcode} table is unambiguous, as Spike's {@code check-opcode-overlap.t.cc} does for its
 * encoding table: two rows can match the same word exactly when they agree on every bit both of them fix.
 * The decoder takes the first match, so an overlap would silently make one instruction unreachable.
 */
class EncodingOverlapTest {
    /**
     * Overlaps that are intended, each with its reason, keyed "FIRST/SECOND" in table order. There are none: the
     * RV64GC base encodings are disjoint, and HINT or reserved sub-encodings (for example {@code fence.tso},
     * {@code pause}, {@code prefetch.i}) are deliberately not separate rows but part of the row whose semantics
     * they have.
     */
    private static final Map<String, String> ALLOWED_OVERLAPS = Map.of();

    @Test
    void noTwoRowsMatchTheSameWord() {
        final List<String> overlaps = new ArrayList<>();
        final Opcode[] ops = Opcode.values();
        for (int i = 0; i < ops.length; i++) {
            for (int j = i + 1; j < ops.length; j++) {
                final Opcode a = ops[i];
                final Opcode b = ops[j];
                if (a == Opcode.ILLEGAL || b == Opcode.ILLEGAL) {
                    continue;
                }
                final boolean overlap = ((a.match ^ b.match) & a.mask & b.mask) == 0;
                if (overlap && !ALLOWED_OVERLAPS.containsKey(a + "/" + b)) {
                    overlaps.add(a + "/" + b);
                }
            }
        }
        assertEquals(List.of(), overlaps);
    }

    @Test
    void everyRowIsA32BitEncodingWithinItsMask() {
        for (final Opcode op : Opcode.values()) {
            if (op == Opcode.ILLEGAL) {
                assertEquals(0, op.mask);
                continue;
            }
            assertEquals(0, op.match & ~op.mask, op + " has match bits outside its mask");
            assertEquals(0x7F, op.mask & 0x7F, op + " must fix the whole major opcode");
            assertEquals(3, op.match & 3, op + " is not a 32-bit encoding");
            assertTrue((op.match & 0x1C) != 0x1C, op + " sits in the space of longer encodings");
        }
    }

    /** The decoder reaches every row: the row's own fixed bits, and those with every free bit set, decode to it. */
    @Test
    void everyRowIsReachableThroughTheDecoder() {
        for (final Opcode op : Opcode.values()) {
            if (op != Opcode.ILLEGAL) {
                assertSame(op, Decoder.decode(op.match).op, op.toString());
                assertSame(op, Decoder.decode(op.match | ~op.mask).op, op.toString());
            }
        }
    }

    /** Spot checks against values in the spec's opcode tables, so a pattern typo cannot hide behind the parser. */
    @Test
    void patternsGiveTheSpecEncodings() {
        assertEquals(0x00000033, Opcode.ADD.match);
        assertEquals(0xFE00707F, Opcode.ADD.mask);
        assertEquals(0x40005013, Opcode.SRAI.match);
        assertEquals(0xFC00707F, Opcode.SRAI.mask);
        assertEquals(0x4000501B, Opcode.SRAIW.match);
        assertEquals(0xFE00707F, Opcode.SRAIW.mask);
        assertEquals(0x1000202F, Opcode.LR_W.match);
        assertEquals(0xF9F0707F, Opcode.LR_W.mask);
        assertEquals(0x12000073, Opcode.SFENCE_VMA.match);
        assertEquals(0xFE007FFF, Opcode.SFENCE_VMA.mask);
        assertEquals(0x30200073, Opcode.MRET.match);
        assertEquals(0xFFFFFFFF, Opcode.MRET.mask);
        assertEquals(0x02000043, Opcode.FMADD_D.match);
        assertEquals(0x0600007F, Opcode.FMADD_D.mask);
        assertEquals(0xE2001053, Opcode.FCLASS_D.match);
        assertEquals(0xFFF0707F, Opcode.FCLASS_D.mask);
        assertEquals(0x0000000F, Opcode.FENCE.match);
        assertEquals(0x0000707F, Opcode.FENCE.mask);
        assertEquals("fcvt.wu.s", Opcode.FCVT_WU_S.mnemonic);
        assertEquals("amomaxu.d", Opcode.AMOMAXU_D.mnemonic);
        assertEquals("sfence.vma", Opcode.SFENCE_VMA.mnemonic);
    }
}
