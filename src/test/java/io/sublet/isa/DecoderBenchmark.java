package io.sublet.isa;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Decode cost per instruction over a mix shaped like compiled RV64GC code (roughly half compressed: stack
 * loads/stores, moves, short branches; the rest ALU, loads/stores, branches, calls, a few CSR, AMO and FP
 * instructions), shuffled so the branch predictor cannot learn the order.
 *
 * <p>Run: {@code java -cp target/test-classes:target/classes:$(cat cp.txt) org.openjdk.jmh.Main DecoderBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DecoderBenchmark {
    private static final int SIZE = 4096;

    /** Compressed forms as GNU as emits them for typical prologues, epilogues and loop bodies. */
    private static final int[] COMPRESSED = {
        0x1141, 0xE406, 0xE022, 0x0800, 0x60A2, 0x6402, 0x0141, 0x8082, // addi sp; sd ra/s0; addi s0; ld; ret
        0x852E, 0x4501, 0x0505, 0x2501, 0x9FA1, 0x8D2D, 0x8F65, 0x0506, // mv, li, addi, sext.w, addw, xor, and, slli
        0x6398, 0xE398, 0x4198, 0xC198, 0xD045, 0xEB8D, 0xB755, 0x9502, // ld/sd/lw/sw, beqz/bnez, j, jalr
        0x3FFC, 0x6505, 0x8005, 0x9C1D,                                 // fld, lui, srli, subw
    };

    /** 32-bit forms with the same kind of spread. */
    private static final int[] WIDE = {
        0x00150513, 0x00C58533, 0x40C58533, 0x00813503, 0xFE143C23, 0x00B50863, 0xFFDFF0EF, 0x000500E7,
        0x12345537, 0x00000517, 0x03F51513, 0x4205D513, 0x01F5151B, 0x02C58533, 0x02C5C53B, 0x0FF0000F,
        0x300510F3, 0x34202573, 0x06B6252F, 0x1405B52F, 0x00C5F553, 0x6AC59543, 0xE2058553, 0x00852507,
        0x80A5B023, 0x00B54463, 0x0005C503, 0x0085D513, 0x0005051B, 0x00000073, 0x10500073, 0x0140006F,
    };

    private int[] mixed;
    private int[] wide;
    private int[] compressed;

    @Setup
    public void setup() {
        final Random random = new Random(42);
        mixed = new int[SIZE];
        wide = new int[SIZE];
        compressed = new int[SIZE];
        for (int i = 0; i < SIZE; i++) {
            final int c = COMPRESSED[random.nextInt(COMPRESSED.length)];
            final int w = WIDE[random.nextInt(WIDE.length)];
            mixed[i] = random.nextBoolean() ? c : w;
            wide[i] = w;
            compressed[i] = c;
        }
    }

    @Benchmark
    @OperationsPerInvocation(SIZE)
    public void mixed(final Blackhole bh) {
        for (final int bits : mixed) {
            bh.consume(Decoder.decode(bits));
        }
    }

    @Benchmark
    @OperationsPerInvocation(SIZE)
    public void wideOnly(final Blackhole bh) {
        for (final int bits : wide) {
            bh.consume(Decoder.decode(bits));
        }
    }

    @Benchmark
    @OperationsPerInvocation(SIZE)
    public void compressedOnly(final Blackhole bh) {
        for (final int bits : compressed) {
            bh.consume(Decoder.decode(bits));
        }
    }
}
