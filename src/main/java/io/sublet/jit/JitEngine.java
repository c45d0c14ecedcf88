package io.sublet.jit;

import io.sublet.cpu.CodeCache;
import io.sublet.cpu.Engine;
import io.sublet.cpu.Hart;
import io.sublet.cpu.Mmu;
import io.sublet.mem.Ram;

/**
 * The translating engine of one hart: a dispatch loop that runs the translated region for pc when there
 * is one and the interpreter otherwise, until the interpreter would return to {@link Hart#run} anyway
 * (budget, a CSR, xRET, WFI, a fence or a trap), so interrupts are checked exactly where the interpreter
 * alone would check them.
 *
 * <p>Lookup goes through the hart's fetch TLB (virtual page to RAM page, filled by the interpreter) and the
 * code cache's entry table of that page: a few array reads. In exact mode a region is entered only when it
 * cannot run past the budget, so instruction counts match the interpreter's to the instruction
 * ({@code --max-instructions}, deterministic runs); otherwise a region may overrun the budget by at most
 * its own size (a page's worth of instructions).
 */
public final class JitEngine implements Engine {
    private static final int OFFSET_MASK = Ram.PAGE_SIZE - 1;

    private final Hart hart;
    private final Mmu mmu;
    private final CodeCache code;
    private final Translator translator;
    private final JitContext context;
    private final boolean exact;
    /** Instructions retired by translated code, and by the interpreter; region entries. Per hart, plain counts. */
    private long translated;
    private long interpreted;
    private long entries;

    public JitEngine(Hart hart, CodeCache code, Translator translator, boolean exact) {
        this.hart = hart;
        this.mmu = hart.mmu();
        this.code = code;
        this.translator = translator;
        this.context = new JitContext(hart);
        this.exact = exact;
    }

    @Override
    public int execute(int budget) {
        int n = 0;
        while (n < budget) {
            final long pc = hart.pc;
            final int page = mmu.cachedFetchPage(pc);
            if (page >= 0) {
                final Object[] entries = code.entries(page);
                if (entries != null) {
                    final int slot = ((int) pc & OFFSET_MASK) >>> 1;
                    final Object e = entries[slot];
                    if (e == null) {
                        translator.missed(page, slot);
                    } else {
                        final Region r = (Region) e;
                        final int left = budget - n;
                        if (!exact || left >= r.size) {
                            n += enter(r, page, pc, slot, exact ? left - r.size + 1 : left);
                            if (context.trapped) {
                                context.trapped = false;
                                break;
                            }
                            continue;
                        }
                    }
                }
            }
            final int k = hart.interpret(budget - n, true);
            n += k;
            interpreted += k;
            if (page >= 0) {
                translator.interpreted(page, k);
            }
            if (!hart.interpreterLeftPage()) {
                break;
            }
        }
        return n;
    }

    /** How much ran translated: for the benchmark's report of where the time goes. */
    public String describe() {
        final long all = translated + interpreted;
        return String.format("%.1f%% of %,d instructions translated, %,d region entries (%.1f instructions each)",
                all == 0 ? 0 : 100.0 * translated / all, all, entries, entries == 0 ? 0 : (double) translated / entries);
    }

    private int enter(Region r, int page, long pc, int slot, int limit) {
        hart.runningTranslated(page);
        try {
            final int k = r.run(context, pc & ~(long) OFFSET_MASK, slot, limit);
            translated += k;
            entries++;
            if (!context.trapped) {
                hart.retire(k);
            }
            return k;
        } finally {
            hart.runningTranslated(-1);
        }
    }
}
