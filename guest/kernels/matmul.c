/* bench matmul: square int64 matrix products, D = (A x B) x A, N = 200,
 * row-major, i-k-j loop order. */
#include "kernel.h"

#define N 200

static int64_t A[N][N], B[N][N], C[N][N], D[N][N];

static void matmul(int64_t (*restrict x)[N], int64_t (*restrict y)[N], int64_t (*restrict z)[N])
{
    for (int i = 0; i < N; i++) {
        int64_t *zi = z[i];
        for (int j = 0; j < N; j++)
            zi[j] = 0;
        for (int k = 0; k < N; k++) {
            int64_t xik = x[i][k];
            const int64_t *yk = y[k];
            for (int j = 0; j < N; j++)
                zi[j] += xik * yk[j];
        }
    }
}

static uint64_t run(void)
{
    uint64_t s = 0x6d61746dULL;          /* "matm" */
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            A[i][j] = (int64_t)(lcg_next(&s) >> 53) - 1024;   /* -1024..1023 */
            B[i][j] = (int64_t)(lcg_next(&s) >> 53) - 1024;
        }

    matmul(A, B, C);        /* |C| <= 200 * 2^20      */
    matmul(C, A, D);        /* |D| <= 200^2 * 2^30, fits in int64 */

    uint64_t h = 0;
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++)
            h = mix64(h, (uint64_t)D[i][j]);
    return h;
}

const struct bench_kernel bench_kernel = { "matmul", 0x4710ccd9fe92a511ULL, run };
