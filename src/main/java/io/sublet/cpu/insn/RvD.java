package io.sublet.cpu.insn;

import static io.sublet.cpu.insn.FpFlags.DZ;
import static io.sublet.cpu.insn.FpFlags.NV;
import static io.sublet.cpu.insn.FpFlags.NX;
import static io.sublet.cpu.insn.FpFlags.RDN;
import static io.sublet.cpu.insn.FpFlags.RMM;
import static io.sublet.cpu.insn.FpFlags.RNE;

import java.math.BigInteger;

/**
 * Pure semantics of the D extension on raw register bits: every result is exactly the IEEE 754 result in the
 * given rounding mode (0..4, already resolved from frm), with the exception flags ORed into {@code st}, and every
 * NaN result is the canonical NaN.
 *
 * <p>The arithmetic runs in Java {@code double} (round to nearest even) and then checks, with an error-free
 * transformation ({@code TwoSum}, {@code Math.fma} for products, quotients and roots, Boldo and Muller's ErrFma
 * for the fused multiply-add), whether the result was exact; the error's sign turns the nearest result into a
 * directed one. Once NX has been raised, round-to-nearest needs no check at all. Results near the edges of the
 * exponent range, where the transformations are no longer exact, and special operands take the exact slow path.
 */
public final class RvD {
    /** Below this magnitude a product's or quotient's error term may underflow: take the slow path. */
    private static final double SAFE_MIN = 0x1p-968;
    /** The fused multiply-add's fast path keeps every intermediate well inside the exponent range. */
    private static final double FMA_MIN = 0x1p-900;
    private static final double FMA_MAX = 0x1p1000;
    private static final long SIGN = Long.MIN_VALUE;

    private RvD() { }

    private static double d(long bits) {
        return Double.longBitsToDouble(bits);
    }

    private static long bits(double v) {
        return Double.doubleToRawLongBits(v);
    }

    private static long nan2(long a, long b, FpStatus st) {
        if (Fp.isSignalingD(a) || Fp.isSignalingD(b)) {
            st.flags |= NV;
        }
        return Fp.CANONICAL_NAN_D;
    }

    private static long invalid(FpStatus st) {
        st.flags |= NV;
        return Fp.CANONICAL_NAN_D;
    }

    /**
     * The steady-state shortcut of every operation: rounding to nearest with NX already raised needs no exactness
     * check, and a result above the smallest normal and finite raises neither UF nor OF. Kept tiny so that it
     * inlines into the caller; everything else is in the {@code *Checked} methods.
     */
    private static boolean nearestAndInexact(int rm, FpStatus st, double r) {
        final double ar = Math.abs(r);
        return rm == RNE && (st.flags & NX) != 0 && ar > Double.MIN_NORMAL && ar <= Double.MAX_VALUE;
    }

    // ---- add, subtract ---------------------------------------------------------------------------------------------

    public static long fadd(long a, long b, int rm, FpStatus st) {
        final double r = d(a) + d(b);
        return nearestAndInexact(rm, st, r) ? bits(r) : addChecked(a, b, r, rm, st);
    }

    private static long addChecked(long a, long b, double r, int rm, FpStatus st) {
        final double x = d(a);
        final double y = d(b);
        final double ar = Math.abs(r);
        // Sums below the smallest normal are exact, so a normal r leaves room for a one-ulp correction.
        if (ar >= Double.MIN_NORMAL && ar < Double.MAX_VALUE) {
            // TwoSum's intermediates may overflow when an operand is near MAX: those take the exact path
            if (Math.abs(x) < 0x1p1023 && Math.abs(y) < 0x1p1023) {
                final double t = r - x;
                final double err = (x - (r - t)) + (y - t); // TwoSum: x + y == r + err exactly
                if (err != 0) {
                    st.flags |= NX;
                    if (rm != RNE) {
                        return bits(Fp.directed(r, err, rm == RMM && Math.abs(err) == Math.ulp(r) * 0.5, rm));
                    }
                }
                return bits(r);
            }
        }
        return addSlow(a, b, rm, st);
    }

    public static long fsub(long a, long b, int rm, FpStatus st) {
        return fadd(a, b ^ SIGN, rm, st);
    }

    private static long addSlow(long a, long b, int rm, FpStatus st) {
        if (Fp.isNaND(a) || Fp.isNaND(b)) {
            return nan2(a, b, st);
        }
        final double x = d(a);
        final double y = d(b);
        final double r = x + y;
        if (Double.isNaN(r)) {
            return invalid(st); // inf - inf
        }
        if (Double.isInfinite(x) || Double.isInfinite(y)) {
            return bits(r);
        }
        if (r == 0) {
            // exact zero: x == -y, or both zero; -0 when rounding down unless both are +0
            return bits(rm == RDN ? -((-x) + (-y)) : r);
        }
        if (Math.abs(r) < Double.MIN_NORMAL) {
            return bits(r); // exact
        }
        // near the overflow threshold
        final BigInteger sum = Fp.exactD(a, -1074).add(Fp.exactD(b, -1074));
        return Fp.roundExactD(sum, -1074, rm, st);
    }

    // ---- multiply, divide, square root -------------------------------------------------------------------------------

    public static long fmul(long a, long b, int rm, FpStatus st) {
        final double r = d(a) * d(b);
        return nearestAndInexact(rm, st, r) ? bits(r) : mulChecked(a, b, r, rm, st);
    }

    private static long mulChecked(long a, long b, double r, int rm, FpStatus st) {
        final double x = d(a);
        final double y = d(b);
        final double ar = Math.abs(r);
        if (ar >= SAFE_MIN && ar < Double.MAX_VALUE) {
            final double err = Math.fma(x, y, -r); // exact above SAFE_MIN
            if (err != 0) {
                st.flags |= NX;
                if (rm != RNE) {
                    return bits(Fp.directed(r, err, rm == RMM && Math.abs(err) == Math.ulp(r) * 0.5, rm));
                }
            }
            return bits(r);
        }
        return mulSlow(a, b, rm, st);
    }

    private static long mulSlow(long a, long b, int rm, FpStatus st) {
        if (Fp.isNaND(a) || Fp.isNaND(b)) {
            return nan2(a, b, st);
        }
        final double x = d(a);
        final double y = d(b);
        final double r = x * y;
        if (Double.isNaN(r)) {
            return invalid(st); // inf * 0
        }
        if (Double.isInfinite(x) || Double.isInfinite(y) || x == 0 || y == 0) {
            return bits(r); // exact infinity or zero
        }
        final BigInteger p = BigInteger.valueOf(Fp.mantissaD(a)).multiply(BigInteger.valueOf(Fp.mantissaD(b)));
        return Fp.roundExactD((a ^ b) < 0 ? p.negate() : p, Fp.scaleD(a) + Fp.scaleD(b), rm, st);
    }

    public static long fdiv(long a, long b, int rm, FpStatus st) {
        final double q = d(a) / d(b);
        return nearestAndInexact(rm, st, q) ? bits(q) : divChecked(a, b, q, rm, st);
    }

    private static long divChecked(long a, long b, double q, int rm, FpStatus st) {
        final double x = d(a);
        final double y = d(b);
        final double aq = Math.abs(q);
        if (aq >= SAFE_MIN && aq < Double.MAX_VALUE) {
            if (Math.abs(x) >= SAFE_MIN) {
                final double rem = Math.fma(-q, y, x); // x - q*y, exact; x/y - q has the sign of rem/y
                if (rem != 0) {
                    st.flags |= NX;
                    if (rm != RNE) {
                        // a quotient is never halfway between two normal doubles (only subnormals can tie)
                        return bits(Fp.directed(q, y > 0 ? rem : -rem, false, rm));
                    }
                }
                return bits(q);
            }
        }
        return divSlow(a, b, rm, st);
    }

    private static long divSlow(long a, long b, int rm, FpStatus st) {
        if (Fp.isNaND(a) || Fp.isNaND(b)) {
            return nan2(a, b, st);
        }
        final double x = d(a);
        final double y = d(b);
        final double q = x / y;
        if (Double.isNaN(q)) {
            return invalid(st); // 0/0, inf/inf
        }
        if (Double.isInfinite(x) || Double.isInfinite(y) || x == 0) {
            return bits(q); // exact infinity or zero
        }
        if (y == 0) {
            st.flags |= DZ;
            return bits(q);
        }
        final BigInteger[] qr = BigInteger.valueOf(Fp.mantissaD(a)).shiftLeft(128)
                .divideAndRemainder(BigInteger.valueOf(Fp.mantissaD(b)));
        BigInteger quotient = qr[0];
        int scale = Fp.scaleD(a) - Fp.scaleD(b) - 128;
        if (qr[1].signum() != 0) {
            quotient = quotient.shiftLeft(1).setBit(0); // sticky: strictly between two multiples
            scale--;
        }
        return Fp.roundExactD((a ^ b) < 0 ? quotient.negate() : quotient, scale, rm, st);
    }

    public static long fsqrt(long a, int rm, FpStatus st) {
        final double r = Math.sqrt(d(a));
        return nearestAndInexact(rm, st, r) ? bits(r) : sqrtChecked(a, rm, st);
    }

    private static long sqrtChecked(long a, int rm, FpStatus st) {
        final double x = d(a);
        if (x > 0 && x < Double.POSITIVE_INFINITY) {
            if (x >= SAFE_MIN) {
                return bits(sqrtPositive(x, rm, st));
            }
            // scale tiny operands (exactly) into the range where the remainder is exact; the root stays normal
            return bits(sqrtPositive(x * 0x1p128, rm, st) * 0x1p-64);
        }
        if (Fp.isNaND(a)) {
            return nan2(a, a, st);
        }
        if (x == 0 || x == Double.POSITIVE_INFINITY) {
            return a; // sqrt(+-0) = +-0, sqrt(+inf) = +inf
        }
        return invalid(st); // negative
    }

    private static double sqrtPositive(double x, int rm, FpStatus st) {
        final double r = Math.sqrt(x);
        final double rem = Math.fma(-r, r, x); // x - r*r: sqrt(x) - r has its sign
        if (rem != 0) {
            st.flags |= NX;
            if (rm != RNE) {
                return Fp.directed(r, rem, false, rm); // roots are never ties
            }
        }
        return r;
    }

    // ---- fused multiply-add --------------------------------------------------------------------------------------------

    /** fmadd.d: a*b + c with one rounding. */
    public static long fmadd(long a, long b, long c, int rm, FpStatus st) {
        final double r = Math.fma(d(a), d(b), d(c));
        return nearestAndInexact(rm, st, r) ? bits(r) : fmaChecked(a, b, c, r, rm, st);
    }

    private static long fmaChecked(long a, long b, long c, double r, int rm, FpStatus st) {
        final double x = d(a);
        final double y = d(b);
        final double z = d(c);
        final double ar = Math.abs(r);
        if (ar >= FMA_MIN && ar < FMA_MAX) {
            final double p = x * y;
            final double ap = Math.abs(p);
            final double az = Math.abs(z);
            if (ap >= FMA_MIN && ap < FMA_MAX && (z == 0 || (az >= FMA_MIN && az < FMA_MAX))) {
                // ErrFma (Boldo & Muller 2011): x*y + z == r + r2 + r3 exactly, |r3| <= ulp(r2)/2.
                final double u2 = Math.fma(x, y, -p);
                final double a1 = z + u2;
                double t = a1 - z;
                final double a2 = (z - (a1 - t)) + (u2 - t);
                final double b1 = p + a1;
                t = b1 - p;
                final double b2 = (p - (b1 - t)) + (a1 - t);
                final double g = (b1 - r) + b2;
                final double r2 = g + a2;
                if (r2 != 0) {
                    st.flags |= NX;
                    if (rm != RNE) {
                        final boolean tie = rm == RMM && a2 - (r2 - g) == 0 && Math.abs(r2) == Math.ulp(r) * 0.5;
                        return bits(Fp.directed(r, r2, tie, rm));
                    }
                }
                return bits(r);
            }
        }
        return fmaSlow(a, b, c, rm, st);
    }

    /** fmsub.d: a*b - c. */
    public static long fmsub(long a, long b, long c, int rm, FpStatus st) {
        return fmadd(a, b, c ^ SIGN, rm, st);
    }

    /** fnmsub.d: -(a*b) + c. */
    public static long fnmsub(long a, long b, long c, int rm, FpStatus st) {
        return fmadd(a ^ SIGN, b, c, rm, st);
    }

    /** fnmadd.d: -(a*b) - c. */
    public static long fnmadd(long a, long b, long c, int rm, FpStatus st) {
        return fmadd(a ^ SIGN, b, c ^ SIGN, rm, st);
    }

    private static long fmaSlow(long a, long b, long c, int rm, FpStatus st) {
        final double x = d(a);
        final double y = d(b);
        final double z = d(c);
        final boolean infTimesZero = (Double.isInfinite(x) && y == 0) || (x == 0 && Double.isInfinite(y));
        if (Fp.isNaND(a) || Fp.isNaND(b) || Fp.isNaND(c)) {
            // RISC-V: inf * 0 is invalid even when the addend is a quiet NaN
            if (infTimesZero || Fp.isSignalingD(a) || Fp.isSignalingD(b) || Fp.isSignalingD(c)) {
                st.flags |= NV;
            }
            return Fp.CANONICAL_NAN_D;
        }
        if (infTimesZero) {
            return invalid(st);
        }
        final boolean productNegative = (a ^ b) < 0;
        if (Double.isInfinite(x) || Double.isInfinite(y)) {
            if (Double.isInfinite(z) && (c < 0) != productNegative) {
                return invalid(st); // inf - inf
            }
            return productNegative ? Fp.INF_D | SIGN : Fp.INF_D;
        }
        if (Double.isInfinite(z)) {
            return c;
        }
        if (x == 0 || y == 0) {
            if (z != 0) {
                return c;
            }
            // (+-0) + (+-0): the common sign, else +0 (-0 when rounding down)
            return (c < 0) == productNegative ? c : rm == RDN ? SIGN : 0;
        }
        final BigInteger product = BigInteger.valueOf(Fp.mantissaD(a)).multiply(BigInteger.valueOf(Fp.mantissaD(b)))
                .shiftLeft(Fp.scaleD(a) + Fp.scaleD(b) + 2148);
        final BigInteger sum = (productNegative ? product.negate() : product).add(Fp.exactD(c, -2148));
        if (sum.signum() == 0) {
            return rm == RDN ? SIGN : 0; // exact cancellation of nonzero terms
        }
        return Fp.roundExactD(sum, -2148, rm, st);
    }

    // ---- sign injection, min/max, compare, classify -------------------------------------------------------------------

    public static long fsgnj(long a, long b) {
        return (a & ~SIGN) | (b & SIGN);
    }

    public static long fsgnjn(long a, long b) {
        return (a & ~SIGN) | (~b & SIGN);
    }

    public static long fsgnjx(long a, long b) {
        return a ^ (b & SIGN);
    }

    /** fmin.d (2.2): -0 < +0; one NaN operand gives the other; a signalling NaN raises NV. */
    public static long fmin(long a, long b, FpStatus st) {
        return minMax(a, b, true, st);
    }

    /** fmax.d (2.2): -0 < +0; one NaN operand gives the other; a signalling NaN raises NV. */
    public static long fmax(long a, long b, FpStatus st) {
        return minMax(a, b, false, st);
    }

    private static long minMax(long a, long b, boolean min, FpStatus st) {
        final boolean aNaN = Fp.isNaND(a);
        final boolean bNaN = Fp.isNaND(b);
        if (aNaN || bNaN) {
            if (Fp.isSignalingD(a) || Fp.isSignalingD(b)) {
                st.flags |= NV;
            }
            return aNaN && bNaN ? Fp.CANONICAL_NAN_D : aNaN ? b : a;
        }
        final double x = d(a);
        final double y = d(b);
        if (x != y) {
            return (x < y) == min ? a : b;
        }
        return min ? a | b : a & b; // equal: only the signs of zeros can differ
    }

    /** feq.d: quiet, NV only for a signalling NaN. Returns 1 or 0. */
    public static long feq(long a, long b, FpStatus st) {
        if (Fp.isNaND(a) || Fp.isNaND(b)) {
            if (Fp.isSignalingD(a) || Fp.isSignalingD(b)) {
                st.flags |= NV;
            }
            return 0;
        }
        return d(a) == d(b) ? 1 : 0;
    }

    /** flt.d: signalling, NV for any NaN. */
    public static long flt(long a, long b, FpStatus st) {
        if (Fp.isNaND(a) || Fp.isNaND(b)) {
            st.flags |= NV;
            return 0;
        }
        return d(a) < d(b) ? 1 : 0;
    }

    /** fle.d: signalling, NV for any NaN. */
    public static long fle(long a, long b, FpStatus st) {
        if (Fp.isNaND(a) || Fp.isNaND(b)) {
            st.flags |= NV;
            return 0;
        }
        return d(a) <= d(b) ? 1 : 0;
    }

    public static long fclass(long a) {
        return Fp.classify(a < 0, (a >>> 52) & 0x7ff, a & Fp.FRAC_D, 0x7ff, 1L << 51);
    }

    // ---- conversions ---------------------------------------------------------------------------------------------------

    public static long fcvtWD(long a, int rm, FpStatus st) {
        return Fp.toInt32(d(a), rm, st);
    }

    public static long fcvtWuD(long a, int rm, FpStatus st) {
        return Fp.toUInt32(d(a), rm, st);
    }

    public static long fcvtLD(long a, int rm, FpStatus st) {
        return Fp.toInt64(d(a), rm, st);
    }

    public static long fcvtLuD(long a, int rm, FpStatus st) {
        return Fp.toUInt64(d(a), rm, st);
    }

    /** fcvt.d.w: exact. */
    public static long fcvtDW(long x) {
        return bits((int) x);
    }

    /** fcvt.d.wu: exact. */
    public static long fcvtDWu(long x) {
        return bits(x & 0xffffffffL);
    }

    public static long fcvtDL(long x, int rm, FpStatus st) {
        if (x >= -(1L << 53) && x <= 1L << 53) {
            return bits(x);
        }
        return Fp.fromLongD(x, false, rm, st);
    }

    public static long fcvtDLu(long x, int rm, FpStatus st) {
        if (x >= 0 && x <= 1L << 53) {
            return bits(x);
        }
        return Fp.fromLongD(x, true, rm, st);
    }

    /** fcvt.s.d: rounds to single precision; returns the result NaN-boxed. */
    public static long fcvtSD(long a, int rm, FpStatus st) {
        final double x = d(a);
        if (rm == RNE) {
            final float f = (float) x;
            final float af = Math.abs(f);
            if (af > Float.MIN_NORMAL && af <= Float.MAX_VALUE) { // MIN_NORMAL itself may be rounded up from tiny
                if (f != x) {
                    st.flags |= NX;
                }
                return Fp.box(Float.floatToRawIntBits(f));
            }
        }
        if (Fp.isNaND(a)) {
            nan2(a, a, st);
            return Fp.CANONICAL_NAN_F_BOXED;
        }
        if (Double.isInfinite(x)) {
            return Fp.box(Float.floatToRawIntBits((float) x));
        }
        return Fp.box(Fp.toFloatBits(x, 0, rm, st));
    }

    /** fcvt.d.s: exact; the source is a NaN-boxed single. */
    public static long fcvtDS(long a, FpStatus st) {
        final int f = Fp.unbox(a);
        if (Fp.isNaNF(f)) {
            if (Fp.isSignalingF(f)) {
                st.flags |= NV;
            }
            return Fp.CANONICAL_NAN_D;
        }
        return bits(Float.intBitsToFloat(f));
    }
}
