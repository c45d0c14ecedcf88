/*
 * mmu_sv39.S - Sv39 address translation (3 levels): 4 KiB, 2 MiB and 1 GiB pages; a 512 GiB-looking VA is non-canonical here.
 * The cases themselves are shared with the other paging modes: see mmu_common.h.
 */
#define SV_LEVELS 3
#define SV_MODE   SATP_MODE_SV39
#define VA_BITS   39
#include "test.h"
#include "mmu_common.h"
