package io.sublet.cpu.insn;

import static io.sublet.cpu.insn.FpFlags.DZ;
import static io.sublet.cpu.insn.FpFlags.NV;
import static io.sublet.cpu.insn.FpFlags.NX;
import static io.sublet.cpu.insn.FpFlags.OF;
import static io.sublet.cpu.insn.FpFlags.RDN;
import static io.sublet.cpu.insn.FpFlags.RMM;
import static io.sublet.cpu.insn.FpFlags.RNE;
import static io.sublet.cpu.insn.FpFlags.RTZ;
import static io.sublet.cpu.insn.FpFlags.RUP;
import static io.sublet.cpu.insn.FpFlags.UF;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Edge cases of {@link RvD}, one group per method; the bulk comparison is {@link FpReferenceTest}. */
class RvDTest {
    private static final long ONE = 0x3ff0000000000000L;
    private static final long TWO = 0x4000000000000000L;
    private static final long MONE = 0xbff0000000000000L;
    private static final long PZERO = 0;
    private static final long MZERO = Long.MIN_VALUE;
    private static final long INF = 0x7ff0000000000000L;
    private static final long MINF = 0xfff0000000000000L;
    private static final long MAX = 0x7fefffffffffffffL;
    private static final long QNAN = Fp.CANONICAL_NAN_D;
    private static final long QNAN_PAYLOAD = 0xfff8000000000abcL;
    private static final long SNAN = 0x7ff0000000000001L;
    private static final long MINNORM = 0x0010000000000000L;
    private static final long MAXSUB = 0x000fffffffffffffL;

    private interface Op2 {
        long apply(long a, long b, int rm, FpStatus st);
    }

    private static void check(long want, int wantFlags, Op2 op, long a, long b, int rm) {
        final FpStatus st = new FpStatus();
        final long got = op.apply(a, b, rm, st);
        final String what = String.format("a=%016x b=%016x rm=%d", a, b, rm);
        assertEquals(Long.toHexString(want), Long.toHexString(got), what);
        assertEquals(FpFlags.describe(wantFlags), FpFlags.describe(st.flags), what);
        // NX already set: same result (round-to-nearest skips its exactness check then)
        final FpStatus sticky = new FpStatus();
        sticky.flags = NX;
        assertEquals(Long.toHexString(want), Long.toHexString(op.apply(a, b, rm, sticky)), what + " (NX preset)");
        assertEquals(FpFlags.describe(wantFlags | NX), FpFlags.describe(sticky.flags), what + " (NX preset)");
    }

    private static long d(double v) {
        return Double.doubleToRawLongBits(v);
    }

    @Test
    void addZeroSigns() {
        for (int rm = 0; rm < 5; rm++) {
            final long exactZero = rm == RDN ? MZERO : PZERO;
            check(exactZero, 0, RvD::fadd, ONE, MONE, rm);
            check(exactZero, 0, RvD::fadd, PZERO, MZERO, rm);
            check(exactZero, 0, RvD::fsub, TWO, TWO, rm);
            check(MZERO, 0, RvD::fadd, MZERO, MZERO, rm);
            check(PZERO, 0, RvD::fadd, PZERO, PZERO, rm);
            check(MZERO, 0, RvD::fsub, MZERO, PZERO, rm);
        }
    }

    @Test
    void addAtTheOverflowThreshold() {
        final long halfUlpOfMax = 0x7c90000000000000L; // 2^970
        final long[] want = {INF, MAX, MAX, INF, INF};
        final int[] flags = {OF | NX, NX, NX, OF | NX, OF | NX};
        for (int rm = 0; rm < 5; rm++) {
            check(want[rm], flags[rm], RvD::fadd, MAX, halfUlpOfMax, rm);
        }
        // the smallest subnormal is far below half an ulp of MAX but still decides the directed modes
        check(INF, OF | NX, RvD::fadd, MAX, 1L, RUP);
        check(MAX, NX, RvD::fadd, MAX, 1L, RNE);
        check(MAX - 1, NX, RvD::fadd, MAX, 0x8000000000000001L, RDN);
    }

    @Test
    void addNearMaxWhereTwoSumWouldOverflow() {
        // found by FpReferenceTest (seed 2): r - x overflows inside TwoSum
        check(0xffeba54b323e316bL, NX, RvD::fadd, 0x7fc16ad337073a4eL, 0xffefffffffffffffL, RTZ);
        check(0xffeba54b323e316cL, NX, RvD::fadd, 0x7fc16ad337073a4eL, 0xffefffffffffffffL, RNE);
    }

    @Test
    void addNaNs() {
        check(QNAN, 0, RvD::fadd, QNAN_PAYLOAD, ONE, RNE);
        check(QNAN, NV, RvD::fadd, ONE, SNAN, RNE);
        check(QNAN, NV, RvD::fadd, INF, MINF, RTZ);
        check(QNAN, NV, RvD::fsub, MINF, MINF, RUP);
        check(INF, 0, RvD::fadd, INF, MAX, RDN);
    }

    @Test
    void multiplyBelowTheNormalRange() {
        // (1 + 2^-52) * (2^-1022 - 2^-1074) = 2^-1022 (1 - 2^-104)
        final long[] want = {MINNORM, MAXSUB, MAXSUB, MINNORM, MINNORM};
        final int[] flags = {NX, UF | NX, UF | NX, NX, NX};
        for (int rm = 0; rm < 5; rm++) {
            check(want[rm], flags[rm], RvD::fmul, ONE + 1, MAXSUB, rm);
        }
        check(0x0000000000000001L, UF | NX, RvD::fmul, 1L, d(0.5), RUP);
        check(MZERO, UF | NX, RvD::fmul, 0x8000000000000001L, d(0.5), RNE);
        check(0x8000000000000001L, UF | NX, RvD::fmul, 0x8000000000000001L, d(0.5), RMM);
        check(d(0x1p-1060), 0, RvD::fmul, d(0x1p-1000), d(0x1p-60), RNE); // exact subnormal: no UF
        check(QNAN, NV, RvD::fmul, INF, MZERO, RNE);
        check(MINF, 0, RvD::fmul, INF, MONE, RNE);
        check(MZERO, 0, RvD::fmul, PZERO, MONE, RNE);
        check(INF, OF | NX, RvD::fmul, MAX, TWO, RMM);
        check(MAX | MZERO, OF | NX, RvD::fmul, MAX, d(-2.0), RUP);
    }

    @Test
    void multiplyTiesInRmm() {
        // (1 + 2^-26)(1 + 2^-27) = 1 + 3*2^-27 + 2^-53
        check(0x3ff0000006000000L, NX, RvD::fmul, 0x3ff0000004000000L, 0x3ff0000002000000L, RNE);
        check(0x3ff0000006000001L, NX, RvD::fmul, 0x3ff0000004000000L, 0x3ff0000002000000L, RMM);
        check(0xbff0000006000001L, NX, RvD::fmul, 0xbff0000004000000L, 0x3ff0000002000000L, RMM);
    }

    @Test
    void divide() {
        check(INF, DZ, RvD::fdiv, ONE, PZERO, RNE);
        check(MINF, DZ, RvD::fdiv, ONE, MZERO, RTZ);
        check(QNAN, NV, RvD::fdiv, PZERO, MZERO, RNE);
        check(QNAN, NV, RvD::fdiv, INF, INF, RNE);
        check(INF, 0, RvD::fdiv, INF, PZERO, RNE);
        check(MZERO, 0, RvD::fdiv, MONE, INF, RNE);
        check(0x3fd5555555555556L, NX, RvD::fdiv, ONE, d(3.0), RUP);
        check(0xbfd5555555555556L, NX, RvD::fdiv, MONE, d(3.0), RDN);
        check(0xbfd5555555555555L, NX, RvD::fdiv, MONE, d(3.0), RTZ);
        // subnormal quotients can be exact ties: -2^-1022 / 2^53 = -2^-1075
        check(MZERO, UF | NX, RvD::fdiv, 0x8010000000000000L, d(0x1p53), RNE);
        check(0x8000000000000001L, UF | NX, RvD::fdiv, 0x8010000000000000L, d(0x1p53), RMM);
        check(MAX, OF | NX, RvD::fdiv, MAX, d(0.5), RTZ);
        check(d(0x1p-1074), 0, RvD::fdiv, d(0x1p-1073), TWO, RNE);
        // subnormal dividend, normal quotient: takes the exact path
        check(d(3 * 0x1p-1074 / 0x1p-1060), 0, RvD::fdiv, 3L, d(0x1p-1060), RUP);
    }

    @Test
    void squareRoot() {
        final Op2 sqrt = (a, b, rm, st) -> RvD.fsqrt(a, rm, st);
        check(0x3ff6a09e667f3bcdL, NX, sqrt, TWO, 0, RNE);
        check(0x3ff6a09e667f3bccL, NX, sqrt, TWO, 0, RTZ);
        check(0x3ff6a09e667f3bcdL, NX, sqrt, TWO, 0, RUP);
        check(d(0x1p-537), 0, sqrt, 1L, 0, RNE);                // tiny operands are scaled exactly
        check(QNAN, NV, sqrt, MONE, 0, RNE);
        check(QNAN, NV, sqrt, MINF, 0, RNE);
        check(MZERO, 0, sqrt, MZERO, 0, RNE);
        check(INF, 0, sqrt, INF, 0, RNE);
        check(QNAN, 0, sqrt, QNAN_PAYLOAD, 0, RNE);
        check(QNAN, NV, sqrt, SNAN, 0, RNE);
        // tiny inexact roots: the directed results bracket the nearest one
        for (long bits = 3; bits < 1000; bits += 7) {
            final FpStatus st = new FpStatus();
            final long dn = RvD.fsqrt(bits, RDN, st);
            final long up = RvD.fsqrt(bits, RUP, st);
            final long ne = RvD.fsqrt(bits, RNE, st);
            final double exactish = Math.sqrt(Double.longBitsToDouble(bits));
            if ((st.flags & NX) != 0) {
                assertEquals(dn + 1, up, "sqrt of " + bits);
                assertEquals(d(exactish), ne);
            }
        }
    }

    @Test
    void fusedMultiplyAdd() {
        final long onePlus = ONE + 1;
        // (1 + 2^-52)^2 - 1 = 2^-51 (1 + 2^-53): a tie
        final long[] want = {0x3cc0000000000000L, 0x3cc0000000000000L, 0x3cc0000000000000L, 0x3cc0000000000001L,
            0x3cc0000000000001L};
        for (int rm = 0; rm < 5; rm++) {
            final FpStatus st = new FpStatus();
            assertEquals(want[rm], RvD.fmadd(onePlus, onePlus, MONE, rm, st), "rm " + rm);
            assertEquals(NX, st.flags);
        }
        FpStatus st = new FpStatus();
        assertEquals(QNAN, RvD.fmadd(INF, PZERO, QNAN, RNE, st));    // inf * 0 + qNaN: NV on RISC-V
        assertEquals(NV, st.flags);
        st = new FpStatus();
        assertEquals(QNAN, RvD.fmadd(ONE, ONE, QNAN_PAYLOAD, RNE, st));
        assertEquals(0, st.flags);
        assertEquals(QNAN, RvD.fmadd(INF, ONE, MINF, RNE, st));
        assertEquals(NV, st.flags);
        st = new FpStatus();
        assertEquals(MZERO, RvD.fmadd(TWO, d(3), d(-6), RDN, st));   // exact cancellation
        assertEquals(PZERO, RvD.fmadd(TWO, d(3), d(-6), RUP, st));
        assertEquals(MZERO, RvD.fmadd(MONE, PZERO, PZERO, RDN, st));
        assertEquals(MZERO, RvD.fmadd(MONE, PZERO, MZERO, RNE, st));
        assertEquals(PZERO, RvD.fmadd(MONE, PZERO, PZERO, RNE, st));
        assertEquals(d(5.0), RvD.fmadd(TWO, TWO, ONE, RNE, st));
        assertEquals(d(3.0), RvD.fmsub(TWO, TWO, ONE, RNE, st));
        assertEquals(d(-3.0), RvD.fnmsub(TWO, TWO, ONE, RNE, st));
        assertEquals(d(-5.0), RvD.fnmadd(TWO, TWO, ONE, RNE, st));
        assertEquals(0, st.flags);
        // a tiny product below a moderate addend: the addend decides, the product is the sticky bit
        assertEquals(Math.nextUp(1.0), Double.longBitsToDouble(RvD.fmadd(d(0x1p-600), d(0x1p-600), ONE, RUP, st)));
        assertEquals(1.0, Double.longBitsToDouble(RvD.fmadd(d(0x1p-600), d(0x1p-600), ONE, RNE, st)));
        assertEquals(Math.nextDown(1.0), Double.longBitsToDouble(RvD.fmadd(d(-0x1p-600), d(0x1p-600), ONE, RTZ, st)));
    }

    /** Fast path and exact path must agree: the fast path's results checked against the slow path's rounding. */
    @Test
    void fusedMultiplyAddFastPathAgreesWithExactRounding() {
        final SplittableRandom rnd = new SplittableRandom(7);
        for (int i = 0; i < 200_000; i++) {
            final double x = (rnd.nextDouble() - 0.5) * Math.scalb(1.0, rnd.nextInt(-20, 20));
            final double y = (rnd.nextDouble() - 0.5) * Math.scalb(1.0, rnd.nextInt(-20, 20));
            final double z = -x * y * (1 + Math.scalb(rnd.nextDouble() - 0.5, -rnd.nextInt(0, 60)));
            final int rm = rnd.nextInt(5);
            final FpStatus fast = new FpStatus();
            final long got = RvD.fmadd(d(x), d(y), d(z), rm, fast);
            final java.math.BigDecimal exact = new java.math.BigDecimal(x).multiply(new java.math.BigDecimal(y))
                    .add(new java.math.BigDecimal(z));
            final long want = roundBigDecimal(exact, rm);
            assertEquals(Long.toHexString(want), Long.toHexString(got), x + " * " + y + " + " + z + " rm " + rm);
            assertEquals(exact.compareTo(new java.math.BigDecimal(Double.longBitsToDouble(got))) != 0 ? NX : 0,
                    fast.flags & NX);
        }
    }

    /** An independent rounding of an exact decimal to a normal double, by bracketing with Math.nextUp. */
    private static long roundBigDecimal(java.math.BigDecimal x, int rm) {
        if (x.signum() == 0) {
            return rm == RDN ? MZERO : PZERO;
        }
        final double near = x.doubleValue(); // correctly rounded to nearest (even) by the JDK
        final java.math.BigDecimal n = new java.math.BigDecimal(near);
        final int cmp = x.compareTo(n);
        if (cmp == 0) {
            return d(near);
        }
        final double lo = cmp > 0 ? near : Math.nextDown(near);
        final double hi = cmp > 0 ? Math.nextUp(near) : near;
        switch (rm) {
            case RTZ: return d(x.signum() > 0 ? lo : hi);
            case RDN: return d(lo);
            case RUP: return d(hi);
            case RMM: {
                final java.math.BigDecimal mid = new java.math.BigDecimal(lo).add(new java.math.BigDecimal(hi))
                        .divide(java.math.BigDecimal.valueOf(2));
                final int c = x.compareTo(mid);
                return c == 0 ? d(x.signum() > 0 ? hi : lo) : d(near);
            }
            default: return d(near);
        }
    }

    @Test
    void minMaxCompareClassify() {
        final FpStatus st = new FpStatus();
        assertEquals(MZERO, RvD.fmin(PZERO, MZERO, st));
        assertEquals(MZERO, RvD.fmin(MZERO, PZERO, st));
        assertEquals(PZERO, RvD.fmax(MZERO, PZERO, st));
        assertEquals(ONE, RvD.fmin(QNAN_PAYLOAD, ONE, st));
        assertEquals(ONE, RvD.fmax(ONE, QNAN_PAYLOAD, st));
        assertEquals(QNAN, RvD.fmax(QNAN_PAYLOAD, QNAN_PAYLOAD, st));
        assertEquals(1, RvD.feq(MZERO, PZERO, st));
        assertEquals(0, RvD.feq(QNAN, QNAN, st));
        assertEquals(0, RvD.flt(MZERO, PZERO, st));
        assertEquals(1, RvD.fle(MZERO, PZERO, st));
        assertEquals(0, st.flags);
        assertEquals(ONE, RvD.fmin(SNAN, ONE, st));
        assertEquals(NV, st.flags);
        st.flags = 0;
        assertEquals(0, RvD.feq(SNAN, ONE, st));
        assertEquals(NV, st.flags);
        st.flags = 0;
        assertEquals(0, RvD.flt(QNAN, ONE, st));
        assertEquals(NV, st.flags);
        st.flags = 0;
        assertEquals(0, RvD.fle(ONE, QNAN, st));
        assertEquals(NV, st.flags);

        final long[] values = {MINF, MONE, 0x800fffffffffffffL, MZERO, PZERO, 1L, ONE, INF, SNAN, QNAN};
        for (int i = 0; i < values.length; i++) {
            assertEquals(1L << i, RvD.fclass(values[i]), Long.toHexString(values[i]));
        }
        assertEquals(1L << 9, RvD.fclass(QNAN_PAYLOAD));
    }

    @Test
    void signInjectionKeepsNaNsAsTheyAre() {
        assertEquals(MONE, RvD.fsgnj(ONE, MINF));
        assertEquals(ONE, RvD.fsgnjn(ONE, MINF));
        assertEquals(ONE, RvD.fsgnjx(MONE, MINF));
        assertEquals(0xfff0000000000001L, RvD.fsgnjn(SNAN, ONE));
        assertEquals(0x7ff8000000000abcL, RvD.fsgnjx(QNAN_PAYLOAD, MONE));
    }

    @Test
    void conversions() {
        final FpStatus st = new FpStatus();
        assertEquals(0x7fffffffL, RvD.fcvtWD(QNAN_PAYLOAD, RNE, st));   // NaN: the maximum, whatever its sign
        assertEquals(0xffffffff80000000L, RvD.fcvtWD(MINF, RNE, st));
        assertEquals(-1L, RvD.fcvtWuD(QNAN, RNE, st));
        assertEquals(0L, RvD.fcvtLuD(MONE, RNE, st));
        assertEquals(NV, st.flags);
        st.flags = 0;
        assertEquals(-3L, RvD.fcvtWD(d(-2.5), RMM, st));
        assertEquals(-2L, RvD.fcvtWD(d(-2.5), RNE, st));
        assertEquals(-3L, RvD.fcvtLD(d(-2.5), RDN, st));
        assertEquals(0xffffffffb2d05e00L, RvD.fcvtWuD(d(3e9), RNE, st)); // sign-extended from bit 31
        assertEquals(NX, st.flags);
        st.flags = 0;
        assertEquals(d(-1.0), RvD.fcvtDW(0x12345678ffffffffL));
        assertEquals(d(4294967295.0), RvD.fcvtDWu(0x12345678ffffffffL));
        assertEquals(d(0x1p63), RvD.fcvtDLu(Long.MIN_VALUE, RNE, st));
        assertEquals(d(-0x1p63), RvD.fcvtDL(Long.MIN_VALUE, RNE, st));
        assertEquals(d(0x1p53), RvD.fcvtDL(1L << 53, RTZ, st));
        assertEquals(0, st.flags);
        // fcvt.s.d: tininess after rounding at single precision
        assertEquals(Fp.box(0x00800000), RvD.fcvtSD(0x380ffffff0000000L, RNE, st));
        assertEquals(NX, st.flags);
        st.flags = 0;
        assertEquals(Fp.box(0x00800000), RvD.fcvtSD(0x380fffffe0000000L, RNE, st));
        assertEquals(UF | NX, st.flags);
        st.flags = 0;
        assertEquals(Fp.box(0x7f7fffff), RvD.fcvtSD(d(0x1p128), RTZ, st));
        assertEquals(OF | NX, st.flags);
        st.flags = 0;
        assertEquals(Fp.CANONICAL_NAN_F_BOXED, RvD.fcvtSD(SNAN, RNE, st));
        assertEquals(NV, st.flags);
        st.flags = 0;
        assertEquals(QNAN, RvD.fcvtDS(0x000000003f800000L, st));         // not NaN-boxed: canonical, quiet
        assertEquals(0, st.flags);
        assertEquals(QNAN, RvD.fcvtDS(Fp.box(0x7f800001), st));
        assertEquals(NV, st.flags);
        assertEquals(d(Float.MIN_VALUE), RvD.fcvtDS(Fp.box(1), st));
    }
}
