package io.sublet.cpu.insn;

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
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;

/** The shared rounding machinery: {@link Fp#roundD}, {@link Fp#roundF}, conversions, boxing. */
class FpTest {
    private static final long ONE_62 = 1L << 62;

    private static void assertFlags(int expected, FpStatus st) {
        assertEquals(FpFlags.describe(expected), FpFlags.describe(st.flags));
    }

    @Test
    void roundDExactValuesRaiseNothing() {
        final FpStatus st = new FpStatus();
        assertEquals(0x3ff0000000000000L, Fp.roundD(false, 0, ONE_62, RNE, st));
        assertEquals(0xc008000000000000L, Fp.roundD(true, 1, 3L << 61, RUP, st));
        assertEquals(0x0008000000000000L, Fp.roundD(false, -1023, ONE_62, RNE, st)); // exact subnormal
        assertEquals(1L, Fp.roundD(false, -1074, ONE_62, RTZ, st));
        assertFlags(0, st);
    }

    @Test
    void roundDHalfwayInEveryMode() {
        // 1 + 2^-53: halfway between 1 and 1 + 2^-52 (bit 9 of the 10 rounding bits)
        final long sig = ONE_62 | (1L << 9);
        final long[] want = {0x3ff0000000000000L, 0x3ff0000000000000L, 0x3ff0000000000000L, 0x3ff0000000000001L,
            0x3ff0000000000001L};
        for (int rm = 0; rm < 5; rm++) {
            final FpStatus st = new FpStatus();
            assertEquals(want[rm], Fp.roundD(false, 0, sig, rm, st), "rm " + rm);
            assertFlags(NX, st);
        }
        final FpStatus st = new FpStatus();
        assertEquals(0xbff0000000000001L, Fp.roundD(true, 0, sig, RDN, st));
        assertEquals(0xbff0000000000000L, Fp.roundD(true, 0, sig, RUP, st));
    }

    @Test
    void roundDCarriesIntoTheExponent() {
        final FpStatus st = new FpStatus();
        // all 53 bits set plus more than half: 2 - 2^-52 rounds up to 2
        assertEquals(0x4000000000000000L, Fp.roundD(false, 0, Long.MAX_VALUE, RNE, st));
        assertFlags(NX, st);
    }

    @Test
    void overflowDependsOnModeAndSign() {
        final long max = 0x7fefffffffffffffL;
        final long inf = 0x7ff0000000000000L;
        final long sign = Long.MIN_VALUE;
        final long[][] want = {
            {inf, max, max, inf, inf},                          // positive: RNE RTZ RDN RUP RMM
            {sign | inf, sign | max, sign | inf, sign | max, sign | inf},
        };
        for (int neg = 0; neg < 2; neg++) {
            for (int rm = 0; rm < 5; rm++) {
                final FpStatus st = new FpStatus();
                assertEquals(want[neg][rm], Fp.roundD(neg == 1, 1024, ONE_62, rm, st), "neg " + neg + " rm " + rm);
                assertFlags(OF | NX, st);
            }
        }
        final FpStatus st = new FpStatus();
        assertEquals(0xff7fffffL, Fp.roundF(true, 128, ONE_62, RTZ, st) & 0xffffffffL);
        assertFlags(OF | NX, st);
    }

    @Test
    void tininessIsDetectedAfterRounding() {
        // 2^-1022 * (1 - 2^-54): tiny before rounding, but rounds to 2^-1022 at full precision: no UF
        FpStatus st = new FpStatus();
        assertEquals(0x0010000000000000L, Fp.roundD(false, -1023, Long.MAX_VALUE, RNE, st));
        assertFlags(NX, st);
        st = new FpStatus();
        assertEquals(0x000fffffffffffffL, Fp.roundD(false, -1023, Long.MAX_VALUE, RTZ, st));
        assertFlags(UF | NX, st);
        // exactly 2^-1022 (1 - 2^-53) at full precision, then halfway at subnormal precision: tiny, rounds up
        st = new FpStatus();
        assertEquals(0x0010000000000000L, Fp.roundD(false, -1023, Long.MAX_VALUE - ((1L << 10) - 1), RNE, st));
        assertFlags(UF | NX, st);
        // 53 ones and less than half below them: tiny at full precision; above half at subnormal precision
        st = new FpStatus();
        assertEquals(0x0010000000000000L, Fp.roundD(false, -1023, 0x7ffffffffffffdffL, RNE, st));
        assertFlags(UF | NX, st);
    }

    @Test
    void subnormalResultsRoundInEveryMode() {
        // 2^-1075 = half the smallest subnormal
        final long[] want = {0, 0, 0, 1, 1};
        for (int rm = 0; rm < 5; rm++) {
            final FpStatus st = new FpStatus();
            assertEquals(want[rm], Fp.roundD(false, -1075, ONE_62, rm, st), "rm " + rm);
            assertFlags(UF | NX, st);
        }
        final FpStatus st = new FpStatus();
        assertEquals(Long.MIN_VALUE | 1, Fp.roundD(true, -1075, ONE_62, RDN, st));
        assertEquals(Long.MIN_VALUE, Fp.roundD(true, -1075, ONE_62, RNE, st));
        // far below: only the sticky bit survives
        assertEquals(1L, Fp.roundD(false, -5000, ONE_62, RUP, st));
        assertEquals(0L, Fp.roundD(false, -5000, ONE_62, RNE, st));
        assertEquals(1, Fp.roundF(false, -400, ONE_62, RUP, st));
    }

    @Test
    void toFloatBitsUsesTheErrorSign() {
        FpStatus st = new FpStatus();
        // 1 - tiny: RTZ gives the float below 1, RNE 1
        assertEquals(0x3f7fffff, Fp.toFloatBits(1.0, -1e-30, RTZ, st));
        assertEquals(0x3f800000, Fp.toFloatBits(1.0, -1e-30, RNE, st));
        assertEquals(0x3f800001, Fp.toFloatBits(1.0, 1e-30, RUP, st));
        assertEquals(0x3f800000, Fp.toFloatBits(1.0, 1e-30, RDN, st));
        assertEquals(0xbf800001, Fp.toFloatBits(-1.0, -1e-30, RDN, st));
        assertFlags(NX, st);
        // a float midpoint that is not exact: the error decides
        final double mid = 1.0 + 0x1p-24;
        st = new FpStatus();
        assertEquals(0x3f800001, Fp.toFloatBits(mid, 1e-30, RNE, st));
        assertEquals(0x3f800000, Fp.toFloatBits(mid, -1e-30, RNE, st));
        assertEquals(0x3f800000, Fp.toFloatBits(mid, -1e-30, RMM, st));
        assertEquals(0x3f800001, Fp.toFloatBits(mid, 0, RMM, st));
        // a double subnormal becomes a tiny float
        st = new FpStatus();
        assertEquals(0, Fp.toFloatBits(Double.MIN_VALUE, 0, RNE, st));
        assertFlags(UF | NX, st);
        assertEquals(0x80000000, Fp.toFloatBits(-0.0, 0, RNE, st));
    }

    @Test
    void roundToIntegralRmmIsExact() {
        assertEquals(0.0, Fp.roundToIntegral(0.49999999999999994, RMM));
        assertEquals(1.0, Fp.roundToIntegral(0.5, RMM));
        assertEquals(-1.0, Fp.roundToIntegral(-0.5, RMM));
        assertEquals(3.0, Fp.roundToIntegral(2.5, RMM));
        assertEquals(2.0, Fp.roundToIntegral(2.5, RNE));
        assertEquals(0x1p60, Fp.roundToIntegral(0x1p60, RMM));
        assertEquals(-3.0, Fp.roundToIntegral(-2.1, RDN));
        assertEquals(-2.0, Fp.roundToIntegral(-2.9, RTZ));
        assertTrue(Double.isNaN(Fp.roundToIntegral(Double.NaN, RMM)));
    }

    @Test
    void integerConversionsSaturate() {
        final FpStatus st = new FpStatus();
        assertEquals(Integer.MAX_VALUE, Fp.toInt32(Double.NaN, RNE, st));
        assertEquals(Integer.MIN_VALUE, Fp.toInt32(Double.NEGATIVE_INFINITY, RNE, st));
        assertEquals(Integer.MAX_VALUE, Fp.toInt32(0x1p31, RNE, st));
        assertEquals(-1L, Fp.toUInt32(Double.NaN, RNE, st));
        assertEquals(0L, Fp.toUInt32(-1.0, RNE, st));
        assertEquals(Long.MAX_VALUE, Fp.toInt64(0x1p63, RNE, st));
        assertEquals(Long.MIN_VALUE, Fp.toInt64(-0x1p64, RNE, st));
        assertEquals(-1L, Fp.toUInt64(0x1p64, RNE, st));
        assertEquals(0L, Fp.toUInt64(-0.75, RDN, st));
        assertFlags(NV, st);

        final FpStatus ok = new FpStatus();
        assertEquals(Integer.MIN_VALUE, Fp.toInt32(-0x1p31, RNE, ok));
        assertEquals(-1L, Fp.toUInt32(0x1p32 - 1, RNE, ok));          // 2^32-1, sign-extended
        assertEquals(0xffffffff80000000L, Fp.toUInt32(0x1p31, RNE, ok));
        assertEquals(Long.MIN_VALUE, Fp.toUInt64(0x1p63, RNE, ok));
        assertEquals(0xfffffffffffff800L, Fp.toUInt64(Math.nextDown(0x1p64), RNE, ok));
        assertFlags(0, ok);
        assertEquals(0L, Fp.toUInt64(-0.75, RTZ, ok));                  // rounds to -0: in range, inexact
        assertFlags(NX, ok);
    }

    @Test
    void fromLongRoundsInEveryMode() {
        final long tie = (1L << 53) + 1;
        final long[] want = {0x4340000000000000L, 0x4340000000000000L, 0x4340000000000000L, 0x4340000000000001L,
            0x4340000000000001L};
        for (int rm = 0; rm < 5; rm++) {
            final FpStatus st = new FpStatus();
            assertEquals(want[rm], Fp.fromLongD(tie, false, rm, st), "rm " + rm);
            assertFlags(NX, st);
        }
        final FpStatus st = new FpStatus();
        assertEquals(0xc3e0000000000000L, Fp.fromLongD(Long.MIN_VALUE, false, RNE, st));
        assertEquals(0x43e0000000000000L, Fp.fromLongD(Long.MIN_VALUE, true, RNE, st));
        assertFlags(0, st);
        assertEquals(0x43f0000000000000L, Fp.fromLongD(-1L, true, RNE, st));
        assertEquals(0x43efffffffffffffL, Fp.fromLongD(-1L, true, RTZ, st));
        assertEquals(0x5f800000, Fp.fromLongF(-1L, true, RNE, st));
        assertEquals(0xdf000000, Fp.fromLongF(Long.MIN_VALUE, false, RUP, st));
        assertEquals(0x5f000001, Fp.fromLongF(0x8000008000000000L, true, RMM, st));
        assertEquals(0, Fp.fromLongF(0, false, RDN, st));
    }

    @Test
    void boxingAndClassification() {
        assertEquals(0x3f800000, Fp.unbox(0xffffffff3f800000L));
        assertEquals(Fp.CANONICAL_NAN_F, Fp.unbox(0x000000003f800000L));
        assertEquals(Fp.CANONICAL_NAN_F, Fp.unbox(0x7fffffff3f800000L));
        assertEquals(0xffffffff80000000L, Fp.box(0x80000000));
        assertTrue(Fp.isSignalingF(0x7f800001));
        assertFalse(Fp.isSignalingF(0x7fc00000));
        assertFalse(Fp.isNaNF(0x7f800000));
        assertTrue(Fp.isSignalingD(0xfff0000000000001L));
        assertFalse(Fp.isSignalingD(0x7ff8000000000000L));
        assertFalse(Fp.isNaND(0xfff0000000000000L));
    }

    @Test
    void directedAdjustsOneUlp() {
        assertEquals(Math.nextDown(1.0), Fp.directed(1.0, -1e-20, false, RTZ));
        assertEquals(1.0, Fp.directed(1.0, 1e-20, false, RTZ));
        assertEquals(Math.nextUp(-1.0), Fp.directed(-1.0, 1e-20, false, RTZ));
        assertEquals(Math.nextUp(1.0), Fp.directed(1.0, 1e-20, false, RUP));
        assertEquals(Math.nextDown(1.0), Fp.directed(1.0, -1e-20, false, RDN));
        assertEquals(Math.nextUp(1.0), Fp.directed(1.0, 0x1p-53, true, RMM));
        assertEquals(1.0, Fp.directed(1.0, -0x1p-54, true, RMM)); // a tie below 1 that RNE already rounded away
    }

    @Test
    void roundExactMatchesBigIntegerValues() {
        final FpStatus st = new FpStatus();
        // 3 * 2^-1076 = 0.75 of the smallest subnormal: RNE 1 ulp
        assertEquals(1L, Fp.roundExactD(BigInteger.valueOf(3), -1076, RNE, st));
        assertFlags(UF | NX, st);
        // 2^1024 - 2^970 (MAX + half an ulp): RNE overflows, RTZ does not
        final BigInteger x = BigInteger.ONE.shiftLeft(1024).subtract(BigInteger.ONE.shiftLeft(970));
        FpStatus s2 = new FpStatus();
        assertEquals(0x7ff0000000000000L, Fp.roundExactD(x, 0, RNE, s2));
        assertFlags(OF | NX, s2);
        s2 = new FpStatus();
        assertEquals(0x7fefffffffffffffL, Fp.roundExactD(x, 0, RTZ, s2));
        assertFlags(NX, s2);
    }
}
