package io.sublet.cpu;

import io.sublet.isa.Insn;
import io.sublet.mem.Ram;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Decoded and translated code per physical RAM page, shared by the harts of a machine: an instruction is
 * decoded once per address, not once per execution. A page holding decoded instructions is flagged
 * {@link Ram#CODE}; stores to it take the MMU's slow path, which calls {@link #invalidate} before the
 * bytes change, so self-modifying code and newly loaded programs are always seen as written.
 *
 * <p>The same invalidation drops the page's translated entries, which a translator installs with
 * {@link #install}. Each page has a generation, bumped whenever its code is dropped: a translator reads
 * the page under one generation and its work is installed only if the generation is still the same, so
 * a translation can never outlive the bytes it was made from, even when it is built on another thread.
 * The entry tables are opaque here (this package does not know the translator): one slot per 2-byte
 * parcel, non-null where translated code can be entered.
 */
public final class CodeCache {
    /** One slot per 2-byte parcel of a 4 KiB page. */
    public static final int SLOTS = Ram.PAGE_SIZE / 2;

    private static final VarHandle TABLES = MethodHandles.arrayElementVarHandle(Object[][].class);
    private static final VarHandle GENERATIONS = MethodHandles.arrayElementVarHandle(int[].class);

    private final Ram ram;
    private final Insn[][] pages;
    private final Object[][] entryTables;
    private final int[] generations;
    private final List<Mmu> mmus = new ArrayList<>();

    public CodeCache(Ram ram) {
        this.ram = ram;
        final int n = (int) (ram.size() >>> Ram.PAGE_SHIFT);
        this.pages = new Insn[n][];
        this.entryTables = new Object[n][];
        this.generations = new int[n];
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
     * Forgets the page's decoded instructions and translations; called before any store into RAM that did not
     * come through a write TLB (slow-path stores, host and device writes). Cheap for pages without code.
     * Returns whether the page had translated code.
     */
    public boolean invalidate(int ramPage) {
        if ((ram.pageFlags(ramPage) & Ram.CODE) == 0) {
            return false; // decoded slots and translations exist only while the page is flagged as code
        }
        GENERATIONS.getAndAdd(generations, ramPage, 1);
        final boolean translated = TABLES.getAndSet(entryTables, ramPage, (Object[]) null) != null;
        final Insn[] p = pages[ramPage];
        if (p != null) {
            Arrays.fill(p, null);
        }
        ram.setPageFlags(ramPage, ram.pageFlags(ramPage) & ~Ram.CODE);
        return translated;
    }

    /**
     * Forgets the page's decoded instructions but nothing else (the bytes did not change, translations stay):
     * what is decoded again from now on is the code that runs from now on, which a translator samples.
     */
    public void forgetDecoded(int ramPage) {
        final Insn[] p = pages[ramPage];
        if (p != null) {
            Arrays.fill(p, null);
        }
    }

    /** Forgets every decoded instruction (a loader wrote RAM behind the harts' backs). */
    public void invalidateAll() {
        for (int i = 0; i < pages.length; i++) {
            invalidate(i);
        }
    }

    public int pageCount() {
        return pages.length;
    }

    /** The page's generation: it changes whenever the page's code is dropped. */
    public int generation(int ramPage) {
        return (int) GENERATIONS.getVolatile(generations, ramPage);
    }

    /**
     * A copy of the page's decoded instructions (null slots where nothing was decoded), or null when the page
     * holds no code. Safe from any thread: a racing invalidation shows as a changed {@link #generation}.
     */
    public Insn[] decodedCopy(int ramPage) {
        final Insn[] p = pages[ramPage];
        return p == null || (ram.pageFlags(ramPage) & Ram.CODE) == 0 ? null : p.clone();
    }

    /** The translated entries of a page, or null; read on every dispatch, so a plain acquiring read. */
    public Object[] entries(int ramPage) {
        return (Object[]) TABLES.getAcquire(entryTables, ramPage);
    }

    /**
     * Installs translated entries made from the page as it was at {@code generation}. Returns false, installing
     * nothing, when the page has changed since (its code was dropped, or it no longer holds code).
     */
    public boolean install(int ramPage, int generation, Object[] entries) {
        if (entries.length != SLOTS) {
            throw new IllegalArgumentException("an entry table has " + SLOTS + " slots, got " + entries.length);
        }
        if (generation(ramPage) != generation) {
            return false;
        }
        TABLES.setVolatile(entryTables, ramPage, entries);
        // An invalidation that raced with the store either bumped the generation before it (seen here) or
        // cleared the table after it: either way no stale table survives.
        if (generation(ramPage) != generation || (ram.pageFlags(ramPage) & Ram.CODE) == 0) {
            TABLES.compareAndSet(entryTables, ramPage, entries, (Object[]) null);
            return false;
        }
        return true;
    }
}
