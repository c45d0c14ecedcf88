package io.sublet.isa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Checks the decoder and disassembler against GNU binutils: whatever the assembler encodes must decode and print
 * as objdump prints it, and every word objdump rejects must be {@link Opcode#ILLEGAL} unless it is one of the
 * {@link Divergence}s listed below, each with the reason objdump and the spec disagree.
 */
class ObjdumpCrossCheckTest {
    @TempDir
    Path dir;

    /** Per test rather than per class, so that each skipped test is reported with the reason. */
    @BeforeEach
    void toolchainPresent() {
        final String missing = Toolchain.missingReason();
        Assumptions.assumeTrue(missing == null, missing);
    }

    @ParameterizedTest(name = "-march={0}")
    @ValueSource(strings = {"rv64g", "rv64gc"})
    void assembledProgramDisassemblesLikeObjdump(final String march) throws IOException {
        final String source = march.endsWith("c") ? AsmCorpus.BASE + AsmCorpus.COMPRESSED : AsmCorpus.BASE;
        final Path object = Toolchain.assemble(dir, "corpus", source, march);
        final List<Toolchain.Line> lines = Toolchain.disassembleObject(object);
        final Set<Opcode> seen = EnumSet.noneOf(Opcode.class);
        int compressed = 0;
        final List<String> mismatches = new ArrayList<>();
        for (final Toolchain.Line line : lines) {
            final Insn insn = Decoder.decode(line.bits());
            assertEquals(line.length(), insn.length, () -> "length of " + line);
            seen.add(insn.op);
            compressed += insn.length == 2 ? 1 : 0;
            final String expected = ObjdumpText.expected(line.text());
            final String actual = Disassembler.format(insn, line.address());
            if (!actual.equals(expected)) {
                mismatches.add(hex(line.bits()) + ": objdump '" + line.text() + "' expected '" + expected
                    + "' got '" + actual + "'");
            }
        }
        assertEquals(List.of(), mismatches);
        assertTrue(lines.size() > 200, "objdump listed only " + lines.size() + " instructions");
        if (march.equals("rv64g")) {
            final Set<Opcode> missing = EnumSet.complementOf(EnumSet.copyOf(seen));
            missing.remove(Opcode.ILLEGAL);
            assertEquals(Set.of(), missing, "opcodes the corpus does not cover");
            assertEquals(0, compressed);
        } else {
            assertTrue(compressed > 100, "only " + compressed + " compressed instructions");
        }
    }

    /**
     * All 49152 halfwords that are not the start of a 32-bit instruction: each one objdump accepts as RV64C must
     * expand to the same base instruction, and each one it rejects must be illegal. This is what catches a
     * reserved encoding decoded as something, or a scrambled immediate bit.
     */
    @Test
    void everyCompressedHalfwordAgreesWithObjdump() throws IOException {
        final ByteBuffer code = ByteBuffer.allocate(2 * 49152).order(ByteOrder.LITTLE_ENDIAN);
        for (int h = 0; h < 0x10000; h++) {
            if ((h & 3) != 3) {
                code.putShort((short) h);
            }
        }
        final List<Toolchain.Line> lines = Toolchain.disassembleRaw(dir, code.array());
        assertEquals(49152, lines.size());
        final List<String> mismatches = new ArrayList<>();
        final Set<Divergence> seen = EnumSet.noneOf(Divergence.class);
        int legal = 0;
        for (final Toolchain.Line line : lines) {
            legal += check(line, mismatches, seen) ? 1 : 0;
        }
        assertNoMismatches(mismatches);
        // objdump's count of legal ones minus c.unimp and the reserved c.addi16sp sp,0.
        assertEquals(49152 - 2407 - 1 - 1, legal);
        assertEquals(EnumSet.of(Divergence.ADDI16SP_ZERO), seen);
    }

    /**
     * Random 32-bit words near every table row (the row's fixed bits with random operands, and the same with one
     * fixed bit flipped) and random words in every major opcode: the same instruction text as objdump, or illegal
     * where objdump has none.
     */
    @Test
    void random32BitWordsAgreeWithObjdump() throws IOException {
        final Random random = new Random(0x5b1e7L);
        final List<Integer> words = new ArrayList<>();
        for (final Opcode op : Opcode.values()) {
            if (op == Opcode.ILLEGAL) {
                continue;
            }
            for (int i = 0; i < 200; i++) {
                final int operands = random.nextInt() & ~op.mask;
                words.add(op.match | operands);
                final int flip = 1 << pickSetBit(op.mask & ~3, random);
                words.add((op.match | operands) ^ flip);
            }
        }
        for (int i = 0; i < 40000; i++) {
            words.add(random.nextInt() | 3);
        }
        for (int sets = 0; sets < 256; sets++) {
            words.add(sets << 20 | 0x0F); // fence pred,succ
            words.add(0x8 << 28 | sets << 20 | 0x0F); // the same with fm=TSO
        }
        for (int funct12 = 0; funct12 < 4096; funct12++) {
            words.add(funct12 << 20 | 0x73); // the SYSTEM space of ecall, ebreak, xret, wfi
            words.add(funct12 << 20 | 0x73 | 1 << 7); // the same with rd != 0, all illegal
        }
        final ByteBuffer code = ByteBuffer.allocate(4 * words.size()).order(ByteOrder.LITTLE_ENDIAN);
        int count = 0;
        for (final int w : words) {
            // Longer-than-32-bit encodings would make objdump consume the next word too; DecoderTest has them.
            if ((w & 0x1F) != 0x1F) {
                code.putInt(w);
                count++;
            }
        }
        final byte[] bytes = new byte[4 * count];
        code.flip().get(bytes);
        final List<Toolchain.Line> lines = Toolchain.disassembleRaw(dir, bytes);
        assertEquals(count, lines.size());
        final List<String> mismatches = new ArrayList<>();
        final Set<Divergence> seen = EnumSet.noneOf(Divergence.class);
        for (final Toolchain.Line line : lines) {
            check(line, mismatches, seen);
        }
        assertNoMismatches(mismatches);
        // Each listed divergence is real: the sample runs into every 32-bit one.
        assertEquals(EnumSet.complementOf(EnumSet.of(Divergence.ADDI16SP_ZERO)), seen);
    }

    /** Every CSR number, named as objdump names it for privileged spec 1.12 or as hex when it has no name. */
    @Test
    void csrNamesAgreeWithObjdump() throws IOException {
        final ByteBuffer code = ByteBuffer.allocate(4 * 4096).order(ByteOrder.LITTLE_ENDIAN);
        for (int csr = 0; csr < 4096; csr++) {
            code.putInt(csr << 20 | 2 << 12 | 10 << 7 | 0x73); // csrrs a0, csr, zero
        }
        final List<String> mismatches = new ArrayList<>();
        final Set<Divergence> seen = EnumSet.noneOf(Divergence.class);
        for (final Toolchain.Line line : Toolchain.disassembleRaw(dir, code.array())) {
            check(line, mismatches, seen);
        }
        assertEquals(List.of(), mismatches);
        assertEquals(Set.of(), seen);
    }

    /** Compares one objdump line with Sublet's decoding; returns whether Sublet considers it legal. */
    private static boolean check(final Toolchain.Line line, final List<String> mismatches, final Set<Divergence> seen) {
        final Insn insn = Decoder.decode(line.bits());
        final String actual = Disassembler.format(insn, line.address());
        final String expected = ObjdumpText.expected(line.text());
        final Divergence divergence = Divergence.of(insn);
        if (divergence != null) {
            seen.add(divergence);
            if (!divergence.holds(insn, expected)) {
                mismatches.add(hex(line.bits()) + ": " + divergence + " does not explain objdump '"
                    + line.text() + "'");
            }
        } else if (expected == null ? insn.op != Opcode.ILLEGAL : !expected.equals(actual)) {
            mismatches.add(hex(line.bits()) + ": objdump '" + line.text() + "' expected '" + expected
                + "' got '" + actual + "'");
        }
        return insn.op != Opcode.ILLEGAL;
    }

    private static void assertNoMismatches(final List<String> mismatches) {
        assertEquals(List.of(), mismatches.subList(0, Math.min(50, mismatches.size())),
            mismatches.size() + " mismatches");
    }

    private static int pickSetBit(final int mask, final Random random) {
        while (true) {
            final int bit = random.nextInt(32);
            if ((mask >>> bit & 1) != 0) {
                return bit;
            }
        }
    }

    private static String hex(final int bits) {
        return String.format("%08x", bits);
    }

    /** Encodings where Sublet follows the spec and binutils 2.40's objdump does not. */
    private enum Divergence {
        /**
         * The spec reserves the unused FENCE fields (other fm values, rs1, rd) for future use and requires them
         * to execute as a plain FENCE; objdump only accepts rs1 = rd = 0 with fm = 0, or exactly fence.tso.
         */
        FENCE_RESERVED_FIELDS,
        /** An empty predecessor or successor set: objdump prints {@code unknown}, Sublet prints {@code 0}. */
        FENCE_EMPTY_SET,
        /** FENCE.I ignores its imm, rs1 and rd fields (reserved for future use); objdump requires zeros. */
        FENCE_I_RESERVED_FIELDS,
        /**
         * fcvt.d.s, fcvt.d.w and fcvt.d.wu are exact, but the spec still gives them an rm field; binutils 2.40
         * only decodes rm = 0 (newer binutils accept every rm).
         */
        EXACT_CONVERSION_RM,
        /**
         * {@code uret} (the withdrawn N extension), {@code hret} and {@code sfence.vm} (privileged spec 1.9.1,
         * gone since 1.10) and {@code dret} (debug mode only, which Sublet does not implement; illegal outside it):
         * objdump decodes them, but they are not RV64GC instructions.
         */
        OTHER_SYSTEM,
        /** c.addi16sp with a zero immediate is reserved by the spec; objdump prints it as {@code c.addi16sp sp,0}. */
        ADDI16SP_ZERO;

        static Divergence of(final Insn insn) {
            final int w = insn.bits;
            switch (insn.op) {
                case FENCE:
                    if ((w & 0x000F8F80) != 0 || (w >>> 28) != 0 && insn.imm != 0x833) {
                        return FENCE_RESERVED_FIELDS;
                    }
                    return (w >>> 20 & 0xF) == 0 || (w >>> 24 & 0xF) == 0 ? FENCE_EMPTY_SET : null;
                case FENCE_I:
                    return (w & 0xFFFF8F80) != 0 ? FENCE_I_RESERVED_FIELDS : null; // imm, rs1, rd
                case FCVT_D_S:
                case FCVT_D_W:
                case FCVT_D_WU:
                    return insn.rm != 0 ? EXACT_CONVERSION_RM : null;
                case ILLEGAL:
                    if (insn.length == 2) {
                        return w == 0x6101 ? ADDI16SP_ZERO : null;
                    }
                    final boolean other = w == 0x00200073 || w == 0x20200073 || w == 0x10400073 || w == 0x7b200073;
                    return other ? OTHER_SYSTEM : null;
                default:
                    return null;
            }
        }

        boolean holds(final Insn insn, final String expected) {
            switch (this) {
                case FENCE_EMPTY_SET: {
                    final String ours = Disassembler.format(insn, 0);
                    return expected != null && expected.replace("unknown", "0").equals(ours);
                }
                case ADDI16SP_ZERO:
                    return "addi\tsp,sp,0".equals(expected);
                case OTHER_SYSTEM:
                    return Set.of("uret", "hret", "sfence.vm", "dret").contains(expected);
                default:
                    return expected == null;
            }
        }
    }
}
