/*
 * pmp.S - physical memory protection: 16 entries, TOR / NA4 / NAPOT, lock bit.
 *
 * Spec points (privileged "Physical Memory Protection"): pmpaddr holds address bits 55:2;
 * with pmp0cfg = 0, writing all ones to pmpaddr0 reads back the granularity (Sublet: G = 0,
 * i.e. 4 bytes, all 54 bits writable); R=0 W=1 is a reserved combination (WARL); on RV64
 * pmpcfg1/pmpcfg3 do not exist (illegal). TOR entry i covers pmpaddr[i-1] <= a < pmpaddr[i];
 * NA4 covers 4 bytes; NAPOT 2^(k+3) bytes where k = trailing ones. The lowest-numbered
 * entry matching any byte of an access decides, and must match all its bytes or the access
 * fails; S/U accesses need the R/W/X bit; M accesses succeed unless the entry is locked;
 * an S/U access matching no entry fails (when, as here, entries are implemented) while an
 * M one succeeds. Failures are access faults (1/5/7, tval = address). MPRV makes M loads and
 * stores be checked as MPP. A locked entry's pmpcfg and pmpaddr ignore writes, and so does
 * pmpaddr[i-1] when entry i is a locked TOR.
 *
 * Layout: pmp_area (10 pages at the end of the image, in .testpages)
 *   +0x0000 page A  entry 0 NAPOT 4 KiB, R
 *   +0x1000 B       entry 2 TOR [+0x1000, +0x3000), no permission (entry 1 holds the bottom)
 *   +0x4004 C       entry 3 NA4, no permission
 *   +0x4014 C'      entry 4 NA4, R W
 *   +0x5000 code    entry 5 NAPOT 4 KiB, R (later R X)
 *   +0x6000 page L  entry 6 NAPOT 4 KiB, locked, R
 *   +0x7000 page T  entry 9 TOR [+0x7000, +0x8000), locked, R W (entry 8 holds the bottom)
 *   +0x9000         matched by nothing once entry 15 stops covering everything
 * Entry 15 starts as the framework's NAPOT "all memory, RWX".
 */
#include "test.h"

#define AREA(off, reg)   la reg, pmp_area + (off)
#define NAPOT4K(reg)     srli reg, reg, 2; ori reg, reg, 0x1ff
#define TOR(reg)         srli reg, reg, 2
#define CFG0_INIT        ((PMP_NAPOT | PMP_R) | ((PMP_TOR) << 16) | ((PMP_NA4) << 24) | ((PMP_NA4 | PMP_R | PMP_W) << 32) | ((PMP_NAPOT | PMP_R) << 40))
#define PMP_ALL          (PMP_NAPOT | PMP_R | PMP_W | PMP_X)

TEST_BEGIN

/* ---- CSR behaviour ---- */
        li gp, 1                            /* granularity: G = 0, 54 writable bits */
        csrr s0, pmpcfg0
        li t0, 0xff
        csrc pmpcfg0, t0                    /* pmp0cfg = 0 */
        li t0, -1
        csrw pmpaddr0, t0
        csrr a0, pmpaddr0
#ifndef QEMU_REFERENCE  /* QEMU 7.2 keeps all 64 bits */
        CHECK(a0, 0x003fffffffffffff)
#endif
        li gp, 2                            /* R = 0, W = 1 is reserved: never reads back */
        li t0, PMP_NAPOT | PMP_W
        csrw pmpcfg0, t0
        csrr a0, pmpcfg0
        andi a0, a0, PMP_R | PMP_W
#ifndef QEMU_REFERENCE  /* QEMU 7.2 keeps W without R */
        CHECK_NE(a0, PMP_W)
#endif
        csrw pmpcfg0, zero
        TEST_ILLEGAL(3, TRAP_M_FROM_M, csrr a0, pmpcfg1)    /* odd pmpcfg do not exist on RV64 */
        TEST_ILLEGAL(4, TRAP_M_FROM_M, csrr a0, pmpcfg3)
        TEST_CASE(5, a0, 0x123456789ab, li t0, 0x123456789ab; csrw pmpaddr7, t0; csrr a0, pmpaddr7)
        TEST_CASE(6, a0, 0, csrw pmpaddr7, zero; csrr a0, pmpaddr7)

/* ---- set up entries 0..5 ---- */
        AREA(0x0000, t0)
        NAPOT4K(t0)
        csrw pmpaddr0, t0
        AREA(0x1000, t0)
        TOR(t0)
        csrw pmpaddr1, t0
        AREA(0x3000, t0)
        TOR(t0)
        csrw pmpaddr2, t0
        AREA(0x4004, t0)
        TOR(t0)
        csrw pmpaddr3, t0
        AREA(0x4014, t0)
        TOR(t0)
        csrw pmpaddr4, t0
        AREA(0x5000, t0)
        NAPOT4K(t0)
        csrw pmpaddr5, t0
        li t0, CFG0_INIT
        csrw pmpcfg0, t0
        sfence.vma
        TEST_CASE(7, a0, CFG0_INIT, csrr a0, pmpcfg0)
        TEST_CASE(8, a0, (PMP_ALL << 56), csrr a0, pmpcfg2)            /* the framework's entry 15 */

/* ---- U mode ---- */
        ENTER_U
        AREA(0x0000, s1)
        TEST_CASE(9, a0, 0, ld a0, 0(s1))                               /* A: readable */
        TEST_TRAP_TVAL_REG(10, CAUSE_STORE_ACCESS, TRAP_M_FROM_U, s1, sd a0, 0(s1))
        AREA(0x0ff8, s1)
        TEST_CASE(11, a0, 0, ld a0, 0(s1))                              /* last dword of A */
        li gp, 12                           /* A is not executable */
        AREA(0x0000, s1)
        EXPECT_TRAP_RESUME(1f)
        jalr ra, 0(s1)
1:      CHECK_CAUSE(CAUSE_FETCH_ACCESS)
        CHECK_FROM(TRAP_M_FROM_U)
        CHECK_TVAL_REG(s1)
        AREA(0x1000, s1)
        TEST_TRAP_TVAL_REG(13, CAUSE_LOAD_ACCESS, TRAP_M_FROM_U, s1, ld a0, 0(s1))     /* TOR bottom */
        AREA(0x2ff8, s1)
        TEST_TRAP_TVAL_REG(14, CAUSE_LOAD_ACCESS, TRAP_M_FROM_U, s1, ld a0, 0(s1))     /* TOR top - 8 */
        TEST_TRAP_TVAL_REG(15, CAUSE_STORE_ACCESS, TRAP_M_FROM_U, s1, sd a0, 0(s1))
        AREA(0x3000, s1)
        TEST_CASE(16, a0, 0, ld a0, 0(s1))                              /* TOR top is exclusive: entry 15 */
        AREA(0x4004, s1)
        TEST_TRAP_TVAL_REG(17, CAUSE_LOAD_ACCESS, TRAP_M_FROM_U, s1, lw a0, 0(s1))     /* NA4 */
        AREA(0x4007, s2)
        TEST_TRAP_TVAL_REG(18, CAUSE_LOAD_ACCESS, TRAP_M_FROM_U, s2, lbu a0, 0(s2))
        AREA(0x4000, s1)
        TEST_CASE(19, a0, 0, lw a0, 0(s1))                              /* the word before */
        TEST_CASE(20, a0, 0, lw a0, 8(s1))                              /* and after */
        TEST_TRAP_TVAL_REG(21, CAUSE_LOAD_ACCESS, TRAP_M_FROM_U, s1, ld a0, 0(s1))     /* partly in NA4 C */
        AREA(0x4010, s1)
        TEST_TRAP_TVAL_REG(22, CAUSE_LOAD_ACCESS, TRAP_M_FROM_U, s1, ld a0, 0(s1))     /* partly in C': fails though C' allows R */
        TEST_CASE(23, a0, 0x44, li t0, 0x44; sw t0, 4(s1); lw a0, 4(s1))   /* all of C': R W */
        li gp, 24                           /* code page without X */
        la s1, pmp_code
        EXPECT_TRAP_RESUME(2f)
        jalr ra, 0(s1)
2:      CHECK_CAUSE(CAUSE_FETCH_ACCESS)
        CHECK_TVAL_REG(s1)
        AREA(0x9000, s1)
        TEST_CASE(25, a0, 0, ld a0, 0(s1))                              /* entry 15 covers the rest */
        ECALL_TO_M

/* ---- S mode is checked the same way ---- */
        ENTER_S
        AREA(0x1000, s1)
        TEST_TRAP_TVAL_REG(26, CAUSE_LOAD_ACCESS, TRAP_M_FROM_S, s1, ld a0, 0(s1))
        AREA(0x0000, s1)
        TEST_TRAP_TVAL_REG(27, CAUSE_STORE_ACCESS, TRAP_M_FROM_S, s1, sw a0, 0(s1))
        ECALL_TO_M

/* ---- M mode ignores unlocked entries ---- */
        AREA(0x1000, s1)
        TEST_CASE(28, a0, 0x28, li t0, 0x28; sd t0, 0(s1); ld a0, 0(s1))
        AREA(0x4004, s1)
        TEST_CASE(29, a0, 0x29, li t0, 0x29; sw t0, 0(s1); lw a0, 0(s1))
        AREA(0x0000, s1)
        TEST_CASE(30, a0, 0x30, li t0, 0x30; sd t0, 0(s1); ld a0, 0(s1))

/* ---- ... unless MPRV says otherwise ---- */
#define MPRV_U_ON  li t0, MSTATUS_MPP; csrc mstatus, t0; li t0, MSTATUS_MPRV; csrs mstatus, t0
#define MPRV_OFF   li t0, MSTATUS_MPRV; csrc mstatus, t0
        li gp, 31
        AREA(0x1000, s1)
        EXPECT_TRAP
        MPRV_U_ON
        ld a0, 0(s1)
        MPRV_OFF
        CHECK_CAUSE(CAUSE_LOAD_ACCESS)
        CHECK_FROM(TRAP_M_FROM_M)
        CHECK_TVAL_REG(s1)
        li gp, 32
        AREA(0x0000, s1)
        MPRV_U_ON
        ld a0, 0(s1)                        /* A: readable as U */
        MPRV_OFF
        CHECK(a0, 0x30)

/* ---- granting X to the code page (a pmpcfg write takes effect after SFENCE.VMA) ---- */
        li t0, 0xff << 40
        csrc pmpcfg0, t0
        li t0, (PMP_NAPOT | PMP_R | PMP_X) << 40
        csrs pmpcfg0, t0
        sfence.vma
        ENTER_U
        TEST_CASE(33, a0, 0x77, li a0, 0; la t0, pmp_code; jalr ra, 0(t0))
        ECALL_TO_M

/* ---- locked NAPOT entry 6: binds M too, ignores writes ---- */
        AREA(0x6000, t0)
        li t1, 0x66
        sd t1, 0(t0)                        /* (before locking) */
        NAPOT4K(t0)
        csrw pmpaddr6, t0
        li t0, (PMP_L | PMP_NAPOT | PMP_R) << 48
        csrs pmpcfg0, t0
        sfence.vma
        AREA(0x6000, s1)
        TEST_CASE(34, a0, 0x66, ld a0, 0(s1))                           /* M may read */
        TEST_TRAP_TVAL_REG(35, CAUSE_STORE_ACCESS, TRAP_M_FROM_M, s1, sd a0, 0(s1))   /* M may not write */
        li gp, 36                           /* nor execute */
        EXPECT_TRAP_RESUME(3f)
        jalr ra, 0(s1)
3:      CHECK_CAUSE(CAUSE_FETCH_ACCESS)
        CHECK_FROM(TRAP_M_FROM_M)
        li gp, 37                           /* pmpaddr6 ignores writes */
        csrr s2, pmpaddr6
        csrw pmpaddr6, zero
        csrr a0, pmpaddr6
        CHECK_EQ(a0, s2)
        li gp, 38                           /* pmp6cfg ignores writes, other bytes do not */
        csrr s3, pmpcfg0
        li t0, (0xff << 48) | (0xff << 40)
        csrc pmpcfg0, t0
        csrr a0, pmpcfg0
        li t0, 0xff << 48
        and a1, a0, t0
        li t2, (PMP_L | PMP_NAPOT | PMP_R) << 48
        CHECK_EQ(a1, t2)
        li t0, 0xff << 40
        and a1, a0, t0
        CHECK(a1, 0)                        /* entry 5 was cleared */
        li gp, 39
        csrw pmpcfg0, zero                  /* whole-register write: only the unlocked bytes change */
        csrr a0, pmpcfg0
        CHECK_EQ(a0, t2)
        li t0, CFG0_INIT                    /* restore entries 0..5 (entry 6 stays locked) */
        csrs pmpcfg0, t0
        sfence.vma
        TEST_CASE(40, a0, CFG0_INIT | ((PMP_L | PMP_NAPOT | PMP_R) << 48), csrr a0, pmpcfg0)

/* ---- locked TOR entry 9 locks pmpaddr8 too ---- */
        AREA(0x7000, t0)
        TOR(t0)
        csrw pmpaddr8, t0
        AREA(0x8000, t0)
        TOR(t0)
        csrw pmpaddr9, t0
        li t0, (PMP_L | PMP_TOR | PMP_R | PMP_W) << 8
        csrs pmpcfg2, t0
        sfence.vma
        AREA(0x7000, s1)
        TEST_CASE(41, a0, 0x41, li t0, 0x41; sd t0, 0(s1); ld a0, 0(s1))   /* R W for M too */
        li gp, 42
        AREA(0x7000, s1)
        EXPECT_TRAP_RESUME(4f)
        jalr ra, 0(s1)                      /* but no X */
4:      CHECK_CAUSE(CAUSE_FETCH_ACCESS)
        li gp, 43
        csrr s2, pmpaddr8
        csrw pmpaddr8, zero                 /* the bottom of a locked TOR */
        csrr a0, pmpaddr8
        CHECK_EQ(a0, s2)
        li gp, 44
        csrr s2, pmpaddr9
        csrw pmpaddr9, zero
        csrr a0, pmpaddr9
        CHECK_EQ(a0, s2)
        ENTER_U
        AREA(0x7ff8, s1)
        TEST_CASE(45, a0, 0x45, li t0, 0x45; sd t0, 0(s1); ld a0, 0(s1))   /* U: R W as well */
        ECALL_TO_M

/* ---- no matching entry: S/U fail, M succeeds ---- */
        csrw pmpaddr14, zero                /* entry 15 becomes TOR [0, __testpages_start), RWX */
        la t0, __testpages_start
        TOR(t0)
        csrw pmpaddr15, t0
        li t0, 0xff << 56
        csrc pmpcfg2, t0
        li t0, (PMP_TOR | PMP_R | PMP_W | PMP_X) << 56
        csrs pmpcfg2, t0
        sfence.vma
        ENTER_U
        AREA(0x9000, s1)
        TEST_TRAP_TVAL_REG(46, CAUSE_LOAD_ACCESS, TRAP_M_FROM_U, s1, ld a0, 0(s1))
        TEST_TRAP_TVAL_REG(47, CAUSE_STORE_ACCESS, TRAP_M_FROM_U, s1, sd a0, 0(s1))
        AREA(0x3000, s1)
        TEST_TRAP_TVAL_REG(48, CAUSE_LOAD_ACCESS, TRAP_M_FROM_U, s1, ld a0, 0(s1))
        AREA(0x0000, s1)
        TEST_CASE(49, a0, 0x30, ld a0, 0(s1))                           /* entry 0 still matches */
        ECALL_TO_M
        ENTER_S
        AREA(0x9000, s1)
        TEST_TRAP_TVAL_REG(50, CAUSE_LOAD_ACCESS, TRAP_M_FROM_S, s1, ld a0, 0(s1))
        ECALL_TO_M
        AREA(0x9000, s1)
        TEST_CASE(51, a0, 0x51, li t0, 0x51; sd t0, 0(s1); ld a0, 0(s1))   /* M: no match is fine */
        li t0, 0xff << 56                   /* give entry 15 back its whole range */
        csrc pmpcfg2, t0
        li t0, -1
        csrw pmpaddr15, t0
        li t0, PMP_ALL << 56
        csrs pmpcfg2, t0
        sfence.vma

TEST_END

        .section .testpages, "aw", @progbits
        .align 12
pmp_area:
        .space 0x5000
pmp_code:                                   /* pmp_area + 0x5000 (data: PMP decides executability) */
        .word 0x07700513                    /* li a0, 0x77 */
        .word 0x00008067                    /* ret */
        .balign 4096, 0
        .space 0x4000
