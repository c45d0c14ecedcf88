package io.sublet.cpu;

import io.sublet.mem.Bus;
import io.sublet.mem.Ram;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of a data access through the MMU: a TLB hit (the fast path every load takes), and a miss that
 * walks three levels of Sv39 page tables and refills the entry.
 *
 * <pre>
 * mvn -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp target/test-classes:target/classes:$(cat target/cp.txt) org.openjdk.jmh.Main TlbBenchmark
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TlbBenchmark {
    private static final long RAM_BASE = 0x8000_0000L;
    private static final long ROOT = RAM_BASE + 0x10_0000;
    private static final long VA_BASE = 0x4000_0000L;
    private static final int PAGES = 64;

    private Mmu mmu;
    private long[] addresses;
    private int next;

    @Setup
    public void setUp() {
        final Ram ram = new Ram(RAM_BASE, 16 << 20);
        final Hart hart = new Hart(0, new Bus(ram), new CodeCache(ram));
        // Sv39: root -> one level-1 table -> one level-0 table mapping PAGES 4 KiB pages.
        final long l1 = ROOT + 0x1000;
        final long l0 = ROOT + 0x2000;
        ram.store((int) (ROOT + 8 * ((VA_BASE >>> 30) & 511) - RAM_BASE), 8, (l1 >>> 12) << 10 | Pte.V);
        ram.store((int) (l1 - RAM_BASE), 8, (l0 >>> 12) << 10 | Pte.V);
        for (int p = 0; p < PAGES; p++) {
            final long pa = RAM_BASE + 0x20_0000 + (long) p * 4096;
            ram.store((int) (l0 + 8L * p - RAM_BASE), 8, (pa >>> 12) << 10 | Pte.V | Pte.R | Pte.W | Pte.A | Pte.D);
        }
        hart.csrs.satp = Csrs.SATP_SV39 << Csrs.SATP_MODE_SHIFT | (ROOT >>> 12);
        hart.priv = Priv.S;
        hart.mmu.contextChanged();
        mmu = hart.mmu;
        addresses = new long[PAGES * 4];
        for (int i = 0; i < addresses.length; i++) {
            addresses[i] = VA_BASE + (long) (i * 7919 % PAGES) * 4096 + (i * 8 % 4096);
        }
    }

    @Benchmark
    public long loadHit() {
        final long va = addresses[next++ & (addresses.length - 1)];
        return mmu.ld(va);
    }

    @Benchmark
    public long loadMissAndSv39Walk() {
        final long va = addresses[next++ & (addresses.length - 1)];
        mmu.flush();
        return mmu.ld(va);
    }

    @Benchmark
    public long flushOnly() {
        mmu.flush();
        return next++;
    }
}
