/* bench fmatmul: double-precision matrix products, D = (A x B) x A, N = 200,
 * row-major, i-k-j loop order, every step a fused multiply-add; then each
 * row of D is divided by its Euclidean norm (fsqrt, fdiv). Entries are
 * random doubles in [-1, 1) with full 53-bit significands, so nearly every
 * operation rounds.
 *
 * The one FP kernel: it breaks kernel.h's "no floating point" rule on
 * purpose and is built only with the FP flags (guest/Makefile, FP_BENCHES).
 * The fused steps are explicit __builtin_fma calls and nothing else can be
 * contracted, so the native host check (which calls libm's correctly
 * rounded fma) computes bit-identical results. */
#include "kernel.h"

#define N 200

static double A[N][N], B[N][N], C[N][N], D[N][N];

static void matmul(double (*restrict x)[N], double (*restrict y)[N], double (*restrict z)[N])
{
    for (int i = 0; i < N; i++) {
        double *zi = z[i];
        for (int j = 0; j < N; j++)
            zi[j] = 0;
        for (int k = 0; k < N; k++) {
            double xik = x[i][k];
            const double *yk = y[k];
            for (int j = 0; j < N; j++)
                zi[j] = __builtin_fma(xik, yk[j], zi[j]);
        }
    }
}

/* uniform in [-1, 1): a 53-bit integer scaled by a power of two (exact), minus 1 (exact) */
static double random_unit(uint64_t *s)
{
    return (double)(int64_t)(lcg_next(s) >> 11) * 0x1p-52 - 1.0;
}

static uint64_t run(void)
{
    uint64_t s = 0x666d6174ULL;          /* "fmat" */
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            A[i][j] = random_unit(&s);
            B[i][j] = random_unit(&s);
        }

    matmul(A, B, C);
    matmul(C, A, D);

    uint64_t h = 0;
    for (int i = 0; i < N; i++) {
        double sum = 0;
        for (int j = 0; j < N; j++)
            sum = __builtin_fma(D[i][j], D[i][j], sum);
        double norm = __builtin_sqrt(sum);
        for (int j = 0; j < N; j++) {
            double v = D[i][j] / norm;
            uint64_t bits;
            memcpy(&bits, &v, sizeof bits);
            h = mix64(h, bits);
        }
    }
    return h;
}

const struct bench_kernel bench_kernel = { "fmatmul", 0xa8d5725da24b88d4ULL, run };
