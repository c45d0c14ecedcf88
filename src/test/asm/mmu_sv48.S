/*
 * mmu_sv48.S - Sv48 address translation (4 levels): adds 512 GiB pages and the 48-bit canonical form.
 * The cases themselves are shared with the other paging modes: see mmu_common.h.
 */
#define SV_LEVELS 4
#define SV_MODE   SATP_MODE_SV48
#define VA_BITS   48
#include "test.h"
#include "mmu_common.h"
