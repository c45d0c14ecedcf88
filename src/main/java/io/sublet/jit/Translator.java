package io.sublet.jit;

import io.sublet.cpu.CodeCache;
import io.sublet.isa.Insn;
import io.sublet.mem.Ram;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The translator of one machine, shared by its harts: it counts how many instructions the interpreter runs
 * in each physical page, and turns a page that got hot into regions ({@link PagePlan}, then
 * {@link RegionCompiler} for each part that fits one JVM method) which it installs in the {@link CodeCache}.
 * Translations are per physical page, so every hart and every virtual mapping of the page shares them, and
 * the code cache's invalidation (guest stores, DMA, loaders) drops them for all harts at once.
 *
 * <p>Work is done on a background thread while the interpreter keeps running; a full queue drops the
 * request (the page stays hot and asks again). In synchronous mode (deterministic runs, tests) the hart
 * that made a page hot translates it at once, so a run does not depend on host timing.
 */
public final class Translator {
    /** Interpreted instructions in a page before it is translated. */
    public static final int DEFAULT_HOT = 4_000;
    /** Translations of one page, beyond which it stays interpreted (code rewritten over and over). */
    static final int MAX_TRANSLATIONS = 16;
    private static final int QUEUE = 256;

    private final CodeCache code;
    private final Ram ram;
    private final boolean synchronous;
    private final int[] heat;
    private final byte[] translations;
    /** Pages queued or being translated, so one hot page is not queued many times. */
    private final boolean[] queued;
    /** One background thread per JVM translates for every machine in it; it idles when nothing is hot. */
    private static final ThreadPoolExecutor WORKER = new ThreadPoolExecutor(1, 1, 1, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(QUEUE), r -> {
                final Thread t = new Thread(r, "sublet-translator");
                t.setDaemon(true);
                return t;
            });

    static {
        WORKER.allowCoreThreadTimeOut(true);
    }

    private final AtomicLong pagesTranslated = new AtomicLong();
    private final AtomicLong regionsDefined = new AtomicLong();
    private final AtomicLong bytecodeBytes = new AtomicLong();
    private final AtomicLong translateNanos = new AtomicLong();
    private final AtomicLong discarded = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();

    private final int hot;

    public Translator(CodeCache code, Ram ram, boolean synchronous) {
        this(code, ram, synchronous, DEFAULT_HOT);
    }

    /** {@code hot}: interpreted instructions in a page before it is translated (tests make it small). */
    public Translator(CodeCache code, Ram ram, boolean synchronous, int hot) {
        this.hot = hot;
        this.code = code;
        this.ram = ram;
        this.synchronous = synchronous;
        this.heat = new int[code.pageCount()];
        this.translations = new byte[code.pageCount()];
        this.queued = new boolean[code.pageCount()];
    }

    /** Counts {@code n} interpreted instructions in {@code ramPage}; translates the page once it is hot. */
    void interpreted(int ramPage, int n) {
        final int h = heat[ramPage] + n;
        if (h < hot) {
            heat[ramPage] = h;
            return;
        }
        heat[ramPage] = 0;
        if (translations[ramPage] >= MAX_TRANSLATIONS || queued[ramPage]) {
            return;
        }
        if (synchronous) {
            translate(ramPage);
            return;
        }
        queued[ramPage] = true;
        try {
            WORKER.execute(() -> {
                try {
                    translate(ramPage);
                } finally {
                    queued[ramPage] = false;
                }
            });
        } catch (RejectedExecutionException e) {
            queued[ramPage] = false; // the queue is full: drop the request, never block the hart
            dropped.incrementAndGet();
        }
    }

    /** Translates a page as it is now; installs nothing if the page changes meanwhile. */
    void translate(int ramPage) {
        final long start = System.nanoTime();
        final int generation = code.generation(ramPage);
        final Insn[] decoded = code.decodedCopy(ramPage);
        if (decoded == null) {
            return;
        }
        translations[ramPage]++;
        final PagePlan plan = PagePlan.of(decoded, ram, ramPage);
        final Object[] entries = new Object[CodeCache.SLOTS];
        final int regions = compileParts(plan, 0, CodeCache.SLOTS, ramPage, generation, entries);
        translateNanos.addAndGet(System.nanoTime() - start);
        if (regions == 0) {
            return;
        }
        if (code.install(ramPage, generation, entries)) {
            pagesTranslated.incrementAndGet();
            regionsDefined.addAndGet(regions);
        } else {
            discarded.incrementAndGet();
        }
    }

    /** Compiles slots [from, to), halving the range until each part fits a method HotSpot will compile. */
    private int compileParts(PagePlan plan, int from, int to, int ramPage, int generation, Object[] entries) {
        final RegionCompiler.Output out = RegionCompiler.compile(plan, from, to);
        if (out == null) {
            return 0;
        }
        if (out.codeBytes() > RegionCompiler.MAX_CODE_BYTES && plan.translatedCount(from, to) > 1) {
            int mid = (from + to) >>> 1;
            while (mid < to && plan.insn[mid] == null) {
                mid++;
            }
            if (mid >= to) {
                mid = (from + to) >>> 1;
                while (mid > from && plan.insn[mid] == null) {
                    mid--;
                }
            }
            if (mid > from && mid < to) {
                plan.makeLeader(mid);
                return compileParts(plan, from, mid, ramPage, generation, entries)
                        + compileParts(plan, mid, to, ramPage, generation, entries);
            }
        }
        final Region region = RegionLoader.define(out.classFile(), new Region.Shape(ramPage, generation, out.size(),
                out.siteOffset(), out.siteLength(), out.siteDelta(), out.helpers()));
        bytecodeBytes.addAndGet(out.codeBytes());
        for (int slot : out.entries()) {
            entries[slot] = region;
        }
        return 1;
    }

    /** What the translator has done so far, for {@code sublet bench} and the monitor. */
    public Stats stats() {
        return new Stats(pagesTranslated.get(), regionsDefined.get(), bytecodeBytes.get(), translateNanos.get(),
                discarded.get(), dropped.get());
    }

    /** Counts since the machine started. */
    public record Stats(long pages, long regions, long bytecodeBytes, long translateNanos, long discarded,
                        long dropped) {
        public String describe() {
            return String.format("%d pages translated into %d regions (%d KiB of bytecode) in %.1f ms; "
                    + "%d discarded as stale, %d requests dropped", pages, regions, bytecodeBytes >> 10,
                    translateNanos / 1e6, discarded, dropped);
        }
    }
}
