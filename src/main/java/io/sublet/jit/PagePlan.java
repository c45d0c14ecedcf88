package io.sublet.jit;

import io.sublet.cpu.CodeCache;
import io.sublet.isa.Decoder;
import io.sublet.isa.Insn;
import io.sublet.mem.Ram;
import java.util.ArrayDeque;

/**
 * Which instructions of a page to translate and where translated code can be entered. It starts from the
 * instructions the interpreter has decoded there (the code that ran) and follows fall-through paths and
 * branch targets inside the page, decoding from RAM, so the paths not taken yet are translated too.
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

    /** Plans the page from its decoded instructions; {@code ram} supplies the bytes of paths not yet run. */
    static PagePlan of(Insn[] decoded, Ram ram, int ramPage) {
        final PagePlan p = new PagePlan();
        final ArrayDeque<Integer> work = new ArrayDeque<>();
        for (int s = 0; s < SLOTS; s++) {
            if (decoded[s] != null) {
                work.add(s);
            }
        }
        final int base = ramPage << Ram.PAGE_SHIFT;
        while (!work.isEmpty()) {
            final int s = work.poll();
            if (s < 0 || s >= SLOTS || p.insn[s] != null) {
                continue;
            }
            final Insn in = decoded[s] != null ? decoded[s] : decode(ram, base, s);
            p.insn[s] = in;
            final boolean spans = in.length == 4 && s == SLOTS - 1;
            final Kind k = spans ? Kind.INTERPRETED : Kind.of(in);
            p.kind[s] = k;
            final int next = s + in.length / 2;
            if (k == Kind.BRANCH || k == Kind.JUMP) {
                final long target = 2L * s + in.imm;
                if (target >= 0 && target < Ram.PAGE_SIZE) {
                    work.add((int) (target >>> 1));
                }
            }
            if (k.fallsThrough() || (k == Kind.INTERPRETED && resumesAfter(in))) {
                work.add(next);
            }
        }
        p.findLeaders();
        return p;
    }

    /** Whether the instruction after an interpreted one usually runs next (not after xRET or illegal ones). */
    private static boolean resumesAfter(Insn in) {
        switch (in.op) {
            case MRET: case SRET: case ILLEGAL: return false;
            default: return true;
        }
    }

    private static Insn decode(Ram ram, int base, int s) {
        final int lo = (int) ram.load(base + 2 * s, 2) & 0xffff;
        if ((lo & 3) != 3 || s == SLOTS - 1) {
            return Decoder.decode((lo & 3) != 3 ? lo : lo | 0xffff0000); // a 4-byte one at the end spans pages
        }
        return Decoder.decode(lo | ((int) ram.load(base + 2 * s + 2, 2) & 0xffff) << 16);
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
