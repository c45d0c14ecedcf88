package io.sublet.jit;

import io.sublet.cpu.Hart;
import io.sublet.cpu.Mmu;
import java.nio.ByteBuffer;

/**
 * What translated code needs of the hart running it, gathered once so a region's prologue is a handful of
 * field loads: the register array, the MMU and its TLB arrays (inlined fast paths index them directly).
 * Regions are shared by all harts of a machine; each hart passes its own context.
 */
public final class JitContext {
    final Hart hart;
    final long[] x;
    final Mmu mmu;
    final ByteBuffer mem;
    final long[] loadTag;
    final int[] loadIdx;
    final long[] storeTag;
    final int[] storeIdx;
    /** Set when a region took a trap (and credited its instructions); the dispatcher returns then. */
    boolean trapped;

    JitContext(Hart hart) {
        this.hart = hart;
        this.x = hart.x;
        this.mmu = hart.mmu();
        this.mem = mmu.memory();
        this.loadTag = mmu.loadTags();
        this.loadIdx = mmu.loadIndexes();
        this.storeTag = mmu.storeTags();
        this.storeIdx = mmu.storeIndexes();
    }
}
