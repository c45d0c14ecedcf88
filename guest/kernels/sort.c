/* bench sort: 256 Ki signed 64-bit keys (some duplicated), sorted twice,
 * by quicksort (median of three, insertion sort for short runs) and by
 * heap sort; the results must agree and be in order. */
#include "kernel.h"

#define N (256u << 10)

static int64_t a[N], b[N];

static void insertion(int64_t *v, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        int64_t x = v[i];
        size_t j = i;
        while (j > 0 && v[j - 1] > x) {
            v[j] = v[j - 1];
            j--;
        }
        v[j] = x;
    }
}

static inline void swap(int64_t *x, int64_t *y)
{
    int64_t t = *x;
    *x = *y;
    *y = t;
}

static void quicksort(int64_t *v, size_t n)
{
    while (n > 16) {
        size_t m = n / 2;
        /* median of three into v[m] */
        if (v[m] < v[0]) swap(&v[m], &v[0]);
        if (v[n - 1] < v[0]) swap(&v[n - 1], &v[0]);
        if (v[n - 1] < v[m]) swap(&v[n - 1], &v[m]);
        int64_t p = v[m];
        size_t i = 0, j = n - 1;
        for (;;) {                      /* Hoare partition */
            while (v[i] < p) i++;
            while (p < v[j]) j--;
            if (i >= j) break;
            swap(&v[i], &v[j]);
            i++;
            j--;
        }
        /* v[0..j] <= p <= v[j+1..n-1]; recurse into the smaller side */
        size_t left = j + 1, right = n - left;
        if (left < right) {
            quicksort(v, left);
            v += left;
            n = right;
        } else {
            quicksort(v + left, right);
            n = left;
        }
    }
    insertion(v, n);
}

static void sift_down(int64_t *v, size_t root, size_t n)
{
    int64_t x = v[root];
    for (;;) {
        size_t c = 2 * root + 1;
        if (c >= n) break;
        if (c + 1 < n && v[c] < v[c + 1]) c++;
        if (v[c] <= x) break;
        v[root] = v[c];
        root = c;
    }
    v[root] = x;
}

static void heapsort(int64_t *v, size_t n)
{
    for (size_t i = n / 2; i-- > 0;)
        sift_down(v, i, n);
    for (size_t end = n - 1; end > 0; end--) {
        swap(&v[0], &v[end]);
        sift_down(v, 0, end);
    }
}

static uint64_t run(void)
{
    uint64_t s = 0x736f7274ULL;          /* "sort" */
    for (size_t i = 0; i < N; i++) {
        uint64_t r = lcg_next(&s);
        /* every 8th key from a small range, so equal keys occur */
        a[i] = (i & 7) == 3 ? (int64_t)(r >> 54) - 512 : (int64_t)(r ^ (r >> 31));
    }
    memcpy(b, a, sizeof a);

    quicksort(a, N);
    heapsort(b, N);

    uint64_t h = 0;
    for (size_t i = 0; i < N; i++) {
        if (a[i] != b[i] || (i > 0 && a[i - 1] > a[i]))
            return i + 1;               /* not sorted or disagreeing */
        h = mix64(h, (uint64_t)a[i]);
    }
    return h;
}

const struct bench_kernel bench_kernel = { "sort", 0x7effc552b37f079dULL, run };
