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

import java.math.BigInteger;

/**
 * Rounding machinery shared by {@link RvF} and {@link RvD}: the exact rounding of a wide intermediate to single
 * or double precision in any rounding mode (with NX, UF and OF, tininess detected after rounding as RISC-V
 * requires), directed rounding derived from an error-free transformation, conversions between integers and
 * floating point, and NaN boxing.
 *
 * <p>The wide intermediate of {@link #roundPack} is a sign, an exponent and a 63-bit significand {@code sig}
 * whose leading one is bit 62: the value is {@code sig * 2^(exp - 62)}. Bits below the kept precision are
 * rounding bits, and bit 0 doubles as the sticky bit (OR of everything below it), so an inexact intermediate is
 * represented by any value strictly between its two neighbours.
 *
 * <pre>
 *  bit  62  61 ........................ 62-p+1 | 62-p ..................... 1 | 0
 *      +---+------------------------------------+-------------------------------+---+
 *      | 1 |     fraction (p-1 bits: 52 or 23)   | round bits (9 or 38)          | S |
 *      +---+------------------------------------+-------------------------------+---+
 * </pre>
 */
public final class Fp {
    /** Canonical quiet NaN of single precision. */
    public static final int CANONICAL_NAN_F = 0x7fc00000;
    /** Canonical quiet NaN of double precision. */
    public static final long CANONICAL_NAN_D = 0x7ff8000000000000L;
    /** The upper half of a NaN-boxed single-precision value. */
    public static final long BOX = 0xffffffff00000000L;
    /** The canonical single-precision NaN, NaN-boxed. */
    public static final long CANONICAL_NAN_F_BOXED = BOX | CANONICAL_NAN_F;

    static final long SIGN_D = Long.MIN_VALUE;
    static final int SIGN_F = Integer.MIN_VALUE;
    static final long FRAC_D = (1L << 52) - 1;
    static final long INF_D = 0x7ff0000000000000L;
    static final int INF_F = 0x7f800000;

    private Fp() { }

    // ---- NaN boxing and classification ------------------------------------------------------------------------

    /** The single-precision value in a 64-bit register; an improperly NaN-boxed value reads as the canonical NaN. */
    public static int unbox(long reg) {
        return (reg >> 32) == -1 ? (int) reg : CANONICAL_NAN_F;
    }

    /** NaN-boxes single-precision bits for a 64-bit register. */
    public static long box(int bits) {
        return BOX | (bits & 0xffffffffL);
    }

    public static boolean isNaNF(int bits) {
        return (bits & 0x7fffffff) > INF_F;
    }

    public static boolean isSignalingF(int bits) {
        return isNaNF(bits) && (bits & 0x00400000) == 0;
    }

    public static boolean isNaND(long bits) {
        return (bits & ~SIGN_D) > INF_D;
    }

    public static boolean isSignalingD(long bits) {
        return isNaND(bits) && (bits & 0x0008000000000000L) == 0;
    }

    /**
     * The fclass mask: bit 0 -inf, 1 negative normal, 2 negative subnormal, 3 -0, 4 +0, 5 positive subnormal,
     * 6 positive normal, 7 +inf, 8 signalling NaN, 9 quiet NaN. {@code exp}/{@code frac} are the raw fields,
     * {@code expMax} the all-ones exponent and {@code quietBit} the fraction's top bit.
     */
    static long classify(boolean neg, long exp, long frac, long expMax, long quietBit) {
        final int bit;
        if (exp == expMax) {
            if (frac != 0) {
                return (frac & quietBit) != 0 ? 1 << 9 : 1 << 8;
            }
            bit = neg ? 0 : 7;
        } else if (exp != 0) {
            bit = neg ? 1 : 6;
        } else if (frac != 0) {
            bit = neg ? 2 : 5;
        } else {
            bit = neg ? 3 : 4;
        }
        return 1L << bit;
    }

    // ---- rounding ------------------------------------------------------------------------------------------------

    /** Rounds the exact value {@code (-1)^neg * sig * 2^(exp-62)} (sig's leading one at bit 62) to a double. */
    public static long roundD(boolean neg, int exp, long sig, int rm, FpStatus st) {
        return roundPack(neg, exp, sig, rm, st, 52, 1023);
    }

    /** As {@link #roundD}, to single precision; returns the 32 bits (not boxed). */
    public static int roundF(boolean neg, int exp, long sig, int rm, FpStatus st) {
        return (int) roundPack(neg, exp, sig, rm, st, 23, 127);
    }

    /**
     * The one rounding routine: {@code fracBits} 52/23 and {@code emax} 1023/127 select the format. Raises NX when
     * anything is discarded, UF when the result is also tiny (its magnitude, rounded to the format's precision
     * with an unbounded exponent, is below the smallest normal) and OF when the rounded exponent exceeds emax.
     */
    private static long roundPack(boolean neg, int exp, long sig, int rm, FpStatus st, int fracBits, int emax) {
        final int extra = 62 - fracBits;
        final long extraMask = (1L << extra) - 1;
        final long half = 1L << (extra - 1);
        final int emin = 1 - emax;
        final long sign = neg ? 1L << (fracBits == 52 ? 63 : 31) : 0;
        if (exp >= emin) {
            long m = sig >>> extra;
            final long rest = sig & extraMask;
            int e = exp;
            if (rest != 0) {
                st.flags |= NX;
                if (roundsUp(rm, neg, rest, half, m)) {
                    m++;
                    if (m >>> (fracBits + 1) != 0) {
                        m >>>= 1;
                        e++;
                    }
                }
            }
            if (e > emax) {
                return overflow(neg, rm, st, fracBits);
            }
            return sign | ((long) (e + emax) << fracBits) | (m & ((1L << fracBits) - 1));
        }
        // Below the normal range before rounding. Tiny after rounding unless rounding to full precision carries
        // the value up to the smallest normal, which needs exp == emin - 1 and an all-ones significand.
        boolean tiny = true;
        if (exp == emin - 1) {
            final long rest = sig & extraMask;
            if (rest != 0 && (sig >>> extra) == (1L << (fracBits + 1)) - 1 && roundsUp(rm, neg, rest, half, 1)) {
                tiny = false;
            }
        }
        final int shift = emin - exp;
        final long s = shift >= 63 ? 1 : (sig >>> shift) | ((sig & ((1L << shift) - 1)) != 0 ? 1 : 0);
        long m = s >>> extra;
        final long rest = s & extraMask;
        if (rest != 0) {
            st.flags |= tiny ? NX | UF : NX;
            if (roundsUp(rm, neg, rest, half, m)) {
                m++; // a carry into bit fracBits makes the exponent field 1: the smallest normal, correctly
            }
        }
        return sign | m;
    }

    /** Whether discarding {@code rest} (nonzero; {@code half} is its midpoint) increments the kept part m. */
    private static boolean roundsUp(int rm, boolean neg, long rest, long half, long m) {
        switch (rm) {
            case RNE: return rest > half || (rest == half && (m & 1) != 0);
            case RTZ: return false;
            case RDN: return neg;
            case RUP: return !neg;
            default: return rest >= half; // RMM
        }
    }

    private static long overflow(boolean neg, int rm, FpStatus st, int fracBits) {
        st.flags |= OF | NX;
        final boolean toInfinity = rm == RNE || rm == RMM || (rm == RDN && neg) || (rm == RUP && !neg);
        if (fracBits == 52) {
            return (neg ? SIGN_D : 0) | (toInfinity ? INF_D : INF_D - 1);
        }
        return (neg ? SIGN_F & 0xffffffffL : 0) | (toInfinity ? INF_F : INF_F - 1);
    }

    /**
     * Derives the result of a directed rounding from the round-to-nearest-even result {@code r} of an exact value
     * {@code x}, given {@code err}, a value with the sign of {@code x - r} (nonzero: x is not representable), and
     * whether x lies exactly halfway between r and its neighbour in that direction. r must be a normal number well
     * inside the exponent range, so the neighbour is neither infinite nor subnormal.
     */
    public static double directed(double r, double err, boolean tie, int rm) {
        switch (rm) {
            case RTZ: return (err > 0) == (r > 0) ? r : r > 0 ? Math.nextDown(r) : Math.nextUp(r);
            case RDN: return err < 0 ? Math.nextDown(r) : r;
            case RUP: return err > 0 ? Math.nextUp(r) : r;
            case RMM: return tie && (err > 0) == (r > 0) ? (r > 0 ? Math.nextUp(r) : Math.nextDown(r)) : r;
            default: return r;
        }
    }

    // ---- doubles as exact integers ---------------------------------------------------------------------------------

    /** Exponent of the leading one of a finite nonzero double (also for subnormals). */
    static int exponentD(long bits) {
        final int e = (int) (bits >>> 52) & 0x7ff;
        return e != 0 ? e - 1023 : -1011 - Long.numberOfLeadingZeros(bits & FRAC_D);
    }

    /** Significand of a finite nonzero double with its leading one moved to bit 62. */
    static long sig62D(long bits) {
        final long frac = bits & FRAC_D;
        if ((bits & INF_D) != 0) {
            return (frac | (1L << 52)) << 10;
        }
        return frac << (Long.numberOfLeadingZeros(frac) - 1);
    }

    /** The integer significand of a finite double: value = mantissa * 2^scale. */
    static long mantissaD(long bits) {
        final long frac = bits & FRAC_D;
        return (bits & INF_D) != 0 ? frac | (1L << 52) : frac;
    }

    /** The power of two that scales {@link #mantissaD} (-1074 for subnormals and zero). */
    static int scaleD(long bits) {
        return Math.max((int) (bits >>> 52) & 0x7ff, 1) - 1075;
    }

    /** A finite double as an exact integer multiple of {@code 2^base} ({@code base <= scaleD(bits)}). */
    static BigInteger exactD(long bits, int base) {
        final BigInteger m = BigInteger.valueOf(mantissaD(bits)).shiftLeft(scaleD(bits) - base);
        return bits < 0 ? m.negate() : m;
    }

    /** Rounds the exact nonzero value {@code x * 2^scale} to double precision. The slow path of the exact ops. */
    static long roundExactD(BigInteger x, int scale, int rm, FpStatus st) {
        final boolean neg = x.signum() < 0;
        final BigInteger mag = x.abs();
        final int bl = mag.bitLength();
        long sig;
        if (bl <= 63) {
            sig = mag.longValue() << (63 - bl);
        } else {
            final int sh = bl - 63;
            sig = mag.shiftRight(sh).longValue();
            if (mag.getLowestSetBit() < sh) {
                sig |= 1;
            }
        }
        return roundD(neg, bl - 1 + scale, sig, rm, st);
    }

    /**
     * Rounds {@code d + δ} to single precision, where δ is an infinitesimal with the sign of {@code err} (0: d is
     * the exact value). d must be finite, and nonzero when err is. Any double is accepted, subnormals included.
     */
    public static int toFloatBits(double d, double err, int rm, FpStatus st) {
        final long bits = Double.doubleToRawLongBits(d);
        final boolean neg = bits < 0;
        if ((bits & ~SIGN_D) == 0) {
            return (int) (bits >>> 32);
        }
        int exp = exponentD(bits);
        long sig = sig62D(bits);
        if (err != 0) {
            // sig's low bits are zero (a double has 53 significant bits), so the infinitesimal fits below them.
            if ((err > 0) != neg) {
                sig |= 1;
            } else if (sig == 1L << 62) {
                sig = Long.MAX_VALUE;
                exp--;
            } else {
                sig--;
            }
        }
        return roundF(neg, exp, sig, rm, st);
    }

    // ---- integers ----------------------------------------------------------------------------------------------------

    /** Rounds {@code v} to an integral value in mode rm (exact; infinities and NaN pass through). */
    public static double roundToIntegral(double v, int rm) {
        switch (rm) {
            case RNE: return Math.rint(v);
            case RTZ: return v < 0 ? Math.ceil(v) : Math.floor(v);
            case RDN: return Math.floor(v);
            case RUP: return Math.ceil(v);
            default: {
                final double t = v < 0 ? Math.ceil(v) : Math.floor(v);
                return Math.abs(v - t) >= 0.5 ? t + Math.signum(v) : t; // v - t is exact
            }
        }
    }

    /** fcvt.w.*: signed 32-bit result, sign-extended; NaN and +overflow give 2^31-1, -overflow -2^31 (NV). */
    public static long toInt32(double v, int rm, FpStatus st) {
        final double i = roundToIntegral(v, rm);
        if (Double.isNaN(i) || i > Integer.MAX_VALUE) {
            st.flags |= NV;
            return Integer.MAX_VALUE;
        }
        if (i < Integer.MIN_VALUE) {
            st.flags |= NV;
            return Integer.MIN_VALUE;
        }
        if (i != v) {
            st.flags |= NX;
        }
        return (long) i;
    }

    /** fcvt.wu.*: unsigned 32-bit result, sign-extended from bit 31; NaN and +overflow give 2^32-1, negative 0. */
    public static long toUInt32(double v, int rm, FpStatus st) {
        final double i = roundToIntegral(v, rm);
        if (Double.isNaN(i) || i > 0xffffffffL) {
            st.flags |= NV;
            return -1L;
        }
        if (i < 0) {
            st.flags |= NV;
            return 0;
        }
        if (i != v) {
            st.flags |= NX;
        }
        return (int) (long) i;
    }

    /** fcvt.l.*: NaN and +overflow give 2^63-1, -overflow -2^63 (NV). */
    public static long toInt64(double v, int rm, FpStatus st) {
        final double i = roundToIntegral(v, rm);
        if (Double.isNaN(i) || i >= 0x1p63) {
            st.flags |= NV;
            return Long.MAX_VALUE;
        }
        if (i < -0x1p63) {
            st.flags |= NV;
            return Long.MIN_VALUE;
        }
        if (i != v) {
            st.flags |= NX;
        }
        return (long) i;
    }

    /** fcvt.lu.*: NaN and +overflow give 2^64-1, negative 0 (NV). */
    public static long toUInt64(double v, int rm, FpStatus st) {
        final double i = roundToIntegral(v, rm);
        if (Double.isNaN(i) || i >= 0x1p64) {
            st.flags |= NV;
            return -1L;
        }
        if (i < 0) {
            st.flags |= NV;
            return 0;
        }
        if (i != v) {
            st.flags |= NX;
        }
        return i >= 0x1p63 ? (long) (i - 0x1p63) | Long.MIN_VALUE : (long) i;
    }

    /** Rounds a 64-bit integer (signed or unsigned) to double precision in mode rm. */
    public static long fromLongD(long v, boolean unsigned, int rm, FpStatus st) {
        if (v == 0) {
            return 0;
        }
        final boolean neg = !unsigned && v < 0;
        final long mag = neg ? -v : v; // Long.MIN_VALUE stays, read as the unsigned 2^63
        final int lz = Long.numberOfLeadingZeros(mag);
        final long sig = lz == 0 ? (mag >>> 1) | (mag & 1) : mag << (lz - 1);
        return roundD(neg, 63 - lz, sig, rm, st);
    }

    /** Rounds a 64-bit integer (signed or unsigned) to single precision in mode rm; returns the 32 bits. */
    public static int fromLongF(long v, boolean unsigned, int rm, FpStatus st) {
        if (v == 0) {
            return 0;
        }
        final boolean neg = !unsigned && v < 0;
        final long mag = neg ? -v : v;
        final int lz = Long.numberOfLeadingZeros(mag);
        final long sig = lz == 0 ? (mag >>> 1) | (mag & 1) : mag << (lz - 1);
        return roundF(neg, 63 - lz, sig, rm, st);
    }
}
