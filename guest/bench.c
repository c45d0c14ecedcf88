/* Harness for Sublet's CPU benchmarks: runs the linked kernel bench_scale
 * times, checks every run's checksum against the expected one, and prints
 *
 *   BENCH name=<name> instret=<minstret at end> checksum=<hex> ok
 *
 * (or "... FAIL expected=<hex>" and exit status 1 on a mismatch).
 * The host may overwrite the 64-bit word bench_scale (default 1) in the
 * loaded image before the hart starts, to make the run longer. */
#include "htif.h"
#include "kernels/kernel.h"

volatile uint64_t bench_scale __attribute__((section(".data.bench_scale"), used)) = 1;

int main(void)
{
    uint64_t scale = bench_scale;
    if (scale == 0)
        scale = 1;
    printf("sublet bench %s: scale %lu\n", bench_kernel.name, scale);

    uint64_t sum = 0;
    for (uint64_t i = 0; i < scale; i++) {
        sum = bench_kernel.run();
        if (sum != bench_kernel.expect) {
            uint64_t n = read_minstret();
            printf("BENCH name=%s instret=%lu checksum=%016lx FAIL expected=%016lx iteration=%lu\n",
                   bench_kernel.name, n, sum, bench_kernel.expect, i);
            return 1;
        }
    }
    uint64_t n = read_minstret();
    printf("BENCH name=%s instret=%lu checksum=%016lx ok\n", bench_kernel.name, n, sum);
    return 0;
}
