/*
 * fpref.c - the host's IEEE 754 arithmetic as a reference for Sublet's RISC-V F/D semantics
 * (io.sublet.cpu.insn.FpReferenceTest compiles this with the host gcc and runs it).
 *
 * x86-64 SSE/AVX arithmetic is IEEE 754 in all four directed/nearest modes, raises the five
 * standard flags and, like RISC-V, detects tininess after rounding. Where RISC-V differs,
 * this program applies the RISC-V rule itself, each place marked "RISC-V:":
 *   - NaN results: x86 propagates payloads; every NaN result here is the canonical NaN.
 *   - Out-of-range and NaN conversions to integers: x86 returns the "integer indefinite"
 *     value; RISC-V saturates (the flags, NV only, agree).
 *   - 0 * inf + qNaN in a fused multiply-add: RISC-V requires NV.
 *   - RMM (round to nearest, ties to max magnitude) has no x86 mode. It equals RNE except
 *     when RNE rounded toward zero and the exact value is exactly halfway: then it is the
 *     result of rounding away from zero (RUP/RDN). Halfway is decided with exact __float128
 *     arithmetic (TwoSum shows when a quad sum is exact; quotients and roots are checked by
 *     multiplying back). The flags equal RNE's.
 *
 * Protocol (binary, little-endian, on stdin/stdout):
 *   in:  32-byte records  { u8 op; u8 rm; u8 pad[6]; u64 a, b, c; }
 *   out: 16-byte records  { u64 result; u8 flags; u8 pad[7]; }
 * Single-precision operands and results are the low 32 bits (results zero-extended);
 * integer results are the 64-bit register value (32-bit ones sign-extended, as RISC-V
 * writes them). flags use the fflags encoding NV=16 DZ=8 OF=4 UF=2 NX=1; 0xff means
 * "no reference for this operation on this host" (unsigned conversions need AVX-512F).
 * rm: 0 RNE, 1 RTZ, 2 RDN, 3 RUP, 4 RMM.
 *
 * Build: gcc -O1 -march=native -frounding-math -fsignaling-nans -fno-math-errno
 *            -ffp-contract=off -o fpref fpref.c -lm
 */
#include <fenv.h>
#include <immintrin.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* gcc does not implement #pragma STDC FENV_ACCESS; -frounding-math -fsignaling-nans and the
 * volatile operands below keep it from folding or moving FP operations across fesetround. */

/* Operation numbers: keep in step with FpReferenceTest.Op. */
enum {
    FADD_S, FSUB_S, FMUL_S, FDIV_S, FSQRT_S, FMADD_S, FMSUB_S, FNMSUB_S, FNMADD_S,
    FCVT_W_S, FCVT_WU_S, FCVT_L_S, FCVT_LU_S, FCVT_S_W, FCVT_S_WU, FCVT_S_L, FCVT_S_LU,
    FEQ_S, FLT_S, FLE_S,
    FADD_D, FSUB_D, FMUL_D, FDIV_D, FSQRT_D, FMADD_D, FMSUB_D, FNMSUB_D, FNMADD_D,
    FCVT_W_D, FCVT_WU_D, FCVT_L_D, FCVT_LU_D, FCVT_D_W, FCVT_D_WU, FCVT_D_L, FCVT_D_LU,
    FEQ_D, FLT_D, FLE_D,
    FCVT_S_D, FCVT_D_S,
    OP_COUNT
};

enum { NV = 16, DZ = 8, OF = 4, UF = 2, NX = 1, NO_REFERENCE = 0xff };
enum { KIND_F, KIND_D, KIND_INT };

struct rec { uint8_t op, rm, pad[6]; uint64_t a, b, c; };
struct res { uint64_t value; uint8_t flags, pad[7]; };

typedef __float128 quad;

static const int MODES[4] = { FE_TONEAREST, FE_TOWARDZERO, FE_DOWNWARD, FE_UPWARD };

static float F(uint64_t v) { uint32_t u = (uint32_t)v; float f; memcpy(&f, &u, 4); return f; }
static double D(uint64_t v) { double d; memcpy(&d, &v, 8); return d; }
static uint64_t BF(float f) { uint32_t u; memcpy(&u, &f, 4); return u; }
static uint64_t BD(double d) { uint64_t u; memcpy(&u, &d, 8); return u; }
static uint64_t SX32(uint32_t v) { return (uint64_t)(int64_t)(int32_t)v; }

static int result_kind(int op)
{
    switch (op) {
    case FCVT_W_S: case FCVT_WU_S: case FCVT_L_S: case FCVT_LU_S: case FEQ_S: case FLT_S: case FLE_S:
    case FCVT_W_D: case FCVT_WU_D: case FCVT_L_D: case FCVT_LU_D: case FEQ_D: case FLT_D: case FLE_D:
        return KIND_INT;
    case FADD_D: case FSUB_D: case FMUL_D: case FDIV_D: case FSQRT_D: case FMADD_D: case FMSUB_D:
    case FNMSUB_D: case FNMADD_D: case FCVT_D_W: case FCVT_D_WU: case FCVT_D_L: case FCVT_D_LU: case FCVT_D_S:
        return KIND_D;
    default:
        return KIND_F;
    }
}

static int is_fp_to_int(int op)
{
    return (op >= FCVT_W_S && op <= FCVT_LU_S) || (op >= FCVT_W_D && op <= FCVT_LU_D);
}

static int map_flags(int x)
{
    return (x & FE_INVALID ? NV : 0) | (x & FE_DIVBYZERO ? DZ : 0) | (x & FE_OVERFLOW ? OF : 0)
         | (x & FE_UNDERFLOW ? UF : 0) | (x & FE_INEXACT ? NX : 0);
}

/* RISC-V: the saturated result of an invalid conversion to an integer. */
static uint64_t saturate(int op, double src)
{
    int positive = isnan(src) || src > 0;
    switch (op) {
    case FCVT_W_S: case FCVT_W_D: return positive ? 0x7fffffffULL : SX32(0x80000000u);
    case FCVT_WU_S: case FCVT_WU_D: return positive ? SX32(0xffffffffu) : 0;
    case FCVT_L_S: case FCVT_L_D: return positive ? 0x7fffffffffffffffULL : 0x8000000000000000ULL;
    default: return positive ? ~0ULL : 0;
    }
}

static int have_unsigned_conversions(void)
{
#ifdef __AVX512F__
    return 1;
#else
    return 0;
#endif
}

/* One operation in one x86 rounding mode (rm 0..3). Returns the raw result; *flags in fflags encoding. */
static uint64_t eval(int op, int rm, uint64_t a, uint64_t b, uint64_t c, int *flags)
{
    volatile float fa = F(a), fb = F(b), fc = F(c);
    volatile double da = D(a), db = D(b), dc = D(c);
    volatile float fr = 0;
    volatile double dr = 0;
    volatile uint64_t ir = 0;
    int kind = result_kind(op);

    fesetround(MODES[rm]);
    feclearexcept(FE_ALL_EXCEPT);
    switch (op) {
    case FADD_S: fr = fa + fb; break;
    case FSUB_S: fr = fa - fb; break;
    case FMUL_S: fr = fa * fb; break;
    case FDIV_S: fr = fa / fb; break;
    case FSQRT_S: fr = sqrtf(fa); break;
    case FMADD_S: fr = fmaf(fa, fb, fc); break;
    case FMSUB_S: fr = fmaf(fa, fb, -fc); break;
    case FNMSUB_S: fr = fmaf(-fa, fb, fc); break;
    case FNMADD_S: fr = fmaf(-fa, fb, -fc); break;
    case FCVT_W_S: ir = SX32((uint32_t)_mm_cvtss_si32(_mm_set_ss(fa))); break;
    case FCVT_L_S: ir = (uint64_t)_mm_cvtss_si64(_mm_set_ss(fa)); break;
#ifdef __AVX512F__
    case FCVT_WU_S: ir = SX32(_mm_cvtss_u32(_mm_set_ss(fa))); break;
    case FCVT_LU_S: ir = _mm_cvtss_u64(_mm_set_ss(fa)); break;
    case FCVT_WU_D: ir = SX32(_mm_cvtsd_u32(_mm_set_sd(da))); break;
    case FCVT_LU_D: ir = _mm_cvtsd_u64(_mm_set_sd(da)); break;
#endif
    case FCVT_S_W: fr = (float)(int32_t)a; break;
    case FCVT_S_WU: fr = (float)(uint32_t)a; break;
    case FCVT_S_L: fr = (float)(int64_t)a; break;
    case FCVT_S_LU: fr = (float)a; break;
    case FEQ_S: ir = _mm_ucomieq_ss(_mm_set_ss(fa), _mm_set_ss(fb)); break;  /* quiet compare */
    case FLT_S: ir = _mm_comilt_ss(_mm_set_ss(fa), _mm_set_ss(fb)); break;   /* signalling */
    case FLE_S: ir = _mm_comile_ss(_mm_set_ss(fa), _mm_set_ss(fb)); break;
    case FADD_D: dr = da + db; break;
    case FSUB_D: dr = da - db; break;
    case FMUL_D: dr = da * db; break;
    case FDIV_D: dr = da / db; break;
    case FSQRT_D: dr = sqrt(da); break;
    case FMADD_D: dr = fma(da, db, dc); break;
    case FMSUB_D: dr = fma(da, db, -dc); break;
    case FNMSUB_D: dr = fma(-da, db, dc); break;
    case FNMADD_D: dr = fma(-da, db, -dc); break;
    case FCVT_W_D: ir = SX32((uint32_t)_mm_cvtsd_si32(_mm_set_sd(da))); break;
    case FCVT_L_D: ir = (uint64_t)_mm_cvtsd_si64(_mm_set_sd(da)); break;
    case FCVT_D_W: dr = (double)(int32_t)a; break;
    case FCVT_D_WU: dr = (double)(uint32_t)a; break;
    case FCVT_D_L: dr = (double)(int64_t)a; break;
    case FCVT_D_LU: dr = (double)a; break;
    case FEQ_D: ir = _mm_ucomieq_sd(_mm_set_sd(da), _mm_set_sd(db)); break;
    case FLT_D: ir = _mm_comilt_sd(_mm_set_sd(da), _mm_set_sd(db)); break;
    case FLE_D: ir = _mm_comile_sd(_mm_set_sd(da), _mm_set_sd(db)); break;
    case FCVT_S_D: fr = (float)da; break;
    case FCVT_D_S: dr = (double)fa; break;
    default: break;
    }
    int raised = fetestexcept(FE_ALL_EXCEPT);
    fesetround(FE_TONEAREST);
    *flags = map_flags(raised);

    switch (op) {
    case FMADD_S: case FMSUB_S: case FNMSUB_S: case FNMADD_S:
        /* RISC-V: inf * 0 is invalid even when the addend is a quiet NaN */
        if ((isinf(fa) && fb == 0) || (fa == 0 && isinf(fb)))
            *flags |= NV;
        break;
    case FMADD_D: case FMSUB_D: case FNMSUB_D: case FNMADD_D:
        if ((isinf(da) && db == 0) || (da == 0 && isinf(db)))
            *flags |= NV;
        break;
    /* the comparisons' results, computed quietly once the flags are read */
    case FEQ_S: ir = fa == fb; break;
    case FLT_S: ir = __builtin_isless(fa, fb); break;
    case FLE_S: ir = __builtin_islessequal(fa, fb); break;
    case FEQ_D: ir = da == db; break;
    case FLT_D: ir = __builtin_isless(da, db); break;
    case FLE_D: ir = __builtin_islessequal(da, db); break;
    default: break;
    }
    if (is_fp_to_int(op) && (*flags & NV))
        ir = saturate(op, op <= FCVT_LU_S ? (double)fa : da);

    if (kind == KIND_F)
        return isnan(fr) ? 0x7fc00000ULL : BF(fr);
    if (kind == KIND_D)
        return isnan(dr) ? 0x7ff8000000000000ULL : BD(dr);
    return ir;
}

/* ---- RMM ---------------------------------------------------------------------------------- */

static quad q_of(int kind, uint64_t bits) { return kind == KIND_F ? (quad)F(bits) : (quad)D(bits); }

/* x = s + err exactly (TwoSum, round to nearest): 1 when s is the exact sum. */
static int exact_sum(quad x, quad y, quad *s)
{
    quad sum = x + y;
    quad t = sum - x;
    quad err = (x - (sum - t)) + (y - t);
    *s = sum;
    return err == 0;
}

/* Whether the exact result of op lies exactly halfway between lo and hi (adjacent results). */
static int is_tie(int op, uint64_t a, uint64_t b, uint64_t c, uint64_t lo, uint64_t hi)
{
    int kind = result_kind(op);
    int src = (op < FADD_D || op == FCVT_D_S) ? KIND_F : KIND_D;
    quad mid2 = q_of(kind, lo) + q_of(kind, hi);   /* exact: 2 * midpoint */
    quad x;
    switch (op) {
    case FADD_S: case FADD_D:
        if (!exact_sum(q_of(src, a), q_of(src, b), &x)) return 0;
        break;
    case FSUB_S: case FSUB_D:
        if (!exact_sum(q_of(src, a), -q_of(src, b), &x)) return 0;
        break;
    case FMUL_S: case FMUL_D:
        x = q_of(src, a) * q_of(src, b);            /* exact: 106 < 113 bits */
        break;
    case FMADD_S: case FMSUB_S: case FNMSUB_S: case FNMADD_S:
    case FMADD_D: case FMSUB_D: case FNMSUB_D: case FNMADD_D: {
        quad p = q_of(src, a) * q_of(src, b);
        quad z = q_of(src, c);
        if (op == FNMSUB_S || op == FNMADD_S || op == FNMSUB_D || op == FNMADD_D) p = -p;
        if (op == FMSUB_S || op == FNMADD_S || op == FMSUB_D || op == FNMADD_D) z = -z;
        if (!exact_sum(p, z, &x)) return 0;
        break;
    }
    case FCVT_S_W: case FCVT_D_W: x = (quad)(int32_t)a; break;
    case FCVT_S_WU: case FCVT_D_WU: x = (quad)(uint32_t)a; break;
    case FCVT_S_L: case FCVT_D_L: x = (quad)(int64_t)a; break;
    case FCVT_S_LU: case FCVT_D_LU: x = (quad)a; break;
    case FCVT_S_D: x = (quad)D(a); break;
    case FDIV_S: case FDIV_D:
        /* halfway quotients exist only below the normal range; mid2 * b is exact (54 + 53 bits) */
        return mid2 * q_of(src, b) == 2 * q_of(src, a);
    case FSQRT_S: case FSQRT_D:
        return mid2 * mid2 == 4 * q_of(src, a);      /* exact: 2 * 54 bits */
    default:
        return 0;
    }
    return 2 * x == mid2;
}

static uint64_t eval_rmm(int op, uint64_t a, uint64_t b, uint64_t c, int *flags)
{
    int kind = result_kind(op);
    if (is_fp_to_int(op)) {
        double x = op <= FCVT_LU_S ? (double)F(a) : D(a);
        double r = round(x);                        /* halfway cases away from zero */
        int f;
        uint64_t src = op <= FCVT_LU_S ? BF((float)r) : BD(r);
        uint64_t v = eval(op, 1, isnan(x) ? a : src, b, c, &f);   /* r is integral: RTZ is exact */
        *flags = (f & NV) ? NV : (r != x ? NX : 0);
        return (f & NV) ? saturate(op, x) : v;
    }
    int f0, f1, f2;
    uint64_t n = eval(op, 0, a, b, c, &f0);
    *flags = f0;
    if (kind == KIND_INT || !(f0 & NX))
        return n;
    uint64_t t = eval(op, 1, a, b, c, &f1);
    if (n != t)
        return n;                                   /* RNE already rounded away from zero */
    int negative = kind == KIND_F ? (int)((t >> 31) & 1) : (int)(t >> 63);
    uint64_t away = eval(op, negative ? 2 : 3, a, b, c, &f2);
    return is_tie(op, a, b, c, t, away) ? away : n;
}

int main(void)
{
    static struct rec in[4096];
    static struct res out[4096];
    size_t n;
    setvbuf(stdout, NULL, _IOFBF, 1 << 16);
    while ((n = fread(in, sizeof in[0], sizeof in / sizeof in[0], stdin)) > 0) {
        for (size_t i = 0; i < n; i++) {
            int op = in[i].op, rm = in[i].rm, f = NO_REFERENCE;
            uint64_t v = 0;
            int unsigned_cvt = op == FCVT_WU_S || op == FCVT_LU_S || op == FCVT_WU_D || op == FCVT_LU_D;
            if (op < OP_COUNT && rm <= 4 && (!unsigned_cvt || have_unsigned_conversions()))
                v = rm == 4 ? eval_rmm(op, in[i].a, in[i].b, in[i].c, &f) : eval(op, rm, in[i].a, in[i].b, in[i].c, &f);
            memset(&out[i], 0, sizeof out[i]);
            out[i].value = v;
            out[i].flags = (uint8_t)f;
        }
        if (fwrite(out, sizeof out[0], n, stdout) != n)
            return 1;
        fflush(stdout);
    }
    return 0;
}
