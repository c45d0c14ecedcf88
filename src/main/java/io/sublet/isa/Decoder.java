package io.sublet.isa;

import java.util.Arrays;

/**
 * Decodes RV64GC instruction words into {@link Insn}s. Pure and thread-safe.
 *
 * <p>The 32-bit decoder has no hand-written opcode logic: when the class loads it indexes the {@link Opcode}
 * table by major opcode (bits 6..2), funct3 (bits 14..12) and funct7 (bits 31..25), which leaves at most a few
 * candidates per slot, usually one, and then takes the candidate whose {@code mask}/{@code match} accepts the
 * word (there is never more than one, see {@code EncodingOverlapTest}). This is Spike's
 * {@code build_opcode_map} idea with a deeper first-level index.
 */
public final class Decoder {
    private static final int LENGTH_32 = 4;

    /** Bits of a word that select a slot of {@link #SLOTS}: opcode[6:2], funct3, funct7. */
    private static final int SLOT_BITS = 0x1F << 2 | 7 << 12 | 0x7F << 25;

    /** Candidate opcodes per slot; runs of slots with equal candidates share one array. */
    private static final Opcode[][] SLOTS = buildSlots();

    private Decoder() {
    }

    /**
     * Decodes one instruction. If the two low bits are not {@code 11} the low 16 bits are a compressed
     * instruction (the high half, which belongs to the next instruction, is ignored); otherwise all 32 bits are
     * one instruction. Never fails: reserved and illegal encodings give an {@link Opcode#ILLEGAL} insn holding
     * the raw bits.
     */
    public static Insn decode(final int bits) {
        if ((bits & 3) != 3) {
            return CompressedDecoder.decode(bits & 0xFFFF);
        }
        for (final Opcode op : SLOTS[slot(bits)]) {
            if ((bits & op.mask) == op.match) {
                return expand(op, bits);
            }
        }
        return illegal(bits, LENGTH_32);
    }

    static Insn illegal(final int bits, final int length) {
        return new Insn(Opcode.ILLEGAL, 0, 0, 0, 0, 0, 0, length, bits);
    }

    private static int slot(final int w) {
        return (w >>> 2 & 0x1F) << 10 | (w >>> 12 & 7) << 7 | w >>> 25;
    }

    /** The word bits a slot index stands for; the inverse of {@link #slot} on {@link #SLOT_BITS}. */
    private static int slotWord(final int slot) {
        return (slot >>> 10 & 0x1F) << 2 | (slot >>> 7 & 7) << 12 | (slot & 0x7F) << 25;
    }

    private static Insn expand(final Opcode op, final int w) {
        final int rd = Fields.rd(w);
        final int rs1 = Fields.rs1(w);
        final int rs2 = Fields.rs2(w);
        switch (op.format) {
            case R:
            case FFF:
            case XFF:
                return new Insn(op, rd, rs1, rs2, 0, 0, 0, LENGTH_32, w);
            case I:
            case LOAD:
            case FLOAD:
                return new Insn(op, rd, rs1, 0, 0, 0, Fields.immI(w), LENGTH_32, w);
            case SHIFT:
                return new Insn(op, rd, rs1, 0, 0, 0, Fields.shamt(w), LENGTH_32, w);
            case STORE:
            case FSTORE:
                return new Insn(op, 0, rs1, rs2, 0, 0, Fields.immS(w), LENGTH_32, w);
            case BRANCH:
                return new Insn(op, 0, rs1, rs2, 0, 0, Fields.immB(w), LENGTH_32, w);
            case U:
                return new Insn(op, rd, 0, 0, 0, 0, Fields.immU(w), LENGTH_32, w);
            case JAL:
                return new Insn(op, rd, 0, 0, 0, 0, Fields.immJ(w), LENGTH_32, w);
            case CSR:
            case CSRI:
                return new Insn(op, rd, rs1, 0, 0, 0, Fields.csr(w), LENGTH_32, w);
            case FENCE:
                return new Insn(op, 0, 0, 0, 0, 0, Fields.fence(w), LENGTH_32, w);
            case NONE:
                return new Insn(op, 0, 0, 0, 0, 0, 0, LENGTH_32, w);
            case SFENCE:
                return new Insn(op, 0, rs1, rs2, 0, 0, 0, LENGTH_32, w);
            case LR:
                return new Insn(op, rd, rs1, 0, 0, 0, Fields.aqrl(w), LENGTH_32, w);
            case AMO:
                return new Insn(op, rd, rs1, rs2, 0, 0, Fields.aqrl(w), LENGTH_32, w);
            case R4:
                return new Insn(op, rd, rs1, rs2, Fields.rs3(w), Fields.funct3(w), 0, LENGTH_32, w);
            case FFF_RM:
                return new Insn(op, rd, rs1, rs2, 0, Fields.funct3(w), 0, LENGTH_32, w);
            case FF_RM:
            case XF_RM:
            case FX_RM:
                // rs2 is a fixed sub-opcode here, not an operand.
                return new Insn(op, rd, rs1, 0, 0, Fields.funct3(w), 0, LENGTH_32, w);
            case XF:
            case FX:
                return new Insn(op, rd, rs1, 0, 0, 0, 0, LENGTH_32, w);
            default:
                throw new AssertionError(op.format);
        }
    }

    private static Opcode[][] buildSlots() {
        // First by opcode and funct3, then refine each bucket by funct7. Buckets with at most one row, the vast
        // majority, need no refinement. This runs at class-load time, mostly in the bytecode interpreter, so it
        // avoids hashing: neighbouring funct7 values (aq/rl bits, fmt bits) usually share a candidate array.
        final Opcode[][] slots = new Opcode[1 << 15][];
        final Opcode[] all = Opcode.values();
        final Opcode[] rows = new Opcode[all.length];
        final Opcode[] candidates = new Opcode[all.length];
        for (int bucket = 0; bucket < 256; bucket++) {
            final int first = bucket << 7;
            int count = 0;
            for (final Opcode op : all) {
                if (op != Opcode.ILLEGAL && mayMatch(op, slotWord(first), SLOT_BITS & ~(0x7F << 25))) {
                    rows[count++] = op;
                }
            }
            if (count <= 1) {
                final Opcode[] same = Arrays.copyOf(rows, count);
                Arrays.fill(slots, first, first + 128, same);
                continue;
            }
            Opcode[] previous = null;
            for (int slot = first; slot < first + 128; slot++) {
                int n = 0;
                for (int i = 0; i < count; i++) {
                    if (mayMatch(rows[i], slotWord(slot), SLOT_BITS)) {
                        candidates[n++] = rows[i];
                    }
                }
                if (previous == null || !Arrays.equals(previous, 0, previous.length, candidates, 0, n)) {
                    previous = Arrays.copyOf(candidates, n);
                }
                slots[slot] = previous;
            }
        }
        return slots;
    }

    /** Whether some word agreeing with {@code word} on {@code known} bits could be {@code op}. */
    private static boolean mayMatch(final Opcode op, final int word, final int known) {
        return ((word ^ op.match) & op.mask & known) == 0 && (op.match & 3) == 3;
    }
}
