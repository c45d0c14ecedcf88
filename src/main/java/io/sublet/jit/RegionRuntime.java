package io.sublet.jit;

import io.sublet.cpu.Trap;

/** The calls generated code makes off its fast path, when an instruction traps or modified its own page. */
final class RegionRuntime {
    private RegionRuntime() { }

    /** The instruction at trap site {@code site} raised {@code t}: credit what ran before it, then take the trap. */
    static int trapped(JitContext c, Region r, int site, int n, long vbase, Trap t) {
        final int retired = n + r.siteDelta[site];
        c.hart.retire(retired);
        c.hart.takeTrap(t, vbase + r.siteOffset[site]);
        c.trapped = true;
        return retired;
    }

    /** The store at {@code site} completed and changed this region's page: stop before the next instruction. */
    static int modified(JitContext c, Region r, int site, int n, long vbase) {
        c.hart.pc = vbase + r.siteOffset[site] + r.siteLength[site];
        return n + r.siteDelta[site] + 1;
    }
}
