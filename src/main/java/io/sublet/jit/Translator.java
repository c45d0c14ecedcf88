package io.sublet.jit;

import io.sublet.cpu.CodeCache;
import io.sublet.isa.Insn;
import java.util.Arrays;
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
    public static final int DEFAULT_HOT = 16_000_000;
    /** Translations of one page, beyond which it stays interpreted (code rewritten over and over). */
    static final int MAX_TRANSLATIONS = 16;
    private static final int QUEUE = 256;
    /** A hot page is translated after another 1/SAMPLE of the hot threshold, with only the code that ran then. */
    static final int SAMPLE = 8;
    /**
     * Estimated bytecode per generated method. Small enough for C1 to compile quickly (it gives up on methods
     * of ~7 KB with this many locals), and for C2 to inline the small semantics methods within its budget.
     */
    static final int PART_BYTES = 5_000;

    private final CodeCache code;
    private final boolean synchronous;
    private final int[] heat;
    private final byte[] translations;
    /** Pages being sampled: their decoded instructions were forgotten when they got hot. */
    private final boolean[] sampling;
    /** Per page, the plan its installed translation was made from. */
    private final int[][] signatures;
    /** Per page, slots where the dispatcher found no entry into the page's translation (lazily allocated). */
    private final long[][] missed;
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

    public Translator(CodeCache code, boolean synchronous) {
        this(code, synchronous, DEFAULT_HOT);
    }

    /** {@code hot}: interpreted instructions in a page before it is translated (tests make it small). */
    public Translator(CodeCache code, boolean synchronous, int hot) {
        this.hot = hot;
        this.code = code;
        this.synchronous = synchronous;
        this.heat = new int[code.pageCount()];
        this.translations = new byte[code.pageCount()];
        this.missed = new long[code.pageCount()][];
        this.signatures = new int[code.pageCount()][];
        this.sampling = new boolean[code.pageCount()];
        this.queued = new boolean[code.pageCount()];
    }

    /**
     * Notes that translated code of {@code ramPage} exists but cannot be entered at {@code slot}, so that the
     * next translation makes it an entry.
     */
    void missed(int ramPage, int slot) {
        long[] bits = missed[ramPage];
        if (bits == null) {
            bits = new long[CodeCache.SLOTS / 64];
            missed[ramPage] = bits;
        }
        bits[slot >>> 6] |= 1L << slot;
    }

    /**
     * Counts {@code n} interpreted instructions in {@code ramPage}; translates the page once it is hot. A page
     * translated before must get twice as hot for each earlier translation: retranslating replaces its classes,
     * and HotSpot has to compile them again.
     */
    void interpreted(int ramPage, int n) {
        final long h = heat[ramPage] + n;
        final boolean sampling = this.sampling[ramPage];
        final long threshold = sampling ? hot / SAMPLE : (long) hot << Math.min(translations[ramPage], 20);
        if (h < threshold) {
            heat[ramPage] = (int) h;
            return;
        }
        heat[ramPage] = 0;
        if (translations[ramPage] >= MAX_TRANSLATIONS || queued[ramPage]) {
            return;
        }
        if (!sampling && hot >= SAMPLE) {
            // Hot: forget what was decoded, so that what gets decoded next (and translated) is the code that is hot
            // now, not everything the page ever ran (boot code around a hot loop, say).
            this.sampling[ramPage] = true;
            code.forgetDecoded(ramPage);
            return;
        }
        this.sampling[ramPage] = false;
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

    /**
     * Translates a page as it is now; installs nothing if the page changes meanwhile, and keeps the installed
     * translation when the page's code is what it was (replacing it would make HotSpot compile it again).
     */
    void translate(int ramPage) {
        final long start = System.nanoTime();
        final int generation = code.generation(ramPage);
        final Insn[] decoded = code.decodedCopy(ramPage);
        if (decoded == null) {
            return;
        }
        translations[ramPage]++;
        final PagePlan plan = PagePlan.of(decoded, missed[ramPage]);
        final int[] signature = plan.signature(0, CodeCache.SLOTS);
        if (code.entries(ramPage) != null && Arrays.equals(signature, signatures[ramPage])) {
            return;
        }
        final Object[] entries = new Object[CodeCache.SLOTS];
        final int compiled = compileParts(plan, 0, CodeCache.SLOTS, ramPage, entries);
        translateNanos.addAndGet(System.nanoTime() - start);
        if (code.install(ramPage, generation, entries)) {
            signatures[ramPage] = signature;
            pagesTranslated.incrementAndGet();
            regionsDefined.addAndGet(compiled);
        } else {
            discarded.incrementAndGet();
        }
    }

    /** Compiles slots [from, to), halving the range until each part fits a method HotSpot compiles well. */
    private int compileParts(PagePlan plan, int from, int to, int ramPage, Object[] entries) {
        int estimate = 0;
        for (int s = from; s < to; s++) {
            if (plan.insn[s] != null) {
                estimate += plan.estimatedBytes(s);
            }
        }
        if (estimate > PART_BYTES && to - from > 16) {
            return split(plan, from, to, ramPage, entries);
        }
        final RegionCompiler.Output out = RegionCompiler.compile(plan, from, to);
        if (out == null) {
            return 0;
        }
        if (out.codeBytes() > RegionCompiler.MAX_CODE_BYTES && to - from > 1) {
            return split(plan, from, to, ramPage, entries);
        }
        final Region region = RegionLoader.define(out.classFile(), new Region.Shape(ramPage, from, to, out.size(), out.siteOffset(), out.siteLength(), out.siteDelta(),
                out.helpers()));
        bytecodeBytes.addAndGet(out.codeBytes());
        for (int slot : out.entries()) {
            entries[slot] = region;
        }
        return 1;
    }

    private int split(PagePlan plan, int from, int to, int ramPage, Object[] entries) {
        final int cut = cutPoint(plan, from, to);
        plan.makeLeader(cut);
        return compileParts(plan, from, cut, ramPage, entries) + compileParts(plan, cut, to, ramPage, entries);
    }

    /**
     * Where to cut slots [from, to) in two: among the instructions between 30 % and 70 % of the range's
     * estimated bytecode, the one crossed by the fewest branches inside the page, loops (back-edges) weighing
     * most, since a cut inside a loop turns every iteration into a return to the dispatcher.
     */
    static int cutPoint(PagePlan plan, int from, int to) {
        int total = 0;
        for (int s = from; s < to; s++) {
            if (plan.insn[s] != null) {
                total += plan.estimatedBytes(s);
            }
        }
        int best = -1;
        long bestScore = Long.MAX_VALUE;
        int bytes = 0;
        for (int c = from + 1; c < to; c++) {
            if (plan.insn[c - 1] != null) {
                bytes += plan.estimatedBytes(c - 1);
            }
            if (plan.insn[c] == null || bytes < total * 3 / 10 || bytes > total * 7 / 10) {
                continue;
            }
            long score = 0;
            for (int s = from; s < to; s++) {
                if (plan.insn[s] == null || (plan.kind[s] != Kind.BRANCH && plan.kind[s] != Kind.JUMP)) {
                    continue;
                }
                final long target = 2L * s + plan.insn[s].imm;
                final int t = (int) (target >> 1);
                if (target < 0 || t >= to || t < from) {
                    continue;
                }
                if ((s < c) != (t < c)) {
                    score += t <= s ? 16 : 1; // a back-edge crossing the cut runs once per loop iteration
                }
            }
            score = score * 4096 + Math.abs(2 * bytes - total); // then: as balanced as possible
            if (score < bestScore) {
                bestScore = score;
                best = c;
            }
        }
        if (best > from) {
            return best;
        }
        for (int s = (from + to) >>> 1; s < to; s++) {
            if (plan.insn[s] != null) {
                return s;
            }
        }
        return (from + to) >>> 1;
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
