package io.sublet.cpu.insn;

import static io.sublet.cpu.insn.FpFlags.DZ;
import static io.sublet.cpu.insn.FpFlags.NV;
import static io.sublet.cpu.insn.FpFlags.NX;
import static io.sublet.cpu.insn.FpFlags.RDN;
import static io.sublet.cpu.insn.FpFlags.RNE;

/**
 * Pure semantics of the F extension on 64-bit register bits. Inputs are NaN-boxed singles (an improperly boxed
 * input is the canonical NaN); results are NaN-boxed; every NaN result is the canonical NaN; flags are ORed into
 * {@code st}; the rounding mode (0..4) is already resolved.
 *
 * <p>Single-precision operands are exact in {@code double}, so each operation computes in double either the exact
 * result (products) or the nearest double plus the sign of its error (TwoSum for sums, {@code Math.fma}
 * remainders for quotients and roots), and {@link Fp#toFloatBits} rounds that to single precision in any mode.
 * For round-to-nearest the double result converts directly: double rounding is innocuous for +, -, *, / and
 * sqrt because 53 >= 2*24 + 2.
 */
public final class RvF {
    private RvF() { }

    private static double v(int bits) {
        return Float.intBitsToFloat(bits);
    }

    private static long nan2(int a, int b, FpStatus st) {
        if (Fp.isSignalingF(a) || Fp.isSignalingF(b)) {
            st.flags |= NV;
        }
        return Fp.CANONICAL_NAN_F_BOXED;
    }

    private static long invalid(FpStatus st) {
        st.flags |= NV;
        return Fp.CANONICAL_NAN_F_BOXED;
    }

    private static long boxed(double exact) {
        return Fp.box(Float.floatToRawIntBits((float) exact));
    }

    /**
     * The steady-state shortcut: with round to nearest and NX already raised, the double result converts directly
     * when the float is normal (above the smallest normal, so no UF) and finite (no OF). 0 when it does not apply.
     * Kept tiny so that it inlines into the caller; the {@code *Checked} methods do the rest.
     */
    private static long nearestAndInexact(int rm, FpStatus st, double d) {
        if (rm != RNE || (st.flags & NX) == 0) {
            return 0;
        }
        final float f = (float) d;
        final float af = Math.abs(f);
        return af > Float.MIN_NORMAL && af <= Float.MAX_VALUE ? Fp.box(Float.floatToRawIntBits(f)) : 0;
    }

    /**
     * Round-to-nearest fast path: the float nearest to d when it is above the smallest normal, else 0 (no valid
     * boxed result is 0). A result of exactly the smallest normal may have been rounded up from a tiny value, which
     * must raise UF, so it takes the exact path.
     */
    private static long nearestNormal(double d, boolean exact, FpStatus st) {
        final float f = (float) d;
        final float af = Math.abs(f);
        if (af > Float.MIN_NORMAL && af <= Float.MAX_VALUE) {
            if (!exact || f != d) {
                st.flags |= NX;
            }
            return Fp.box(Float.floatToRawIntBits(f));
        }
        return 0;
    }

    // ---- arithmetic --------------------------------------------------------------------------------------------------

    public static long fadd(long a, long b, int rm, FpStatus st) {
        final long r = nearestAndInexact(rm, st, v(Fp.unbox(a)) + v(Fp.unbox(b)));
        return r != 0 ? r : addChecked(a, b, rm, st);
    }

    private static long addChecked(long a, long b, int rm, FpStatus st) {
        final int fa = Fp.unbox(a);
        final int fb = Fp.unbox(b);
        final double x = v(fa);
        final double y = v(fb);
        final double s = x + y;
        final double t = s - x;
        final double err = (x - (s - t)) + (y - t); // TwoSum: x + y == s + err exactly
        if (rm == RNE) {
            final long r = nearestNormal(s, err == 0, st);
            if (r != 0) {
                return r;
            }
        }
        if (Fp.isNaNF(fa) || Fp.isNaNF(fb)) {
            return nan2(fa, fb, st);
        }
        if (Double.isNaN(s)) {
            return invalid(st); // inf - inf
        }
        if (Double.isInfinite(s)) {
            return boxed(s); // single operands cannot overflow a double: an infinite operand
        }
        if (s == 0) {
            return boxed(rm == RDN ? -((-x) + (-y)) : s); // exact zero: -0 when rounding down unless both +0
        }
        return Fp.box(Fp.toFloatBits(s, err, rm, st));
    }

    public static long fsub(long a, long b, int rm, FpStatus st) {
        return fadd(a, negate(b), rm, st);
    }

    /** Flips the sign of a boxed single, keeping an improperly boxed value improperly boxed. */
    private static long negate(long a) {
        return a ^ 0x80000000L;
    }

    public static long fmul(long a, long b, int rm, FpStatus st) {
        final long r = nearestAndInexact(rm, st, v(Fp.unbox(a)) * v(Fp.unbox(b)));
        return r != 0 ? r : mulChecked(a, b, rm, st);
    }

    private static long mulChecked(long a, long b, int rm, FpStatus st) {
        final int fa = Fp.unbox(a);
        final int fb = Fp.unbox(b);
        final double p = v(fa) * v(fb); // exact: 24 x 24 bits
        if (rm == RNE) {
            final long r = nearestNormal(p, true, st);
            if (r != 0) {
                return r;
            }
        }
        if (Fp.isNaNF(fa) || Fp.isNaNF(fb)) {
            return nan2(fa, fb, st);
        }
        if (Double.isNaN(p)) {
            return invalid(st); // inf * 0
        }
        if (Double.isInfinite(p) || p == 0) {
            return boxed(p);
        }
        return Fp.box(Fp.toFloatBits(p, 0, rm, st));
    }

    public static long fdiv(long a, long b, int rm, FpStatus st) {
        final long r = nearestAndInexact(rm, st, v(Fp.unbox(a)) / v(Fp.unbox(b)));
        return r != 0 ? r : divChecked(a, b, rm, st);
    }

    private static long divChecked(long a, long b, int rm, FpStatus st) {
        final int fa = Fp.unbox(a);
        final int fb = Fp.unbox(b);
        final double x = v(fa);
        final double y = v(fb);
        final double q = x / y;
        if (rm == RNE) {
            final long r = nearestNormal(q, Math.fma(-q, y, x) == 0, st);
            if (r != 0) {
                return r;
            }
        }
        if (Fp.isNaNF(fa) || Fp.isNaNF(fb)) {
            return nan2(fa, fb, st);
        }
        if (Double.isNaN(q)) {
            return invalid(st); // 0/0, inf/inf
        }
        if (Double.isInfinite(q)) {
            if (y == 0 && !Double.isInfinite(x)) {
                st.flags |= DZ;
            }
            return boxed(q);
        }
        if (q == 0) {
            return boxed(q); // 0/y, x/inf: exact
        }
        final double rem = Math.fma(-q, y, x);
        return Fp.box(Fp.toFloatBits(q, y > 0 ? rem : -rem, rm, st));
    }

    public static long fsqrt(long a, int rm, FpStatus st) {
        final long r = nearestAndInexact(rm, st, Math.sqrt(v(Fp.unbox(a))));
        return r != 0 ? r : sqrtChecked(a, rm, st);
    }

    private static long sqrtChecked(long a, int rm, FpStatus st) {
        final int fa = Fp.unbox(a);
        final double x = v(fa);
        if (x > 0 && x < Double.POSITIVE_INFINITY) {
            final double r = Math.sqrt(x);
            final double rem = Math.fma(-r, r, x);
            if (rm == RNE) {
                final long res = nearestNormal(r, rem == 0, st); // the root of a positive single is normal
                if (res != 0) {
                    return res;
                }
            }
            return Fp.box(Fp.toFloatBits(r, rem, rm, st));
        }
        if (Fp.isNaNF(fa)) {
            return nan2(fa, fa, st);
        }
        if (x == 0 || x == Double.POSITIVE_INFINITY) {
            return Fp.box(fa);
        }
        return invalid(st);
    }

    /** fmadd.s: a*b + c with one rounding. */
    public static long fmadd(long a, long b, long c, int rm, FpStatus st) {
        final double s = v(Fp.unbox(a)) * v(Fp.unbox(b)) + v(Fp.unbox(c)); // the product is exact
        // s may be inexact: it converts correctly unless it is exactly halfway between two floats
        final long r = (Double.doubleToRawLongBits(s) & 0x1fffffffL) != 0x10000000L ? nearestAndInexact(rm, st, s) : 0;
        return r != 0 ? r : fmaChecked(a, b, c, rm, st);
    }

    private static long fmaChecked(long a, long b, long c, int rm, FpStatus st) {
        final int fa = Fp.unbox(a);
        final int fb = Fp.unbox(b);
        final int fc = Fp.unbox(c);
        final double z = v(fc);
        final double p = v(fa) * v(fb); // exact
        final double s = p + z;
        final double t = s - p;
        final double err = (p - (s - t)) + (z - t);
        if (rm == RNE && err == 0) {
            final long r = nearestNormal(s, true, st); // s is the exact value: one rounding
            if (r != 0) {
                return r;
            }
        }
        if (Fp.isNaNF(fa) || Fp.isNaNF(fb) || Fp.isNaNF(fc)) {
            final boolean infTimesZero = Double.isInfinite(v(fa)) && v(fb) == 0 || v(fa) == 0 && Double.isInfinite(v(fb));
            if (infTimesZero || Fp.isSignalingF(fa) || Fp.isSignalingF(fb) || Fp.isSignalingF(fc)) {
                st.flags |= NV; // inf * 0 is invalid even with a quiet NaN addend
            }
            return Fp.CANONICAL_NAN_F_BOXED;
        }
        if (Double.isNaN(s)) {
            return invalid(st); // inf * 0, or inf - inf
        }
        if (Double.isInfinite(s)) {
            return boxed(s);
        }
        if (s == 0) {
            return boxed(rm == RDN ? -((-p) + (-z)) : s);
        }
        return Fp.box(Fp.toFloatBits(s, err, rm, st));
    }

    /** fmsub.s: a*b - c. */
    public static long fmsub(long a, long b, long c, int rm, FpStatus st) {
        return fmadd(a, b, negate(c), rm, st);
    }

    /** fnmsub.s: -(a*b) + c. */
    public static long fnmsub(long a, long b, long c, int rm, FpStatus st) {
        return fmadd(negate(a), b, c, rm, st);
    }

    /** fnmadd.s: -(a*b) - c. */
    public static long fnmadd(long a, long b, long c, int rm, FpStatus st) {
        return fmadd(negate(a), b, negate(c), rm, st);
    }

    // ---- sign injection, min/max, compare, classify, moves -------------------------------------------------------------

    public static long fsgnj(long a, long b) {
        return Fp.box((Fp.unbox(a) & 0x7fffffff) | (Fp.unbox(b) & 0x80000000));
    }

    public static long fsgnjn(long a, long b) {
        return Fp.box((Fp.unbox(a) & 0x7fffffff) | (~Fp.unbox(b) & 0x80000000));
    }

    public static long fsgnjx(long a, long b) {
        return Fp.box(Fp.unbox(a) ^ (Fp.unbox(b) & 0x80000000));
    }

    public static long fmin(long a, long b, FpStatus st) {
        return minMax(Fp.unbox(a), Fp.unbox(b), true, st);
    }

    public static long fmax(long a, long b, FpStatus st) {
        return minMax(Fp.unbox(a), Fp.unbox(b), false, st);
    }

    private static long minMax(int a, int b, boolean min, FpStatus st) {
        final boolean aNaN = Fp.isNaNF(a);
        final boolean bNaN = Fp.isNaNF(b);
        if (aNaN || bNaN) {
            if (Fp.isSignalingF(a) || Fp.isSignalingF(b)) {
                st.flags |= NV;
            }
            return aNaN && bNaN ? Fp.CANONICAL_NAN_F_BOXED : Fp.box(aNaN ? b : a);
        }
        final float x = Float.intBitsToFloat(a);
        final float y = Float.intBitsToFloat(b);
        if (x != y) {
            return Fp.box((x < y) == min ? a : b);
        }
        return Fp.box(min ? a | b : a & b);
    }

    public static long feq(long a, long b, FpStatus st) {
        final int fa = Fp.unbox(a);
        final int fb = Fp.unbox(b);
        if (Fp.isNaNF(fa) || Fp.isNaNF(fb)) {
            if (Fp.isSignalingF(fa) || Fp.isSignalingF(fb)) {
                st.flags |= NV;
            }
            return 0;
        }
        return Float.intBitsToFloat(fa) == Float.intBitsToFloat(fb) ? 1 : 0;
    }

    public static long flt(long a, long b, FpStatus st) {
        final int fa = Fp.unbox(a);
        final int fb = Fp.unbox(b);
        if (Fp.isNaNF(fa) || Fp.isNaNF(fb)) {
            st.flags |= NV;
            return 0;
        }
        return Float.intBitsToFloat(fa) < Float.intBitsToFloat(fb) ? 1 : 0;
    }

    public static long fle(long a, long b, FpStatus st) {
        final int fa = Fp.unbox(a);
        final int fb = Fp.unbox(b);
        if (Fp.isNaNF(fa) || Fp.isNaNF(fb)) {
            st.flags |= NV;
            return 0;
        }
        return Float.intBitsToFloat(fa) <= Float.intBitsToFloat(fb) ? 1 : 0;
    }

    public static long fclass(long a) {
        final int f = Fp.unbox(a);
        return Fp.classify(f < 0, (f >>> 23) & 0xff, f & 0x7fffff, 0xff, 1 << 22);
    }

    /** fmv.x.w: the low 32 bits, sign-extended (no unboxing). */
    public static long fmvXW(long a) {
        return (int) a;
    }

    /** fmv.w.x: the low 32 bits of x, NaN-boxed. */
    public static long fmvWX(long x) {
        return Fp.box((int) x);
    }

    // ---- conversions ---------------------------------------------------------------------------------------------------

    public static long fcvtWS(long a, int rm, FpStatus st) {
        return Fp.toInt32(v(Fp.unbox(a)), rm, st);
    }

    public static long fcvtWuS(long a, int rm, FpStatus st) {
        return Fp.toUInt32(v(Fp.unbox(a)), rm, st);
    }

    public static long fcvtLS(long a, int rm, FpStatus st) {
        return Fp.toInt64(v(Fp.unbox(a)), rm, st);
    }

    public static long fcvtLuS(long a, int rm, FpStatus st) {
        return Fp.toUInt64(v(Fp.unbox(a)), rm, st);
    }

    public static long fcvtSW(long x, int rm, FpStatus st) {
        return fromLong((int) x, false, rm, st);
    }

    public static long fcvtSWu(long x, int rm, FpStatus st) {
        return fromLong(x & 0xffffffffL, false, rm, st);
    }

    public static long fcvtSL(long x, int rm, FpStatus st) {
        return fromLong(x, false, rm, st);
    }

    public static long fcvtSLu(long x, int rm, FpStatus st) {
        return fromLong(x, true, rm, st);
    }

    private static long fromLong(long x, boolean unsigned, int rm, FpStatus st) {
        if (x >= (unsigned ? 0 : -(1 << 24)) && x <= 1 << 24) {
            return Fp.box(Float.floatToRawIntBits((float) x)); // exact
        }
        return Fp.box(Fp.fromLongF(x, unsigned, rm, st));
    }
}
