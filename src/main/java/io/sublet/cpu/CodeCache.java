package io.sublet.cpu;

import io.sublet.isa.Insn;
import io.sublet.mem.Ram;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Decoded instructions per physical RAM page, shared by the harts of a machine: an instruction is
 * decoded once per address, not once per execution. A page holding decoded instructions is flagged
 * {@link Ram#CODE}; stores to it take the MMU's slow path, which calls {@link #invalidate} before the
 * bytes change, so self-modifying code and newly loaded programs are always seen as written.
 */
public final class CodeCache {
    /** One slot per 2-byte parcel of a 4 KiB page. */
    static final int SLOTS = Ram.PAGE_SIZE / 2;

    private final Ram ram;
    private final Insn[][] pages;
    private final List<Mmu> mmus = new ArrayList<>();

    public CodeCache(Ram ram) {
        this.ram = ram;
        this.pages = new Insn[(int) (ram.size() >>> Ram.PAGE_SHIFT)][];
    }

    void register(Mmu mmu) {
        mmus.add(mmu);
    }

    /** The decoded-instruction slots of a RAM page, marking it as code on first use. */
    Insn[] page(int ramPage) {
        Insn[] p = pages[ramPage];
        if (p == null) {
            p = new Insn[SLOTS];
            pages[ramPage] = p;
        }
        markCode(ramPage);
        return p;
    }

    /** Flags a page as code and removes it from every write TLB, so its next store is seen here. */
    void markCode(int ramPage) {
        if ((ram.pageFlags(ramPage) & Ram.CODE) == 0) {
            ram.setPageFlags(ramPage, ram.pageFlags(ramPage) | Ram.CODE);
            for (Mmu m : mmus) {
                m.evictStorePage(ramPage);
            }
        }
    }

    /**
     * Forgets the page's decoded instructions; called before any store into RAM that did not come
     * through a write TLB (slow-path stores, host and device writes). Cheap for pages without code.
     */
    public void invalidate(int ramPage) {
        if ((ram.pageFlags(ramPage) & Ram.CODE) == 0) {
            return; // decoded slots exist only while the page is flagged as code
        }
        final Insn[] p = pages[ramPage];
        if (p != null) {
            Arrays.fill(p, null);
        }
        ram.setPageFlags(ramPage, ram.pageFlags(ramPage) & ~Ram.CODE);
    }

    /** Forgets every decoded instruction (a loader wrote RAM behind the harts' backs). */
    public void invalidateAll() {
        for (int i = 0; i < pages.length; i++) {
            invalidate(i);
        }
    }
}
