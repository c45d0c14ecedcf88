package io.sublet.cpu.insn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Randomized comparison of {@link RvF}, {@link RvD} and {@link Fp} against the host's IEEE 754 hardware:
 * {@code src/test/c/fpref.c}, compiled here with the host gcc, evaluates the same operations with x86-64 SSE/AVX
 * instructions under {@code fesetround} and reports the result bits and the five exception flags (its header says
 * where it applies a RISC-V rule itself: canonical NaNs, saturating conversions, RMM).
 *
 * <p>Every rounding operation runs in all five rounding modes over operands drawn from special values (zeros,
 * infinities, quiet and signalling NaNs, subnormals, the extremes of the exponent range, integer-conversion limits)
 * and random values shaped to hit the hard cases: short significands (exact results and exact ties), operand
 * pairs that cancel, results at the edges of the exponent range, values next to rounding boundaries. Each case is
 * checked twice on the Java side, with fflags clear and with NX already set (the round-to-nearest fast path skips
 * the exactness check then), and the result and the flags must both match.
 *
 * <p>Skipped, with the reason, without gcc or on a host that is not x86-64.
 */
class FpReferenceTest {
    /** Cases per operation and rounding mode ({@code -Dsublet.fpCases=N}). */
    private static final int PER_MODE = Integer.getInteger("sublet.fpCases", 200_000);
    /** Seed of the case generator; {@code -Dsublet.fpSeed=N} explores other cases. */
    private static final long SEED = Long.getLong("sublet.fpSeed", 0x5eed_f10a7L);
    private static final int BATCH = 1 << 16;
    private static final int MAX_REPORTED = 25;

    /** Result kinds. */
    private enum Kind { F, D, INT }

    private interface Semantics {
        long apply(long a, long b, long c, int rm, FpStatus st);
    }

    /** The operations, in the order of fpref.c's enum. */
    private enum Op {
        FADD_S(Kind.F, 'f', (a, b, c, rm, st) -> RvF.fadd(a, b, rm, st)),
        FSUB_S(Kind.F, 'f', (a, b, c, rm, st) -> RvF.fsub(a, b, rm, st)),
        FMUL_S(Kind.F, 'f', (a, b, c, rm, st) -> RvF.fmul(a, b, rm, st)),
        FDIV_S(Kind.F, 'f', (a, b, c, rm, st) -> RvF.fdiv(a, b, rm, st)),
        FSQRT_S(Kind.F, 'f', (a, b, c, rm, st) -> RvF.fsqrt(a, rm, st)),
        FMADD_S(Kind.F, 'f', RvF::fmadd),
        FMSUB_S(Kind.F, 'f', RvF::fmsub),
        FNMSUB_S(Kind.F, 'f', RvF::fnmsub),
        FNMADD_S(Kind.F, 'f', RvF::fnmadd),
        FCVT_W_S(Kind.INT, 'f', (a, b, c, rm, st) -> RvF.fcvtWS(a, rm, st)),
        FCVT_WU_S(Kind.INT, 'f', (a, b, c, rm, st) -> RvF.fcvtWuS(a, rm, st)),
        FCVT_L_S(Kind.INT, 'f', (a, b, c, rm, st) -> RvF.fcvtLS(a, rm, st)),
        FCVT_LU_S(Kind.INT, 'f', (a, b, c, rm, st) -> RvF.fcvtLuS(a, rm, st)),
        FCVT_S_W(Kind.F, 'i', (a, b, c, rm, st) -> RvF.fcvtSW(a, rm, st)),
        FCVT_S_WU(Kind.F, 'i', (a, b, c, rm, st) -> RvF.fcvtSWu(a, rm, st)),
        FCVT_S_L(Kind.F, 'i', (a, b, c, rm, st) -> RvF.fcvtSL(a, rm, st)),
        FCVT_S_LU(Kind.F, 'i', (a, b, c, rm, st) -> RvF.fcvtSLu(a, rm, st)),
        FEQ_S(Kind.INT, 'f', (a, b, c, rm, st) -> RvF.feq(a, b, st)),
        FLT_S(Kind.INT, 'f', (a, b, c, rm, st) -> RvF.flt(a, b, st)),
        FLE_S(Kind.INT, 'f', (a, b, c, rm, st) -> RvF.fle(a, b, st)),
        FADD_D(Kind.D, 'd', (a, b, c, rm, st) -> RvD.fadd(a, b, rm, st)),
        FSUB_D(Kind.D, 'd', (a, b, c, rm, st) -> RvD.fsub(a, b, rm, st)),
        FMUL_D(Kind.D, 'd', (a, b, c, rm, st) -> RvD.fmul(a, b, rm, st)),
        FDIV_D(Kind.D, 'd', (a, b, c, rm, st) -> RvD.fdiv(a, b, rm, st)),
        FSQRT_D(Kind.D, 'd', (a, b, c, rm, st) -> RvD.fsqrt(a, rm, st)),
        FMADD_D(Kind.D, 'd', RvD::fmadd),
        FMSUB_D(Kind.D, 'd', RvD::fmsub),
        FNMSUB_D(Kind.D, 'd', RvD::fnmsub),
        FNMADD_D(Kind.D, 'd', RvD::fnmadd),
        FCVT_W_D(Kind.INT, 'd', (a, b, c, rm, st) -> RvD.fcvtWD(a, rm, st)),
        FCVT_WU_D(Kind.INT, 'd', (a, b, c, rm, st) -> RvD.fcvtWuD(a, rm, st)),
        FCVT_L_D(Kind.INT, 'd', (a, b, c, rm, st) -> RvD.fcvtLD(a, rm, st)),
        FCVT_LU_D(Kind.INT, 'd', (a, b, c, rm, st) -> RvD.fcvtLuD(a, rm, st)),
        FCVT_D_W(Kind.D, 'i', (a, b, c, rm, st) -> RvD.fcvtDW(a)),
        FCVT_D_WU(Kind.D, 'i', (a, b, c, rm, st) -> RvD.fcvtDWu(a)),
        FCVT_D_L(Kind.D, 'i', (a, b, c, rm, st) -> RvD.fcvtDL(a, rm, st)),
        FCVT_D_LU(Kind.D, 'i', (a, b, c, rm, st) -> RvD.fcvtDLu(a, rm, st)),
        FEQ_D(Kind.INT, 'd', (a, b, c, rm, st) -> RvD.feq(a, b, st)),
        FLT_D(Kind.INT, 'd', (a, b, c, rm, st) -> RvD.flt(a, b, st)),
        FLE_D(Kind.INT, 'd', (a, b, c, rm, st) -> RvD.fle(a, b, st)),
        FCVT_S_D(Kind.F, 'd', (a, b, c, rm, st) -> RvD.fcvtSD(a, rm, st)),
        FCVT_D_S(Kind.D, 'f', (a, b, c, rm, st) -> RvD.fcvtDS(a, st));

        final Kind kind;
        /** Operand type: 'f' single, 'd' double, 'i' integer. */
        final char source;
        final Semantics semantics;

        Op(Kind kind, char source, Semantics semantics) {
            this.kind = kind;
            this.source = source;
            this.semantics = semantics;
        }

        boolean rounds() {
            return !name().startsWith("FEQ") && !name().startsWith("FLT") && !name().startsWith("FLE")
                    && this != FCVT_D_S && this != FCVT_D_W && this != FCVT_D_WU;
        }
    }

    /** One batch of cases, as sent to the reference. */
    private static final class Batch {
        final byte[] op = new byte[BATCH];
        final byte[] rm = new byte[BATCH];
        final long[] a = new long[BATCH];
        final long[] b = new long[BATCH];
        final long[] c = new long[BATCH];
        int size;
        boolean last;
    }

    @Test
    void matchesHostHardware() throws Exception {
        final String arch = System.getProperty("os.arch");
        Assumptions.assumeTrue(arch.equals("amd64") || arch.equals("x86_64"),
                "the reference is x86-64 SSE arithmetic (fpref.c); this host is " + arch);
        final Path exe = compileReference();

        final Process process = new ProcessBuilder(exe.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        final BlockingQueue<Batch> inFlight = new ArrayBlockingQueue<>(4);
        final Throwable[] writerFailure = new Throwable[1];
        final Thread writer = new Thread(() -> {
            try (OutputStream out = new BufferedOutputStream(process.getOutputStream(), 1 << 16)) {
                final Generator gen = new Generator(SEED);
                final ByteBuffer buf = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
                for (Batch batch : gen.batches()) {
                    inFlight.put(batch);
                    for (int i = 0; i < batch.size; i++) {
                        buf.clear();
                        buf.put(batch.op[i]).put(batch.rm[i]).putShort((short) 0).putInt(0);
                        buf.putLong(batch.a[i]).putLong(batch.b[i]).putLong(batch.c[i]);
                        out.write(buf.array(), 0, 32);
                    }
                }
            } catch (Throwable t) {
                writerFailure[0] = t;
                try {
                    inFlight.put(lastBatch());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }, "fpref-writer");
        writer.setDaemon(true);
        writer.start();

        final Report report = new Report();
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(process.getInputStream(), 1 << 16))) {
            final byte[] rec = new byte[16];
            final ByteBuffer r = ByteBuffer.wrap(rec).order(ByteOrder.LITTLE_ENDIAN);
            while (true) {
                final Batch batch = inFlight.take();
                for (int i = 0; i < batch.size; i++) {
                    in.readFully(rec);
                    report.check(batch, i, r.getLong(0), rec[8] & 0xff);
                }
                if (batch.last) {
                    break;
                }
            }
        } finally {
            writer.join(TimeUnit.SECONDS.toMillis(30));
            process.destroy();
        }
        if (writerFailure[0] != null) {
            throw new AssertionError("feeding the reference failed", writerFailure[0]);
        }
        System.out.println(report.summary());
        assertEquals(0, report.mismatches, report.details());
    }

    private static Batch lastBatch() {
        final Batch b = new Batch();
        b.last = true;
        return b;
    }

    private static Path compileReference() throws IOException, InterruptedException {
        final Path source = Path.of("src", "test", "c", "fpref.c").toAbsolutePath();
        Assumptions.assumeTrue(Files.isRegularFile(source), "reference source " + source + " not found (run from the project root)");
        final Path dir = Files.isDirectory(Path.of("target")) ? Path.of("target", "fpref") : Files.createTempDirectory("fpref");
        Files.createDirectories(dir);
        final Path exe = dir.resolve("fpref").toAbsolutePath();
        final List<String> cmd = List.of("gcc", "-O1", "-march=native", "-frounding-math", "-fsignaling-nans",
                "-fno-math-errno", "-ffp-contract=off", "-o", exe.toString(), source.toString(), "-lm");
        final Process gcc;
        try {
            gcc = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            Assumptions.abort("the host C compiler gcc is not available (" + e.getMessage()
                    + "); it builds the reference program src/test/c/fpref.c");
            throw e;
        }
        final String output;
        try (InputStream out = gcc.getInputStream()) {
            output = new String(out.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!gcc.waitFor(120, TimeUnit.SECONDS) || gcc.exitValue() != 0) {
            throw new AssertionError("gcc failed to build the FP reference: " + String.join(" ", cmd) + "\n" + output);
        }
        return exe;
    }

    // ---- comparison ------------------------------------------------------------------------------------------------

    private static final class Report {
        long compared;
        long skipped;
        long mismatches;
        final long[][] perOp = new long[Op.values().length][5];
        final List<String> first = new ArrayList<>();
        final long start = System.nanoTime();

        void check(Batch batch, int i, long refValue, int refFlags) {
            final Op op = Op.values()[batch.op[i]];
            final int rm = batch.rm[i];
            if (refFlags == 0xff) {
                skipped++;
                return;
            }
            final long a = operand(op, batch.a[i]);
            final long b = operand(op, batch.b[i]);
            final long c = operand(op, batch.c[i]);
            final FpStatus st = new FpStatus();
            final long got = op.semantics.apply(a, b, c, rm, st);
            // once NX is set, round-to-nearest takes the fast path: it must give the same result
            final FpStatus sticky = new FpStatus();
            sticky.flags = FpFlags.NX;
            final long gotSticky = op.semantics.apply(a, b, c, rm, sticky);
            compared++;
            final long want = op.kind == Kind.F ? Fp.box((int) refValue) : refValue;
            if (got != want || st.flags != refFlags || gotSticky != want || sticky.flags != (refFlags | FpFlags.NX)) {
                mismatches++;
                perOp[op.ordinal()][rm]++;
                if (first.size() < MAX_REPORTED) {
                    first.add(String.format(Locale.ROOT, "%s rm=%d a=%016x b=%016x c=%016x: want %016x %s, got %016x %s"
                            + " (with NX preset: %016x %s)", op, rm, batch.a[i], batch.b[i], batch.c[i], want,
                            FpFlags.describe(refFlags), got, FpFlags.describe(st.flags), gotSticky,
                            FpFlags.describe(sticky.flags)));
                }
            }
        }

        private static long operand(Op op, long v) {
            return op.source == 'f' ? Fp.box((int) v) : v;
        }

        String summary() {
            return String.format(Locale.ROOT, "FpReferenceTest: %,d cases (seed %d) compared with the host (x86-64)"
                    + " in %.1f s, %,d without a host reference, %,d mismatches", compared, SEED,
                    (System.nanoTime() - start) / 1e9, skipped, mismatches);
        }

        String details() {
            final StringBuilder sb = new StringBuilder(summary()).append('\n');
            for (Op op : Op.values()) {
                for (int rm = 0; rm < 5; rm++) {
                    if (perOp[op.ordinal()][rm] != 0) {
                        sb.append("  ").append(op).append(" rm=").append(rm).append(": ")
                                .append(perOp[op.ordinal()][rm]).append('\n');
                    }
                }
            }
            first.forEach(s -> sb.append(s).append('\n'));
            return sb.toString();
        }
    }

    // ---- operands ----------------------------------------------------------------------------------------------------

    /** Deterministic case generator. */
    private static final class Generator {
        private final SplittableRandom rnd;

        Generator(long seed) {
            this.rnd = new SplittableRandom(seed);
        }

        Iterable<Batch> batches() {
            final List<int[]> plan = new ArrayList<>();
            for (Op op : Op.values()) {
                for (int rm = 0; rm < (op.rounds() ? 5 : 1); rm++) {
                    plan.add(new int[] {op.ordinal(), rm});
                }
            }
            return () -> new java.util.Iterator<>() {
                private final long total = (long) plan.size() * PER_MODE;
                private long next;

                @Override
                public boolean hasNext() {
                    return next < total;
                }

                @Override
                public Batch next() {
                    final Batch batch = new Batch();
                    while (batch.size < BATCH && next < total) {
                        final int[] p = plan.get((int) (next / PER_MODE));
                        fill(batch, batch.size++, Op.values()[p[0]], p[1]);
                        next++;
                    }
                    batch.last = next == total;
                    return batch;
                }
            };
        }

        private void fill(Batch batch, int i, Op op, int rm) {
            batch.op[i] = (byte) op.ordinal();
            batch.rm[i] = (byte) rm;
            final long[] abc = new long[3];
            switch (op.source) {
                case 'f': floats(op, abc); break;
                case 'd': doubles(op, abc); break;
                default: abc[0] = integer(op); break;
            }
            batch.a[i] = abc[0];
            batch.b[i] = abc[1];
            batch.c[i] = abc[2];
        }

        // ---- doubles

        private static final double[] SPECIAL_D = {
            0.0, -0.0, 1.0, -1.0, 0.5, 1.5, 2.5, -2.5, 3.0, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL,
            -Double.MIN_NORMAL, Math.nextDown(Double.MIN_NORMAL), Double.MAX_VALUE, -Double.MAX_VALUE,
            Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0x1p31, -0x1p31, 0x1p31 - 1, 0x1p31 - 0.5, 0x1p31 + 0.5,
            -0x1p31 - 0.5, -0x1p31 - 1, 0x1p32, 0x1p32 - 1, 0x1p32 - 0.5, 0x1p63, -0x1p63, Math.nextDown(0x1p63),
            0x1p64, Math.nextDown(0x1p64), 0x1p53, 0x1p53 + 2, 0x1p52 + 0.5, -0.5, -0.25, 0.75, 0x1p-1074 * 3,
            // single-precision boundaries: just below the smallest normal, halfway to overflow
            0x1p-126 * (1 - 0x1p-25), 0x1p-126 * (1 - 0x1p-24), 0x1p-126 * (1 - 0x1p-30), 0x1p-149 * 0.5,
            0x1p-149 * 1.5, Float.MAX_VALUE * (1 + 0x1p-25), Float.MAX_VALUE * (1 + 0x1p-26), 0x1p128,
        };
        private static final long[] NAN_D = {
            0x7ff8000000000000L, 0xfff8000000000000L, 0x7ff8000000000123L, 0x7ff0000000000001L, 0xfff4000000000000L,
            0x7ff7ffffffffffffL,
        };

        private long randomDouble() {
            final int kind = rnd.nextInt(20);
            final long sign = rnd.nextBoolean() ? Long.MIN_VALUE : 0;
            switch (kind) {
                case 0: case 1:
                    return Double.doubleToRawLongBits(SPECIAL_D[rnd.nextInt(SPECIAL_D.length)]);
                case 2:
                    return NAN_D[rnd.nextInt(NAN_D.length)];
                case 3:
                    return rnd.nextLong();
                case 4: case 5:
                    return sign | ((long) rnd.nextInt(2047) << 52) | (rnd.nextLong() & Fp.FRAC_D);
                case 6:
                    return sign | ((long) rnd.nextInt(64) << 52) | (rnd.nextLong() & Fp.FRAC_D); // tiny
                case 7:
                    return sign | ((long) (2046 - rnd.nextInt(64)) << 52) | (rnd.nextLong() & Fp.FRAC_D); // huge
                case 8: case 9: case 10: { // short significand, moderate exponent
                    final int keep = rnd.nextInt(53);
                    final long frac = keep == 0 ? 0 : (rnd.nextLong() >>> (64 - keep)) << (52 - keep);
                    return sign | ((long) (1023 + rnd.nextInt(-40, 41)) << 52) | frac;
                }
                case 11: { // short significand anywhere
                    final int keep = rnd.nextInt(53);
                    final long frac = keep == 0 ? 0 : (rnd.nextLong() >>> (64 - keep)) << (52 - keep);
                    return sign | ((long) rnd.nextInt(2047) << 52) | frac;
                }
                case 12: { // near a special value or limit, a few ulps away
                    long v = Double.doubleToRawLongBits(SPECIAL_D[rnd.nextInt(SPECIAL_D.length)]);
                    return v + rnd.nextInt(-3, 4);
                }
                case 13: // small integers and halves, quarters
                    return Double.doubleToRawLongBits(rnd.nextInt(-4000, 4001) / (double) (1 << rnd.nextInt(3)));
                default:
                    return sign | ((long) (1023 + rnd.nextInt(-30, 31)) << 52) | (rnd.nextLong() & Fp.FRAC_D);
            }
        }

        private void doubles(Op op, long[] abc) {
            final long a = randomDouble();
            long b = randomDouble();
            long c = randomDouble();
            final double x = Double.longBitsToDouble(a);
            final int shape = rnd.nextInt(8);
            switch (op) {
                case FADD_D: case FSUB_D:
                    if (shape == 0) {
                        b = (Double.doubleToRawLongBits(-x) ^ (op == Op.FSUB_D ? Long.MIN_VALUE : 0)) + rnd.nextInt(-2, 3);
                    } else if (shape == 1 || shape == 2) { // b around a's rounding position: ties and sticky bits
                        b = scaled(a, -rnd.nextInt(50, 58), rnd.nextInt(4));
                    } else if (shape == 3) { // operands near MAX: sums at the overflow threshold or cancelling
                        abc[0] = (a & Long.MIN_VALUE) | ((long) (2046 - rnd.nextInt(3)) << 52) | (rnd.nextLong() & Fp.FRAC_D);
                        abc[1] = (rnd.nextBoolean() ? Long.MIN_VALUE : 0) | (rnd.nextBoolean()
                                ? 0x7fefffffffffffffL - rnd.nextInt(3) // MAX: TwoSum's r - x can overflow
                                : ((long) (2046 - rnd.nextInt(8)) << 52) | (rnd.nextLong() & Fp.FRAC_D));
                        return;
                    }
                    break;
                case FMUL_D:
                    if (shape <= 2) { // short significands: exact products and exact ties
                        b = shortSig(b, rnd.nextInt(20, 32));
                        abc[0] = shortSig(a, rnd.nextInt(20, 32));
                        abc[1] = b;
                        abc[2] = c;
                        return;
                    } else if (shape == 3) { // products at the edges of the exponent range
                        b = withExponent(b, (rnd.nextBoolean() ? -1022 : 1023) - Math.getExponent(x) + rnd.nextInt(-2, 3));
                    } else if (shape == 4) { // just below a power of two, scaled to the smallest normal
                        abc[0] = onesD(a);
                        abc[1] = withExponent(rnd.nextInt(4) == 0 ? onesD(b) : 0, -1023 - Math.getExponent(Double.longBitsToDouble(abc[0])));
                        return;
                    }
                    break;
                case FDIV_D:
                    if (shape <= 1) { // a = b*q, nearly exact quotients
                        final double q = Double.longBitsToDouble(shortSig(randomDouble(), rnd.nextInt(1, 30)));
                        abc[0] = Double.doubleToRawLongBits(Double.longBitsToDouble(b) * q) + rnd.nextInt(-1, 2);
                        abc[1] = b;
                        return;
                    } else if (shape == 2) { // quotients just below a power of two, at the smallest normal or MAX
                        abc[0] = onesD(a);
                        final int e = Math.getExponent(Double.longBitsToDouble(abc[0]));
                        abc[1] = withExponent(rnd.nextInt(4) == 0 ? onesD(b) : 0,
                                rnd.nextBoolean() ? e + 1023 + rnd.nextInt(-1, 2) : e - 1023 + rnd.nextInt(-1, 2));
                        return;
                    }
                    break;
                case FSQRT_D:
                    if (shape <= 2) { // squares of short significands, and their neighbours
                        final double r = Math.abs(Double.longBitsToDouble(shortSig(a, rnd.nextInt(1, 27))));
                        abc[0] = Double.doubleToRawLongBits(r * r) + rnd.nextInt(-1, 2);
                        return;
                    }
                    break;
                case FMADD_D: case FMSUB_D: case FNMSUB_D: case FNMADD_D: {
                    final double y = Double.longBitsToDouble(b);
                    if (shape <= 1) { // c cancels most of a*b
                        c = Double.doubleToRawLongBits(x * y) + rnd.nextInt(-2, 3);
                        if (op == Op.FMADD_D || op == Op.FNMADD_D) {
                            c ^= Long.MIN_VALUE;
                        }
                    } else if (shape <= 3) { // short significands, c near a*b's rounding position
                        abc[0] = shortSig(a, rnd.nextInt(10, 27));
                        b = shortSig(b, rnd.nextInt(10, 27));
                        final double p = Double.longBitsToDouble(abc[0]) * Double.longBitsToDouble(b);
                        abc[1] = b;
                        abc[2] = scaled(Double.doubleToRawLongBits(p), -rnd.nextInt(45, 60), rnd.nextInt(4));
                        return;
                    } else if (shape == 4) { // a*b tiny or huge, c anything
                        b = withExponent(b, (rnd.nextBoolean() ? -1000 : 1000) - Math.getExponent(x) + rnd.nextInt(-60, 60));
                    }
                    break;
                }
                case FCVT_S_D:
                    if (shape <= 3) { // doubles near single-precision boundaries, in every range of singles
                        final int keep = rnd.nextInt(20, 34);
                        final long frac = rnd.nextLong() & Fp.FRAC_D & ~((1L << (52 - keep)) - 1);
                        abc[0] = (rnd.nextBoolean() ? Long.MIN_VALUE : 0) | ((long) (1023 + rnd.nextInt(-155, 130)) << 52) | frac;
                        return;
                    }
                    break;
                case FCVT_W_D: case FCVT_WU_D: case FCVT_L_D: case FCVT_LU_D:
                    if (shape <= 2) { // near integers, halves and the limits
                        final double base = Double.longBitsToDouble(Double.doubleToRawLongBits(SPECIAL_D[rnd.nextInt(SPECIAL_D.length)]));
                        abc[0] = Double.doubleToRawLongBits(Double.isFinite(base) ? base + rnd.nextInt(-3, 4) * 0.5 : base);
                        return;
                    }
                    break;
                default:
                    break;
            }
            abc[0] = a;
            abc[1] = b;
            abc[2] = c;
        }

        /** The double a * 2^shift with its significand cut to a few bits and optionally one more low bit. */
        private long scaled(long a, int shift, int variant) {
            double v = Math.scalb(Double.longBitsToDouble(shortSig(rnd.nextLong(), rnd.nextInt(0, 4)) & ~(0x7ffL << 52)
                    | (1023L << 52)), Math.getExponent(Double.longBitsToDouble(a)) + shift);
            if (variant == 1) {
                v = Math.nextUp(v);
            } else if (variant == 2) {
                v = Math.nextDown(v);
            }
            return Double.doubleToRawLongBits(rnd.nextBoolean() ? v : -v);
        }

        /** A finite double whose fraction is all ones but for a few low bits: just below a power of two. */
        private long onesD(long bits) {
            final long e = 1023 + rnd.nextInt(-30, 31);
            return (bits & Long.MIN_VALUE) | (e << 52) | (Fp.FRAC_D & ~(long) rnd.nextInt(4));
        }

        /** A single whose fraction is all ones but for a few low bits. */
        private int onesF(int bits) {
            return (bits & Integer.MIN_VALUE) | ((127 + rnd.nextInt(-10, 11)) << 23) | (0x7fffff & ~rnd.nextInt(4));
        }

        /** A double with the fraction and sign of {@code bits} and the exponent e (clamped to the finite range). */
        private static long withExponent(long bits, int e) {
            final double m = Double.longBitsToDouble(bits & ~(0x7ffL << 52) | (1023L << 52));
            return Double.doubleToRawLongBits(Math.scalb(m, Math.max(-1080, Math.min(1023, e))));
        }

        /** Keeps only the top {@code keep} bits of the 52-bit fraction. */
        private static long shortSig(long bits, int keep) {
            if ((bits & (0x7ffL << 52)) == 0x7ffL << 52) {
                return bits;
            }
            return bits & ~((1L << (52 - keep)) - 1);
        }

        // ---- singles

        private static final float[] SPECIAL_F = {
            0f, -0f, 1f, -1f, 0.5f, 1.5f, 2.5f, -2.5f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL,
            Math.nextDown(Float.MIN_NORMAL), Float.MAX_VALUE, -Float.MAX_VALUE, Float.POSITIVE_INFINITY,
            Float.NEGATIVE_INFINITY, 0x1p31f, -0x1p31f, Math.nextDown(0x1p31f), 0x1p32f, Math.nextDown(0x1p32f),
            0x1p63f, -0x1p63f, Math.nextDown(0x1p63f), 0x1p64f, Math.nextDown(0x1p64f), 0x1p24f, 0x1p23f + 0.5f,
            -0.5f, 0.75f,
        };
        private static final int[] NAN_F = {0x7fc00000, 0xffc00000, 0x7fc00123, 0x7f800001, 0xffa00000, 0x7fbfffff};

        private int randomFloat() {
            final int kind = rnd.nextInt(20);
            final int sign = rnd.nextBoolean() ? Integer.MIN_VALUE : 0;
            switch (kind) {
                case 0: case 1:
                    return Float.floatToRawIntBits(SPECIAL_F[rnd.nextInt(SPECIAL_F.length)]);
                case 2:
                    return NAN_F[rnd.nextInt(NAN_F.length)];
                case 3:
                    return rnd.nextInt();
                case 4: case 5:
                    return sign | (rnd.nextInt(255) << 23) | (rnd.nextInt() & 0x7fffff);
                case 6:
                    return sign | (rnd.nextInt(30) << 23) | (rnd.nextInt() & 0x7fffff);
                case 7:
                    return sign | ((254 - rnd.nextInt(30)) << 23) | (rnd.nextInt() & 0x7fffff);
                case 8: case 9: case 10: {
                    final int keep = rnd.nextInt(24);
                    final int frac = keep == 0 ? 0 : (rnd.nextInt() >>> (32 - keep)) << (23 - keep);
                    return sign | ((127 + rnd.nextInt(-20, 21)) << 23) | frac;
                }
                case 11: {
                    final int keep = rnd.nextInt(24);
                    final int frac = keep == 0 ? 0 : (rnd.nextInt() >>> (32 - keep)) << (23 - keep);
                    return sign | (rnd.nextInt(255) << 23) | frac;
                }
                case 12:
                    return Float.floatToRawIntBits(SPECIAL_F[rnd.nextInt(SPECIAL_F.length)]) + rnd.nextInt(-3, 4);
                case 13:
                    return Float.floatToRawIntBits(rnd.nextInt(-4000, 4001) / (float) (1 << rnd.nextInt(3)));
                default:
                    return sign | ((127 + rnd.nextInt(-20, 21)) << 23) | (rnd.nextInt() & 0x7fffff);
            }
        }

        private static int shortSigF(int bits, int keep) {
            if ((bits & 0x7f800000) == 0x7f800000) {
                return bits;
            }
            return bits & ~((1 << (23 - keep)) - 1);
        }

        private int scaledF(int a, int shift) {
            final float v = Math.scalb(Float.intBitsToFloat(shortSigF(rnd.nextInt(), rnd.nextInt(0, 3)) & 0x807fffff | (127 << 23)),
                    Math.getExponent(Float.intBitsToFloat(a)) + shift);
            final float w = rnd.nextInt(3) == 0 ? Math.nextUp(v) : v;
            return Float.floatToRawIntBits(rnd.nextBoolean() ? w : -w);
        }

        private void floats(Op op, long[] abc) {
            int a = randomFloat();
            int b = randomFloat();
            int c = randomFloat();
            final int shape = rnd.nextInt(8);
            switch (op) {
                case FADD_S: case FSUB_S:
                    if (shape == 0) {
                        b = (a ^ (op == Op.FADD_S ? Integer.MIN_VALUE : 0)) + rnd.nextInt(-2, 3);
                    } else if (shape <= 2) {
                        b = scaledF(a, -rnd.nextInt(21, 27));
                    }
                    break;
                case FMUL_S:
                    if (shape <= 2) {
                        a = shortSigF(a, rnd.nextInt(8, 16));
                        b = shortSigF(b, rnd.nextInt(8, 16));
                    } else if (shape == 3) { // just below a power of two, scaled to the smallest normal
                        a = onesF(a);
                        b = Float.floatToRawIntBits(Math.scalb(rnd.nextInt(4) == 0 ? Float.intBitsToFloat(onesF(b)) : 1f,
                                -127 - Math.getExponent(Float.intBitsToFloat(a)) + rnd.nextInt(-1, 2)));
                    }
                    break;
                case FDIV_S:
                    if (shape <= 1) {
                        final float q = Float.intBitsToFloat(shortSigF(randomFloat(), rnd.nextInt(1, 12)));
                        a = Float.floatToRawIntBits(Float.intBitsToFloat(b) * q) + rnd.nextInt(-1, 2);
                    } else if (shape == 2) {
                        a = onesF(a);
                        b = Float.floatToRawIntBits(Math.scalb(1f, 127 + Math.getExponent(Float.intBitsToFloat(a))
                                + rnd.nextInt(-1, 2)));
                    }
                    break;
                case FSQRT_S:
                    if (shape <= 2) {
                        final float r = Math.abs(Float.intBitsToFloat(shortSigF(a, rnd.nextInt(1, 12))));
                        a = Float.floatToRawIntBits(r * r) + rnd.nextInt(-1, 2);
                    }
                    break;
                case FMADD_S: case FMSUB_S: case FNMSUB_S: case FNMADD_S:
                    if (shape <= 1) {
                        c = Float.floatToRawIntBits(Float.intBitsToFloat(a) * Float.intBitsToFloat(b)) + rnd.nextInt(-2, 3);
                        if (op == Op.FMADD_S || op == Op.FNMADD_S) {
                            c ^= Integer.MIN_VALUE;
                        }
                    } else if (shape <= 3) {
                        a = shortSigF(a, rnd.nextInt(4, 13));
                        b = shortSigF(b, rnd.nextInt(4, 13));
                        c = scaledF(Float.floatToRawIntBits(Float.intBitsToFloat(a) * Float.intBitsToFloat(b)),
                                -rnd.nextInt(20, 30));
                    }
                    break;
                case FCVT_W_S: case FCVT_WU_S: case FCVT_L_S: case FCVT_LU_S:
                    if (shape <= 2) {
                        final float base = SPECIAL_F[rnd.nextInt(SPECIAL_F.length)];
                        a = Float.floatToRawIntBits(Float.isFinite(base) ? base + rnd.nextInt(-3, 4) * 0.5f : base);
                    }
                    break;
                default:
                    break;
            }
            abc[0] = a & 0xffffffffL;
            abc[1] = b & 0xffffffffL;
            abc[2] = c & 0xffffffffL;
        }

        // ---- integers

        private long integer(Op op) {
            final int shape = rnd.nextInt(6);
            long v;
            if (shape == 0) {
                v = rnd.nextLong();
            } else if (shape <= 3) { // every bit length, so every rounding position and tie pattern
                final int len = rnd.nextInt(1, 65);
                v = len == 64 ? rnd.nextLong() | Long.MIN_VALUE : (rnd.nextLong() >>> (64 - len)) | (1L << (len - 1));
                if (rnd.nextBoolean()) {
                    v = -v;
                }
            } else if (shape == 4) { // ties: 2^k * (odd) patterns right at the rounding position
                final int p = op.kind == Kind.F ? 24 : 53;
                final int len = rnd.nextInt(p + 1, 65);
                v = (1L << (len - 1)) | (1L << (len - p - 1)) | (rnd.nextBoolean() ? 1L << (len - p) : 0);
                if (rnd.nextBoolean()) {
                    v = -v;
                }
            } else {
                final long[] edges = {0, 1, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, 0xffffffffL, Long.MAX_VALUE,
                    Long.MIN_VALUE, 1L << 24, (1L << 24) + 1, 1L << 53, (1L << 53) + 1, -(1L << 53) - 1};
                v = edges[rnd.nextInt(edges.length)] + rnd.nextInt(-2, 3);
            }
            // the 32-bit sources use only the low word; put junk above it to check that it is ignored
            if (op == Op.FCVT_S_W || op == Op.FCVT_S_WU || op == Op.FCVT_D_W || op == Op.FCVT_D_WU) {
                v = (v & 0xffffffffL) | (rnd.nextLong() << 32);
            }
            return v;
        }
    }
}
