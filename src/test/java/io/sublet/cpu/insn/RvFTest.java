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

import org.junit.jupiter.api.Test;

/** Edge cases of {@link RvF}: NaN boxing everywhere, and the single-precision rounding paths. */
class RvFTest {
    private static final long ONE = Fp.box(0x3f800000);
    private static final long TWO = Fp.box(0x40000000);
    private static final long MONE = Fp.box(0xbf800000);
    private static final long PZERO = Fp.box(0);
    private static final long MZERO = Fp.box(0x80000000);
    private static final long INF = Fp.box(0x7f800000);
    private static final long QNAN = Fp.CANONICAL_NAN_F_BOXED;
    private static final long SNAN = Fp.box(0x7f800001);
    private static final long MAXSUB = Fp.box(0x007fffff);
    private static final long MINNORM = Fp.box(0x00800000);
    /** 1.0 without its NaN box: reads as the canonical NaN. */
    private static final long UNBOXED = 0x000000003f800000L;

    private static long f(float v) {
        return Fp.box(Float.floatToRawIntBits(v));
    }

    private interface Op2 {
        long apply(long a, long b, int rm, FpStatus st);
    }

    private static void check(long want, int wantFlags, Op2 op, long a, long b, int rm) {
        final FpStatus st = new FpStatus();
        final long got = op.apply(a, b, rm, st);
        final String what = String.format("a=%016x b=%016x rm=%d", a, b, rm);
        assertEquals(Long.toHexString(want), Long.toHexString(got), what);
        assertEquals(FpFlags.describe(wantFlags), FpFlags.describe(st.flags), what);
    }

    @Test
    void improperlyBoxedOperandsAreTheCanonicalNaN() {
        for (int rm = 0; rm < 5; rm++) {
            check(QNAN, 0, RvF::fadd, UNBOXED, ONE, rm);
            check(QNAN, 0, RvF::fsub, ONE, 0xfffffffe3f800000L, rm);
            check(QNAN, 0, RvF::fmul, UNBOXED, ONE, rm);
            check(QNAN, 0, RvF::fdiv, ONE, UNBOXED, rm);
            check(QNAN, 0, (a, b, r, st) -> RvF.fsqrt(a, r, st), UNBOXED, 0, rm);
            check(QNAN, 0, (a, b, r, st) -> RvF.fmadd(ONE, ONE, a, r, st), UNBOXED, 0, rm);
            check(0x7fffffffL, NV, (a, b, r, st) -> RvF.fcvtWS(a, r, st), UNBOXED, 0, rm);
        }
        final FpStatus st = new FpStatus();
        assertEquals(Fp.box(0xffc00000), RvF.fsgnj(UNBOXED, MONE));      // canonical NaN, sign injected
        assertEquals(ONE, RvF.fsgnj(ONE, UNBOXED));                      // the canonical NaN's sign is +
        assertEquals(Fp.box(0xffc00000), RvF.fsgnjn(UNBOXED, UNBOXED));
        assertEquals(1L << 9, RvF.fclass(UNBOXED));
        assertEquals(ONE, RvF.fmin(UNBOXED, ONE, st));
        assertEquals(0, RvF.feq(UNBOXED, UNBOXED, st));
        assertEquals(0, st.flags);                                      // a quiet NaN: feq and fmin stay quiet
        assertEquals(0, RvF.flt(UNBOXED, ONE, st));
        assertEquals(NV, st.flags);
    }

    @Test
    void movesDoNotUnbox() {
        assertEquals(0xffffffff9abcdef0L, RvF.fmvXW(0x123456789abcdef0L));
        assertEquals(0x12345678L, RvF.fmvXW(0xffffffff12345678L));
        assertEquals(0xffffffff9abcdef0L, RvF.fmvWX(0x123456789abcdef0L));
    }

    @Test
    void addRoundsOnceFromTheExactSum() {
        // 1 + 2^-24 is a tie; 1 + 2^-24 + 2^-60 is not (the double sum is inexact: the error decides)
        check(ONE, NX, RvF::fadd, ONE, f(0x1p-24f), RNE);
        check(Fp.box(0x3f800001), NX, RvF::fadd, ONE, f(0x1p-24f), RMM);
        check(Fp.box(0x3f800001), NX, RvF::fadd, ONE, f(0x1p-24f), RUP);
        check(Fp.box(0x3f7fffff), NX, RvF::fadd, ONE, f(-0x1p-60f), RTZ);
        check(Fp.box(0x3f7fffff), NX, RvF::fadd, ONE, f(-0x1p-100f), RDN);
        check(ONE, NX, RvF::fadd, ONE, f(-0x1p-100f), RNE);
        for (int rm = 0; rm < 5; rm++) {
            check(rm == RDN ? MZERO : PZERO, 0, RvF::fadd, ONE, MONE, rm);
            check(MZERO, 0, RvF::fadd, MZERO, MZERO, rm);
        }
        check(INF, OF | NX, RvF::fadd, f(Float.MAX_VALUE), f(Float.MAX_VALUE), RNE);
        check(f(Float.MAX_VALUE), OF | NX, RvF::fadd, f(Float.MAX_VALUE), f(Float.MAX_VALUE), RTZ);
        check(f(Float.MAX_VALUE), NX, RvF::fadd, f(Float.MAX_VALUE), f(0x1p103f), RTZ);  // half an ulp: no OF
        check(QNAN, NV, RvF::fadd, INF, Fp.box(0xff800000), RNE);
        check(QNAN, NV, RvF::fadd, SNAN, ONE, RNE);
        check(MINNORM, 0, RvF::fadd, MAXSUB, Fp.box(1), RNE);
    }

    @Test
    void multiplyAndTininess() {
        final long onePlus = Fp.box(0x3f800001);
        final long[] want = {MINNORM, MAXSUB, MAXSUB, MINNORM, MINNORM};
        final int[] flags = {NX, UF | NX, UF | NX, NX, NX};
        for (int rm = 0; rm < 5; rm++) {
            check(want[rm], flags[rm], RvF::fmul, onePlus, MAXSUB, rm);
        }
        check(MINNORM, UF | NX, RvF::fmul, Fp.box(0x3f7fffff), MINNORM, RNE);   // exact at 24 bits: tiny
        check(PZERO, UF | NX, RvF::fmul, Fp.box(1), f(0.5f), RNE);
        check(Fp.box(1), UF | NX, RvF::fmul, Fp.box(1), f(0.5f), RMM);
        check(Fp.box(0x00400000), 0, RvF::fmul, MINNORM, f(0.5f), RNE);
        check(QNAN, NV, RvF::fmul, INF, MZERO, RNE);
        check(MZERO, 0, RvF::fmul, PZERO, MONE, RUP);
    }

    @Test
    void divideAndSquareRoot() {
        check(Fp.box(0x3eaaaaab), NX, RvF::fdiv, ONE, f(3f), RNE);
        check(Fp.box(0x3eaaaaaa), NX, RvF::fdiv, ONE, f(3f), RTZ);
        check(Fp.box(0xbeaaaaab), NX, RvF::fdiv, MONE, f(3f), RDN);
        check(INF, DZ, RvF::fdiv, ONE, PZERO, RNE);
        check(INF, 0, RvF::fdiv, INF, PZERO, RNE);
        check(QNAN, NV, RvF::fdiv, PZERO, PZERO, RNE);
        check(MINNORM, UF | NX, RvF::fdiv, Fp.box(0x0c7fffff), Fp.box(0x4b800000), RNE);
        check(Fp.box(0x802a0b59), UF | NX, RvF::fdiv, Fp.box(0x8b282d62), Fp.box(0x4b000000), RMM); // subnormal tie
        final Op2 sqrt = (a, b, rm, st) -> RvF.fsqrt(a, rm, st);
        check(Fp.box(0x3fb504f3), NX, sqrt, TWO, 0, RNE);
        check(Fp.box(0x3fb504f4), NX, sqrt, TWO, 0, RUP);
        check(Fp.box(0x3fb504f3), NX, sqrt, TWO, 0, RMM);
        check(MZERO, 0, sqrt, MZERO, 0, RNE);
        check(QNAN, NV, sqrt, MONE, 0, RNE);
        check(f(3f), 0, sqrt, f(9f), 0, RTZ);
    }

    @Test
    void fusedMultiplyAddRoundsOnce() {
        final long onePlus = Fp.box(0x3f800001);
        final long[] want = {0x34800000, 0x34800000, 0x34800000, 0x34800001, 0x34800001};
        for (int rm = 0; rm < 5; rm++) {
            final FpStatus st = new FpStatus();
            assertEquals(Fp.box((int) want[rm]), RvF.fmadd(onePlus, onePlus, MONE, rm, st), "rm " + rm);
            assertEquals(NX, st.flags);
        }
        FpStatus st = new FpStatus();
        // 2^30 + 2^-30: the double sum is inexact, so the rounding uses its error
        assertEquals(Fp.box(0x4e800001), RvF.fmadd(ONE, f(0x1p-30f), f(0x1p30f), RUP, st));
        assertEquals(Fp.box(0x4e800000), RvF.fmadd(ONE, f(0x1p-30f), f(0x1p30f), RNE, st));
        assertEquals(Fp.box(0x4e7fffff), RvF.fmadd(MONE, f(0x1p-30f), f(0x1p30f), RTZ, st));
        assertEquals(NX, st.flags);
        st = new FpStatus();
        assertEquals(QNAN, RvF.fmadd(INF, PZERO, QNAN, RNE, st));
        assertEquals(NV, st.flags);
        st = new FpStatus();
        assertEquals(MZERO, RvF.fmadd(TWO, f(3f), f(-6f), RDN, st));
        assertEquals(f(-5f), RvF.fnmadd(TWO, TWO, ONE, RNE, st));
        assertEquals(f(-3f), RvF.fnmsub(TWO, TWO, ONE, RNE, st));
        assertEquals(f(3f), RvF.fmsub(TWO, TWO, ONE, RNE, st));
        assertEquals(0, st.flags);
    }

    @Test
    void minMaxCompareClassify() {
        final FpStatus st = new FpStatus();
        assertEquals(MZERO, RvF.fmin(PZERO, MZERO, st));
        assertEquals(PZERO, RvF.fmax(MZERO, PZERO, st));
        assertEquals(ONE, RvF.fmax(QNAN, ONE, st));
        assertEquals(QNAN, RvF.fmin(Fp.box(0xffc00123), QNAN, st));
        assertEquals(1, RvF.fle(MZERO, PZERO, st));
        assertEquals(0, st.flags);
        assertEquals(ONE, RvF.fmin(SNAN, ONE, st));
        assertEquals(NV, st.flags);
        final int[] values = {0xff800000, 0xbf800000, 0x807fffff, 0x80000000, 0, 1, 0x3f800000, 0x7f800000,
            0x7f800001, 0x7fc00000};
        for (int i = 0; i < values.length; i++) {
            assertEquals(1L << i, RvF.fclass(Fp.box(values[i])), Integer.toHexString(values[i]));
        }
    }

    @Test
    void conversions() {
        final FpStatus st = new FpStatus();
        assertEquals(3L, RvF.fcvtWS(f(2.5f), RMM, st));
        assertEquals(2L, RvF.fcvtWS(f(2.5f), RNE, st));
        assertEquals(-3L, RvF.fcvtLS(f(-2.5f), RDN, st));
        assertEquals(0L, RvF.fcvtWuS(f(-0.5f), RTZ, st));
        assertEquals(NX, st.flags);
        st.flags = 0;
        assertEquals(0xffffffffffffff00L, RvF.fcvtWuS(f(0x1p32f - 256), RTZ, st));  // sign-extended
        assertEquals(0xffffff0000000000L, RvF.fcvtLuS(f(0x1p64f - 0x1p40f), RTZ, st));
        assertEquals(0, st.flags);
        assertEquals(0x7fffffffffffffffL, RvF.fcvtLS(f(0x1p63f), RTZ, st));
        assertEquals(-1L, RvF.fcvtLuS(QNAN, RTZ, st));
        assertEquals(0L, RvF.fcvtWuS(f(-0.5f), RDN, st));
        assertEquals(NV, st.flags);
        st.flags = 0;
        assertEquals(Fp.box(0x4b800000), RvF.fcvtSW(0x1000001, RNE, st));
        assertEquals(Fp.box(0x4b800001), RvF.fcvtSW(0x1000001, RMM, st));
        assertEquals(Fp.box(0xcb800001), RvF.fcvtSW(-0x1000001, RDN, st));
        assertEquals(Fp.box(0x4f800000), RvF.fcvtSWu(0xffffffffL, RNE, st));
        assertEquals(Fp.box(0x5f800000), RvF.fcvtSLu(-1L, RNE, st));
        assertEquals(Fp.box(0x5f000002), RvF.fcvtSLu(0x8000018000000000L, RNE, st));
        assertEquals(NX, st.flags);
        st.flags = 0;
        assertEquals(MONE, RvF.fcvtSW(0x55555555ffffffffL, RNE, st));              // the low word only
        assertEquals(Fp.box(0x4f000000), RvF.fcvtSWu(0x1234567880000000L, RNE, st));
        assertEquals(Fp.box(0xdf000000), RvF.fcvtSL(Long.MIN_VALUE, RNE, st));
        assertEquals(Fp.box(0x4b800000), RvF.fcvtSLu(1L << 24, RTZ, st));
        assertEquals(0, st.flags);
    }
}
