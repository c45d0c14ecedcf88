package io.sublet.jit;

import io.sublet.cpu.CodeCache;
import io.sublet.isa.Insn;
import io.sublet.mem.Ram;

/**
 * Which instructions of a page to translate and where translated code can be entered: the instructions the
 * interpreter has decoded there, which is the code that has run since the page last changed.
 *
 * <p>Leaders (block starts) are the entries of the generated code: branch and jump targets, the
 * instructions after branches, jumps (return sites) and interpreted instructions, and any instruction not
 * reached by falling through from the one before it. Entering elsewhere is the interpreter's job until it
 * reaches the next leader.
 */
final class PagePlan {
    static final int SLOTS = CodeCache.SLOTS;

    /** The instruction at each slot that is part of the plan, or null. */
    final Insn[] insn = new Insn[SLOTS];
    final Kind[] kind = new Kind[SLOTS];
    final boolean[] leader = new boolean[SLOTS];

    private PagePlan() { }

    /**
     * Plans the page from the instructions the interpreter has decoded there, that is, the code that has run.
     * Paths never taken are left out: they would make the methods larger, slower to compile and colder.
     * {@code entered} (a bit per slot, or null) marks where execution has entered the page's code before.
     */
    static PagePlan of(Insn[] decoded, long[] entered) {
        final PagePlan p = new PagePlan();
        for (int s = 0; s < SLOTS; s++) {
            final Insn in = decoded[s];
            if (in != null) {
                p.insn[s] = in;
                p.kind[s] = in.length == 4 && s == SLOTS - 1 ? Kind.INTERPRETED : Kind.of(in);
            }
        }
        p.findLeaders();
        if (entered != null) {
            for (int s = 0; s < SLOTS; s++) {
                if ((entered[s >>> 6] & 1L << s) != 0 && p.insn[s] != null) {
                    p.leader[s] = true; // execution came in here from outside
                }
            }
        }
        return p;
    }

    /** Estimated bytecode bytes of the translation of the instruction at {@code slot}. */
    int estimatedBytes(int slot) {
        switch (kind[slot]) {
            case ALU: return 10;
            case MEMORY: return 80;
            case BRANCH: return 30;
            case JUMP: return 25;
            case JUMP_REGISTER: return 50;
            case HELPER: return 30;
            case NOP: return 0;
            default: return 12;
        }
    }

    private void findLeaders() {
        int prev = -1;
        for (int s = 0; s < SLOTS; s++) {
            if (insn[s] == null) {
                continue;
            }
            final Kind k = kind[s];
            if (k == Kind.BRANCH || k == Kind.JUMP) {
                final long target = 2L * s + insn[s].imm;
                if (target >= 0 && target < Ram.PAGE_SIZE && insn[(int) (target >>> 1)] != null) {
                    leader[(int) (target >>> 1)] = true;
                }
            }
            final boolean continues = prev >= 0 && prev + insn[prev].length / 2 == s
                    && kind[prev].fallsThrough() && kind[prev] != Kind.BRANCH;
            if (!continues) {
                leader[s] = true;
            }
            prev = s;
        }
    }

    /** Makes {@code slot} an entry, for splitting the page into separately compiled parts. */
    void makeLeader(int slot) {
        leader[slot] = true;
    }

    /**
     * What slots [from, to) hold in this plan: each instruction's slot and leader flag, and its bits. Two plans
     * with the same signature compile to the same code, so a retranslation can keep what is installed.
     */
    int[] signature(int from, int to) {
        int n = 0;
        for (int s = from; s < to; s++) {
            if (insn[s] != null) {
                n++;
            }
        }
        final int[] sig = new int[2 * n];
        int i = 0;
        for (int s = from; s < to; s++) {
            if (insn[s] != null) {
                sig[i++] = s << 1 | (leader[s] ? 1 : 0);
                sig[i++] = insn[s].bits;
            }
        }
        return sig;
    }

    /** Translated instructions in slots [from, to). */
    int translatedCount(int from, int to) {
        int n = 0;
        for (int s = from; s < to; s++) {
            if (insn[s] != null && kind[s].translated()) {
                n++;
            }
        }
        return n;
    }
}
