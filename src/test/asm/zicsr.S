/*
 * zicsr.S - CSR instructions (Zicsr), CSR access rules, WARL fields, counters.
 *
 * Spec points:
 *  - unprivileged Zicsr: CSRRW reads the old value (unless rd = x0, then it does not read)
 *    and writes rs1; CSRRS/CSRRC set/clear the bits of rs1 and do not write at all when
 *    rs1 = x0 (the I forms: when uimm = 0), so "csrrs rd, ro_csr, x0" is a legal read of a
 *    read-only CSR, while a write attempt - even of an unchanged value from a nonzero
 *    register holding 0 - is illegal. uimm is zero-extended.
 *  - privileged "CSR Address Mapping Conventions": csr[11:10] = 3 means read-only;
 *    csr[9:8] is the lowest privilege that may access it; violations, and unimplemented
 *    CSRs, raise illegal-instruction (Sublet: mtval = the instruction bits).
 *  - WARL fields: mstatus.xPP can only hold implemented modes (MPP never 2); misa is
 *    read-only in Sublet (writes ignored, no trap); mepc/sepc bit 0 is always 0;
 *    SXL/UXL are 2 (RV64 only); UBE/SBE/MBE are 0 (little-endian only).
 *  - sstatus is a view of mstatus restricted to the S fields; sie/sip show only the
 *    interrupts delegated through mideleg (other bits read-only zero, "Machine Interrupt
 *    Registers"); medeleg[11] (ecall from M) is read-only zero.
 *  - counters: a CSR read of instret returns the value before the reading instruction
 *    retires; a CSR write to it replaces that instruction's increment. cycle/time/instret
 *    are readable from S only if mcounteren allows it, from U only if mcounteren and
 *    scounteren both do.
 */
#include "test.h"

#define MISA_EXPECTED ((2 << 62) | (1 << 0) | (1 << 2) | (1 << 8) | (1 << 12) | (1 << 18) | (1 << 20))  /* RV64 ACIMSU */
#define MISA_F_D      ((1 << 3) | (1 << 5))

TEST_BEGIN

/* ---- mscratch: every instruction form ---- */
        TEST_CASE(1, a1, 0x0123456789abcdef, li a0, 0x0123456789abcdef; csrw mscratch, a0; csrr a1, mscratch)
        TEST_CASE(2, a0, 0x0123456789abcdef, li a1, 0x1111; csrrw a0, mscratch, a1)          /* old value */
        TEST_CASE(3, a0, 0x1111, csrr a0, mscratch)
        TEST_CASE(4, a0, 0x1111, li a1, 0xf0f0; csrrs a0, mscratch, a1)
        TEST_CASE(5, a0, 0xf1f1, csrr a0, mscratch)
        TEST_CASE(6, a0, 0xf1f1, li a1, 0x1010; csrrc a0, mscratch, a1)
        TEST_CASE(7, a0, 0xe1e1, csrr a0, mscratch)
        TEST_CASE(8, a0, 0xe1e1, csrrwi a0, mscratch, 31)                                    /* uimm zero-extended */
        TEST_CASE(9, a0, 31, csrr a0, mscratch)
        TEST_CASE(10, a0, 31, csrrci a0, mscratch, 0x11)
        TEST_CASE(11, a0, 0x0e, csrrsi a0, mscratch, 0x10)
        TEST_CASE(12, a0, 0x1e, csrr a0, mscratch)
        TEST_CASE(13, a0, 0x1e, csrrs a0, mscratch, x0)                                      /* no write */
        TEST_CASE(14, a0, 0x1e, csrrc a0, mscratch, x0)
        TEST_CASE(15, a0, 0x1e, csrrsi a0, mscratch, 0; csrrci a0, mscratch, 0)
        TEST_CASE(16, a0, -1, li a1, -1; csrw mscratch, a1; csrr a0, mscratch)                /* all 64 bits */
        TEST_CASE(17, a0, 0x5a, li a0, 0x5a; csrrw a0, mscratch, a0; csrr a0, mscratch)        /* rd == rs1: swap */
        TEST_CASE(18, a1, -1, li a0, -1; csrw mscratch, a0; li a1, 0x77; csrrw a1, mscratch, a1)  /* ... old value in rd */
        TEST_CASE(19, a0, 0x77, csrr a0, mscratch)
        TEST_CASE(20, a0, 0x3, csrwi mscratch, 3; csrr a0, mscratch)
        TEST_CASE(21, a0, 0, csrw mscratch, zero; csrr a0, mscratch)

/* ---- read-only CSRs: reading is legal, any write attempt is illegal ---- */
        TEST_CASE(22, a0, 0, li a0, 99; csrr a0, mhartid)                     /* one hart, id 0 */
        TEST_CASE(23, a0, 0, li a0, 99; csrrs a0, mhartid, x0)
        TEST_CASE(24, a0, 0, li a0, 99; csrrsi a0, mhartid, 0)
        TEST_CASE(25, a0, 0, li a0, 99; csrrci a0, mhartid, 0)
        TEST_NO_TRAP(26, csrr a0, mvendorid; csrr a0, marchid; csrr a0, mimpid)
        li a1, 0
        TEST_ILLEGAL(27, TRAP_M_FROM_M, csrrw a0, mhartid, a1)
        TEST_ILLEGAL(28, TRAP_M_FROM_M, csrrw x0, mhartid, x0)                /* csrw always writes */
#ifndef QEMU_REFERENCE  /* QEMU 7.2 does not count a zero mask from rs1 != x0 as a write */
        TEST_ILLEGAL(29, TRAP_M_FROM_M, csrrs a0, mhartid, a1)                /* rs1 != x0 holding 0: still a write */
        TEST_ILLEGAL(30, TRAP_M_FROM_M, csrrc a0, mhartid, a1)
#endif
        TEST_ILLEGAL(31, TRAP_M_FROM_M, csrrwi a0, mhartid, 0)                /* csrrwi always writes */
        TEST_ILLEGAL(32, TRAP_M_FROM_M, csrrsi a0, mhartid, 1)
        TEST_ILLEGAL(33, TRAP_M_FROM_M, csrrw a0, mvendorid, a1)
        TEST_ILLEGAL(34, TRAP_M_FROM_M, csrw cycle, a1)                       /* user counters are read-only */
        TEST_ILLEGAL(35, TRAP_M_FROM_M, csrw instret, a1)
        TEST_ILLEGAL(36, TRAP_M_FROM_M, csrsi time, 1)
        li gp, 37                           /* the trapping write did not change rd */
        li a0, 1234
        EXPECT_TRAP
        csrrw a0, mhartid, a1
        CHECK(s8, CAUSE_ILLEGAL)
        CHECK(a0, 1234)

/* ---- unimplemented CSRs are illegal ---- */
        TEST_ILLEGAL(38, TRAP_M_FROM_M, csrr a0, 0x600)                       /* hstatus: no H extension */
        TEST_ILLEGAL(39, TRAP_M_FROM_M, csrr a0, 0x7b0)                       /* dcsr: Debug-mode only */
        TEST_ILLEGAL(40, TRAP_M_FROM_M, csrr a0, 0x680)                       /* hgatp: no H extension */
        TEST_ILLEGAL(41, TRAP_M_FROM_M, csrr a0, 0x015)                       /* seed: no Zkr (and never by csrrs x0) */

/* ---- misa: RV64 ACIMSU, read-only ---- */
        li gp, 42
        csrr a0, misa
        li t0, ~MISA_F_D
        and a0, a0, t0                      /* (tolerate F/D, should they be added) */
        CHECK(a0, MISA_EXPECTED)
        li gp, 43
        csrr s0, misa
        csrw misa, zero                     /* ignored, no trap */
        csrr a0, misa
        CHECK_EQ(a0, s0)
        li gp, 44
        li t0, (1 << 2)
        csrc misa, t0                       /* try to turn C off: ignored */
        csrr a0, misa
        CHECK_EQ(a0, s0)

/* ---- mstatus WARL fields ---- */
#ifndef QEMU_REFERENCE  /* QEMU 7.2 lets MPP hold 2 */
        li gp, 45
        csrw mstatus, zero
        li t0, (2 << 11)                    /* MPP = 2 (reserved) */
        csrs mstatus, t0
        csrr a0, mstatus
        li t0, MSTATUS_MPP
        and a0, a0, t0
        CHECK_NE(a0, (2 << 11))
#endif
        TEST_CASE(46, a0, (1 << 11), li t0, MSTATUS_MPP; csrc mstatus, t0; li t0, (1 << 11); csrs mstatus, t0; csrr a0, mstatus; li t0, MSTATUS_MPP; and a0, a0, t0)
        TEST_CASE(47, a0, (3 << 11), li t0, MSTATUS_MPP; csrs mstatus, t0; csrr a0, mstatus; and a0, a0, t0)
        TEST_CASE(48, a0, 0, li t0, MSTATUS_MPP; csrc mstatus, t0; csrr a0, mstatus; and a0, a0, t0)
        li gp, 49                           /* the writable single bits */
        li s1, (MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_MPIE | MSTATUS_SPP | MSTATUS_MPRV | MSTATUS_SUM | MSTATUS_MXR | MSTATUS_TVM | MSTATUS_TW | MSTATUS_TSR)
        csrw mstatus, s1
        csrr a0, mstatus
        and a0, a0, s1
        CHECK_EQ(a0, s1)
        csrw mstatus, zero
        csrr a0, mstatus
        and a0, a0, s1
        CHECK(a0, 0)
        li gp, 50                           /* MIE: set and clear (no interrupt enabled in mie) */
        csrsi mstatus, MSTATUS_MIE
        csrr a0, mstatus
        andi a0, a0, MSTATUS_MIE
        csrci mstatus, MSTATUS_MIE
        CHECK(a0, MSTATUS_MIE)
        li gp, 51                           /* SXL = UXL = 2 (64-bit), whatever is written */
        csrr a0, mstatus
        li t0, (MSTATUS_SXL | MSTATUS_UXL)
        and a0, a0, t0
        CHECK(a0, (2 << 34) | (2 << 32))
        csrc mstatus, t0
        csrr a0, mstatus
        and a0, a0, t0
        CHECK(a0, (2 << 34) | (2 << 32))
        li gp, 52                           /* UBE/SBE/MBE: little-endian only */
        li t0, (1 << 6) | (1 << 36) | (1 << 37)
        csrs mstatus, t0
        csrr a0, mstatus
        and a0, a0, t0
        CHECK(a0, 0)
        csrw mstatus, zero

/* ---- sstatus: a restricted view of mstatus ---- */
        li gp, 53                           /* M-only fields are invisible in sstatus */
        li t0, (MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP | MSTATUS_MPRV | MSTATUS_TVM | MSTATUS_TW | MSTATUS_TSR)
        csrw mstatus, t0
        csrr a0, sstatus
        and a0, a0, t0
        CHECK(a0, 0)
        li gp, 54                           /* writing all ones to sstatus leaves them alone */
        csrw mstatus, zero
#ifdef QEMU_REFERENCE
        li t1, ~MSTATUS_UXL                 /* QEMU 7.2 would take UXL = 3 and break U mode */
#else
        li t1, -1
#endif
        csrw sstatus, t1
        csrr a0, mstatus
        and a0, a0, t0
        CHECK(a0, 0)
        li gp, 55                           /* ... and sets the S fields, seen in both */
        li t2, (MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_SUM | MSTATUS_MXR)
        csrr a0, mstatus
        and a0, a0, t2
        CHECK_EQ(a0, t2)
        csrr a0, sstatus
        and a0, a0, t2
        CHECK_EQ(a0, t2)
#ifndef QEMU_REFERENCE  /* QEMU 7.2 lets UXL take the reserved value 3 */
        li gp, 56                           /* sstatus.UXL still reads 2 after writing ones */
        csrr a0, sstatus
        li t0, MSTATUS_UXL
        and a0, a0, t0
        CHECK(a0, (2 << 32))
#endif
        li gp, 57                           /* mstatus writes show up in sstatus */
        csrw mstatus, zero
        csrr a0, sstatus
        and a0, a0, t2
        CHECK(a0, 0)
        csrsi mstatus, MSTATUS_SIE
        csrr a0, sstatus
        andi a0, a0, MSTATUS_SIE
        CHECK(a0, MSTATUS_SIE)
        csrw mstatus, zero

/* ---- medeleg / mideleg ---- */
        li gp, 58
        li t0, -1
        csrw medeleg, t0
        csrr a0, medeleg
#ifndef QEMU_REFERENCE  /* QEMU 7.2 lets medeleg[11] be set */
        li t1, (1 << CAUSE_ECALL_M)
        and a1, a0, t1
        CHECK(a1, 0)                        /* ecall from M cannot be delegated (priv 1.12 3.1.8) */
#endif
        li t1, (1 << CAUSE_ILLEGAL) | (1 << CAUSE_BREAKPOINT) | (1 << CAUSE_ECALL_U) | (1 << CAUSE_LOAD_PAGE_FAULT) | (1 << CAUSE_STORE_PAGE_FAULT) | (1 << CAUSE_FETCH_PAGE_FAULT)
        and a1, a0, t1
        CHECK_EQ(a1, t1)
        csrw medeleg, zero
        li gp, 59
        li t0, -1
        csrw mideleg, t0
        csrr a0, mideleg
        li t1, (MIP_SSIP | MIP_STIP | MIP_SEIP)
        and a0, a0, t1
        CHECK_EQ(a0, t1)
        csrw mideleg, zero

/* ---- sie / sip: views of mie / mip masked by mideleg ---- */
        li gp, 60
        csrw mideleg, zero
        li t0, (MIP_SSIP | MIP_STIP | MIP_SEIP)
        csrw mie, t0
        csrr a0, sie
        CHECK(a0, 0)                        /* nothing delegated: sie reads zero */
        li gp, 61
        csrw sie, zero                      /* ... and writes to it are ignored */
        csrr a0, mie
        CHECK(a0, (MIP_SSIP | MIP_STIP | MIP_SEIP))
        li gp, 62
        li t1, MIP_SSIP | MIP_STIP
        csrw mideleg, t1
        csrr a0, sie
        CHECK(a0, (MIP_SSIP | MIP_STIP))
        li gp, 63
        csrw sie, zero                      /* delegated bits of sie write mie */
        csrr a0, mie
        CHECK(a0, MIP_SEIP)
        li gp, 64
        li t0, MIP_SEIP
        csrs sie, t0                        /* SEIP is not delegated: ignored */
        csrr a0, mie
        CHECK(a0, MIP_SEIP)
        csrw mie, zero
        li gp, 65                           /* sip: SSIP visible only when delegated */
        csrw mideleg, zero
        csrsi mip, MIP_SSIP
        csrr a0, sip
        CHECK(a0, 0)
        li gp, 66
        csrw mideleg, t1
        csrr a0, sip
        andi a0, a0, MIP_SSIP
        CHECK(a0, MIP_SSIP)
        li gp, 67                           /* clearing sip.SSIP clears mip.SSIP */
        csrci sip, MIP_SSIP
        csrr a0, mip
        andi a0, a0, MIP_SSIP
        CHECK(a0, 0)
        li gp, 68                           /* setting it through sip */
        csrsi sip, MIP_SSIP
        csrr a0, mip
        andi a0, a0, MIP_SSIP
        CHECK(a0, MIP_SSIP)
        csrci mip, MIP_SSIP
        csrw mideleg, zero
        li gp, 69                           /* mip: S bits writable from M, MSIP not */
        li t0, (MIP_SSIP | MIP_STIP | MIP_SEIP | MIP_MSIP)
        csrs mip, t0
        csrr a0, mip
        and a0, a0, t0
        csrc mip, t0
        CHECK(a0, (MIP_SSIP | MIP_STIP | MIP_SEIP))
        csrr a0, mip
        and a0, a0, t0
        CHECK(a0, 0)

/* ---- mepc/sepc/mtvec/stvec/mcause/mtval WARL behaviour ---- */
#ifndef QEMU_REFERENCE  /* QEMU 7.2 keeps bit 0 of a written mepc/sepc */
        TEST_CASE(70, a0, 0x80001232, li t0, 0x80001233; csrw mepc, t0; csrr a0, mepc)    /* bit 0 reads 0 */
        TEST_CASE(71, a0, 0x80001232, li t0, 0x80001233; csrw sepc, t0; csrr a0, sepc)
        TEST_CASE(72, a0, 0xfffffffffffffffe, li t0, -1; csrw mepc, t0; csrr a0, mepc)
#endif
        li gp, 73                           /* mtvec: MODE 2 and 3 are reserved */
        csrr s2, mtvec
        la t0, vec_table
        ori t0, t0, 2
        csrw mtvec, t0
        csrr a0, mtvec
        csrw mtvec, s2
        andi a0, a0, 3
        CHECK_NE(a0, 2)
        li gp, 74                           /* vectored mode (1) sticks */
        la t0, vec_table
        ori t0, t0, 1
        csrw mtvec, t0
        csrr a0, mtvec
        csrw mtvec, s2
        CHECK_EQ(a0, t0)
        li gp, 75
        csrr s3, stvec
        la t0, vec_table
        ori t0, t0, 1
        csrw stvec, t0
        csrr a0, stvec
        csrw stvec, s3
        CHECK_EQ(a0, t0)
        TEST_CASE(76, a0, 13, csrwi mcause, 13; csrr a0, mcause)
        TEST_CASE(77, a0, 0x8000000000000005, li t0, 0x8000000000000005; csrw mcause, t0; csrr a0, mcause)
        TEST_CASE(78, a0, 0x123456789abcdef0, li t0, 0x123456789abcdef0; csrw mtval, t0; csrr a0, mtval)
        TEST_CASE(79, a0, 0x123456789abcdef1, li t0, 0x123456789abcdef1; csrw stval, t0; csrr a0, stval)
        TEST_CASE(80, a0, 0x8000000000000009, li t0, 0x8000000000000009; csrw scause, t0; csrr a0, scause)
        TEST_CASE(81, a0, 0xfedcba9876543210, li t0, 0xfedcba9876543210; csrw sscratch, t0; csrr a0, sscratch)
        TEST_NO_TRAP(82, csrr a0, menvcfg; csrr a0, senvcfg; csrr a0, mconfigptr)   /* priv 1.12 CSRs exist */

/* ---- counters in M mode ---- */
        li gp, 83                           /* a write to minstret replaces the increment */
        li t0, 1000
        csrw minstret, t0
        csrr a0, minstret
#ifndef QEMU_REFERENCE  /* QEMU 7.2 still counts the writing instruction */
        CHECK(a0, 1000)
#endif
        li gp, 84                           /* a read sees the count before the reading instruction */
        csrr a0, minstret
        csrr a1, minstret
        sub a2, a1, a0
        CHECK(a2, 1)
        li gp, 85
        csrr a0, minstret
        nop
        addi zero, zero, 1
        nop
        csrr a1, minstret
        sub a2, a1, a0
        CHECK(a2, 4)
        li gp, 86                           /* instret is the user-level alias */
        csrr a0, minstret
        csrr a1, instret
        sub a2, a1, a0
        CHECK(a2, 1)
        li gp, 87                           /* cycle counts up */
        csrr a0, mcycle
        nop
        nop
        csrr a1, mcycle
        bgtu a1, a0, 1f
        mv t5, a1
        mv t6, a0
        j fail_cmp
1:      li gp, 88
        csrr a0, mcycle
        csrr a1, cycle
        bgeu a1, a0, 2f
        mv t5, a1
        mv t6, a0
        j fail_cmp
2:
#ifndef QEMU_REFERENCE  /* QEMU's spike board has no time CSR */
        li gp, 89                           /* time advances (deterministically, with the instruction count) */
        csrr s4, time
        li t0, 200000
3:      addi t0, t0, -1
        bnez t0, 3b
        csrr a0, time
        bgtu a0, s4, 4f
        mv t5, a0
        mv t6, s4
        j fail_cmp
#endif
4:      li gp, 90                           /* mcycle is writable */
        li t0, 0x100000000
        csrw mcycle, t0
        csrr a0, mcycle
        li t1, 0x100000000
        bgeu a0, t1, 5f
        mv t5, a0
        mv t6, t1
        j fail_cmp
5:      TEST_CASE(91, a0, 7, li t0, 7; csrw mcounteren, t0; csrr a0, mcounteren; andi a0, a0, 7)
        TEST_CASE(92, a0, 7, li t0, 7; csrw scounteren, t0; csrr a0, scounteren; andi a0, a0, 7)
        TEST_CASE(93, a0, 0, csrw mcounteren, zero; csrw scounteren, zero; csrr a0, mcounteren)

/* ---- S mode: M CSRs are out of reach, S CSRs and gated counters ---- */
        csrw mcounteren, zero
        csrw scounteren, zero
        ENTER_S
        TEST_ILLEGAL(94, TRAP_M_FROM_S, csrr a0, mstatus)
        TEST_ILLEGAL(95, TRAP_M_FROM_S, csrr a0, mscratch)
        TEST_ILLEGAL(96, TRAP_M_FROM_S, csrw mtvec, zero)
        TEST_ILLEGAL(97, TRAP_M_FROM_S, csrr a0, mhartid)
        TEST_ILLEGAL(98, TRAP_M_FROM_S, csrs mie, a0)
        TEST_ILLEGAL(99, TRAP_M_FROM_S, csrr a0, pmpcfg0)
        TEST_ILLEGAL(100, TRAP_M_FROM_S, csrr a0, minstret)
        TEST_ILLEGAL(101, TRAP_M_FROM_S, csrr a0, cycle)                      /* mcounteren.CY = 0 */
        TEST_ILLEGAL(102, TRAP_M_FROM_S, csrr a0, time)                       /* mcounteren.TM = 0 */
        TEST_ILLEGAL(103, TRAP_M_FROM_S, csrr a0, instret)                    /* mcounteren.IR = 0 */
        TEST_ILLEGAL(104, TRAP_M_FROM_S, csrr a0, hpmcounter3)                /* mcounteren.HPM3 = 0 */
        TEST_CASE(105, a0, 0x2468, li t0, 0x2468; csrw sscratch, t0; csrr a0, sscratch)
        TEST_NO_TRAP(106, csrr a0, sstatus; csrr a0, sie; csrr a0, sip; csrr a0, stvec; csrr a0, scounteren; csrr a0, satp; csrr a0, sepc)
        TEST_ILLEGAL(107, TRAP_M_FROM_S, csrw cycle, zero)                    /* read-only at any privilege */
        ECALL_TO_M
        li t0, 7                            /* now allow CY, TM, IR to S (and, through scounteren, to U) */
        csrw mcounteren, t0
        ENTER_S
#ifdef QEMU_REFERENCE
        TEST_NO_TRAP(108, csrr a0, cycle; csrr a0, instret)
#else
        TEST_NO_TRAP(108, csrr a0, cycle; csrr a0, time; csrr a0, instret)
#endif
        li gp, 109                          /* instret seen from S counts too */
        csrr a0, instret
        csrr a1, instret
        sub a2, a1, a0
        CHECK(a2, 1)
        TEST_ILLEGAL(110, TRAP_M_FROM_S, csrr a0, hpmcounter3)                /* still not allowed */
        ECALL_TO_M

/* ---- U mode ---- */
        li t0, 7
        csrw mcounteren, t0
        csrw scounteren, zero
        ENTER_U
        TEST_ILLEGAL(111, TRAP_M_FROM_U, csrr a0, sstatus)                    /* S CSRs */
        TEST_ILLEGAL(112, TRAP_M_FROM_U, csrr a0, sscratch)
        TEST_ILLEGAL(113, TRAP_M_FROM_U, csrr a0, mstatus)
        TEST_ILLEGAL(114, TRAP_M_FROM_U, csrr a0, satp)
        TEST_ILLEGAL(115, TRAP_M_FROM_U, csrr a0, cycle)                      /* scounteren.CY = 0 */
        TEST_ILLEGAL(116, TRAP_M_FROM_U, csrr a0, time)
        TEST_ILLEGAL(117, TRAP_M_FROM_U, csrr a0, instret)
        ECALL_TO_M
        li t0, 7
        csrw scounteren, t0
        csrw mcounteren, zero
        ENTER_U
        TEST_ILLEGAL(118, TRAP_M_FROM_U, csrr a0, cycle)                      /* mcounteren.CY = 0 wins */
        TEST_ILLEGAL(119, TRAP_M_FROM_U, csrr a0, instret)
        ECALL_TO_M
        li t0, 5                            /* CY and IR, not TM */
        csrw mcounteren, t0
        csrw scounteren, t0
        ENTER_U
        TEST_NO_TRAP(120, csrr a0, cycle; csrr a1, instret; csrrs a2, cycle, x0)
        TEST_ILLEGAL(121, TRAP_M_FROM_U, csrr a0, time)
        TEST_ILLEGAL(122, TRAP_M_FROM_U, csrrs a0, cycle, a1)                 /* a write attempt */
        ECALL_TO_M
        csrw mcounteren, zero
        csrw scounteren, zero

TEST_END

        .align 8
vec_table:
        j fail
