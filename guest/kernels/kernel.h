/* A benchmark kernel: plain portable C shared by the RISC-V guest build
 * (bench.c + kernel -> bench-<name>.elf) and the native host check
 * (hostcheck/main.c + kernel), so the expected checksum is computed by
 * the very same code on both sides.
 *
 * Rules for kernels: only fixed-width unsigned/signed integer types, no
 * floating point, no library calls except memcpy/memset/memcmp, no
 * dependence on char signedness, run() must be repeatable (it
 * re-initialises all its state, so scale > 1 repeats identical work). */
#ifndef SUBLET_GUEST_KERNEL_H
#define SUBLET_GUEST_KERNEL_H

#include <stdint.h>
#include <stddef.h>

struct bench_kernel {
    const char *name;
    uint64_t expect;            /* checksum of one run() */
    uint64_t (*run)(void);
};

extern const struct bench_kernel bench_kernel;

void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);

/* 64-bit LCG (Knuth's MMIX constants); the high bits are the good ones. */
static inline uint64_t lcg_next(uint64_t *state)
{
    *state = *state * 6364136223846793005ULL + 1442695040888963407ULL;
    return *state;
}

/* A 64-bit mixer (xor-shift-multiply) for folding values into checksums. */
static inline uint64_t mix64(uint64_t h, uint64_t v)
{
    h ^= v;
    h *= 0x9e3779b97f4a7c15ULL;
    h ^= h >> 29;
    return h;
}

#endif
