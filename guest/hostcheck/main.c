/* Runs one benchmark kernel natively on the build host, twice, and checks
 * that its checksum is stable and equals the one the guest build expects.
 * Built and run by `make -C guest hostcheck`. */
#include <inttypes.h>
#include <stdio.h>
#include "../kernels/kernel.h"

int main(void)
{
    uint64_t first = bench_kernel.run();
    uint64_t second = bench_kernel.run();
    int ok = first == second && first == bench_kernel.expect;
    printf("hostcheck %-7s checksum=%016" PRIx64 " expected=%016" PRIx64 " %s\n",
           bench_kernel.name, first, bench_kernel.expect,
           ok ? "ok" : first != second ? "FAIL (not repeatable)" : "FAIL");
    return ok ? 0 : 1;
}
