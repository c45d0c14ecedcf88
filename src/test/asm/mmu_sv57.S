/*
 * mmu_sv57.S - Sv57 address translation (5 levels): adds 512 GiB and 256 TiB pages and the 57-bit canonical form.
 * The cases themselves are shared with the other paging modes: see mmu_common.h.
 */
#define SV_LEVELS 5
#define SV_MODE   SATP_MODE_SV57
#define VA_BITS   57
#include "test.h"
#include "mmu_common.h"
