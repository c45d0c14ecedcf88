/*
 * traps.S - synchronous exceptions, delegation, xRET, TSR/TW/TVM, interrupts via the
 * software-writable pending bits, vectored mtvec.
 *
 * Spec points (privileged, "Machine-Level ISA" and "Supervisor-Level ISA"):
 *  - every synchronous cause RV64IMAC can raise without paging (instruction-address-misaligned
 *    cannot happen with C): fetch access fault (1, mtval = address), illegal instruction (2,
 *    mtval = the instruction bits, right-justified, upper bits zero; 0 for the 16-bit 0x0000),
 *    breakpoint (3, mtval = 0 or the pc), load/store access faults (5/7, mtval = address),
 *    misaligned AMO (6), ecall from U/S/M (8/9/11, mtval = 0); epc = the faulting instruction.
 *  - medeleg sends exceptions from S/U to the S handler (scause/sepc/stval, SPP, SPIE <- SIE,
 *    SIE <- 0), never traps taken in M.
 *  - MRET: MIE <- MPIE, MPIE <- 1, privilege <- MPP, MPP <- U, and MPRV <- 0 if MPP != M.
 *    SRET: SIE <- SPIE, SPIE <- 1, privilege <- SPP, SPP <- U, MPRV <- 0.
 *  - SRET in U, MRET in S/U, SRET in S with TSR=1, WFI in U (S-mode is implemented), WFI in S
 *    with TW=1, satp/SFENCE.VMA in S with TVM=1: illegal instruction.
 *  - interrupt i traps to M when pending and enabled in mip/mie, not delegated, and either
 *    the hart is below M or mstatus.MIE = 1; delegated ones trap to S when in U, or in S with
 *    sstatus.SIE = 1, never in M. Evaluated right after the CSR write that enables them, so
 *    epc is the next instruction. Priority among M-destined ones: MEI, MSI, MTI, SEI, SSI,
 *    STI; interrupts to M before interrupts to S. mcause = 1 << 63 | code.
 *  - mtvec MODE=1: interrupts go to BASE + 4 * code, exceptions to BASE.
 */
#include "test.h"

TEST_BEGIN

/* ======== exceptions in M mode ======== */

/* ---- fetch access fault: jump to unmapped physical address 0 ---- */
        li gp, 1
        EXPECT_TRAP_RESUME(1f)
        li t0, 0
        jalr ra, 0(t0)
        j fail
1:      CHECK_CAUSE(CAUSE_FETCH_ACCESS)
        CHECK_FROM(TRAP_M_FROM_M)
        CHECK(s9, 0)                        /* mepc = the target */
        CHECK_TVAL(0)
        li gp, 2                            /* another unmapped address, between devices and RAM */
        EXPECT_TRAP_RESUME(2f)
        li t0, 0x40000000
        jr t0
        j fail
2:      CHECK_CAUSE(CAUSE_FETCH_ACCESS)
        CHECK(s9, 0x40000000)
        CHECK_TVAL(0x40000000)

/* ---- illegal instructions: mtval = the bits ---- */
        TEST_ILLEGAL(3, TRAP_M_FROM_M, .word 0x0000000b)                     /* custom-0 opcode */
        TEST_ILLEGAL(4, TRAP_M_FROM_M, .word 0x0200101b)                     /* slliw with shamt[5] = 1: reserved */
        TEST_ILLEGAL(5, TRAP_M_FROM_M, .word 0x00004073)                     /* SYSTEM funct3 = 4 (no H) */
        TEST_ILLEGAL(6, TRAP_M_FROM_M, .word 0xfe000033 | (1 << 12))         /* OP with an unused funct7 */
        TEST_ILLEGAL(7, TRAP_M_FROM_M, .word 0x8000202f | (3 << 27) | (0x1f << 15))  /* AMO funct5 = 0x13: unused */
        TEST_ILLEGAL(8, TRAP_M_FROM_M, .word 0xc000707b)                     /* OP-32 funct3 7 funct7 0x60 */
        TEST_ILLEGAL(9, TRAP_M_FROM_M, .word 0xffffffff & ~0x7f | 0x5b)      /* custom-2 opcode, bit 31 set */
        li gp, 10                           /* the all-zero 16-bit instruction: mtval = 0 */
        EXPECT_TRAP
3:      .half 0x0000
        .half 0x0001                        /* c.nop: execution resumes here (2 bytes on) */
        CHECK_CAUSE(CAUSE_ILLEGAL)
        CHECK_EPC(3b)
        CHECK_TVAL(0)
        li gp, 11                           /* a zero word: its first half is that instruction */
        EXPECT_TRAP_RESUME(5f)
4:      .word 0
5:      CHECK_CAUSE(CAUSE_ILLEGAL)
        CHECK_EPC(4b)
        CHECK_TVAL(0)
        TEST_ILLEGAL(12, TRAP_M_FROM_M, csrw cycle, zero)                    /* bit 31 set: mtval zero-extended */

/* ---- breakpoints ---- */
        TEST_TRAP(13, CAUSE_BREAKPOINT, TRAP_M_FROM_M, ebreak)
        beqz s10, 6f                        /* mtval: 0 or the address of the ebreak */
        CHECK_EPC_REG(s10)
6:      .option push
        .option rvc
        TEST_TRAP(14, CAUSE_BREAKPOINT, TRAP_M_FROM_M, c.ebreak)
        .option pop
        beqz s10, 7f
        CHECK_EPC_REG(s10)
7:

/* ---- load / store access faults at unmapped addresses ---- */
        TEST_TRAP_TVAL(15, CAUSE_LOAD_ACCESS, TRAP_M_FROM_M, 0, ld a0, 0(zero))
        TEST_TRAP_TVAL(16, CAUSE_LOAD_ACCESS, TRAP_M_FROM_M, 8, lb a0, 8(zero))
        TEST_TRAP_TVAL(17, CAUSE_STORE_ACCESS, TRAP_M_FROM_M, 0x10, sd a0, 0x10(zero))
        TEST_TRAP_TVAL(18, CAUSE_STORE_ACCESS, TRAP_M_FROM_M, 0x7ff, sb a0, 0x7ff(zero))
        li t0, 0x40000000
        TEST_TRAP_TVAL(19, CAUSE_LOAD_ACCESS, TRAP_M_FROM_M, 0x40000008, lw a0, 8(t0))
        TEST_TRAP_TVAL(20, CAUSE_STORE_ACCESS, TRAP_M_FROM_M, 0x40000008, sw a0, 8(t0))
        li gp, 21                           /* a faulting load does not write rd */
        li a0, 1234
        EXPECT_TRAP
        ld a0, 0(zero)
        CHECK(a0, 1234)

/* ---- misaligned AMO ---- */
        la t0, scratch
        addi t0, t0, 4
        TEST_TRAP_TVAL_REG(22, CAUSE_AMO_MISALIGNED, TRAP_M_FROM_M, t0, amoadd.d a0, a1, (t0))

/* ---- ecall from M: cause 11, mepc at the ecall, mtval 0 ---- */
        li a7, 0
        TEST_TRAP_TVAL(23, CAUSE_ECALL_M, TRAP_M_FROM_M, 0, ecall)
        li gp, 24                           /* the trap left M mode state as the spec says */
        li t0, MSTATUS_MIE
        csrs mstatus, t0                    /* MIE=1 before the trap ... */
        EXPECT_TRAP
        ecall
        csrr a0, mstatus                    /* after the handler's mret: MIE = MPIE (= old MIE) */
        andi a0, a0, MSTATUS_MIE
        CHECK(a0, MSTATUS_MIE)
        csrc mstatus, t0

/* ======== exceptions from U and S mode, handled in M ======== */
        ENTER_U
        li a7, 0
        TEST_TRAP_TVAL(25, CAUSE_ECALL_U, TRAP_M_FROM_U, 0, ecall)
        TEST_TRAP(26, CAUSE_BREAKPOINT, TRAP_M_FROM_U, ebreak)
        TEST_ILLEGAL(27, TRAP_M_FROM_U, sret)                                /* SRET in U */
        TEST_ILLEGAL(28, TRAP_M_FROM_U, mret)                                /* MRET in U */
        TEST_ILLEGAL(29, TRAP_M_FROM_U, wfi)                                 /* WFI in U */
        TEST_ILLEGAL(30, TRAP_M_FROM_U, sfence.vma)
        TEST_TRAP_TVAL(31, CAUSE_LOAD_ACCESS, TRAP_M_FROM_U, 0, ld a0, 0(zero))
        TEST_TRAP_TVAL(32, CAUSE_STORE_ACCESS, TRAP_M_FROM_U, 0, sd a0, 0(zero))
        li gp, 33
        EXPECT_TRAP_RESUME(8f)
        jalr zero, 0(zero)
8:      CHECK_CAUSE(CAUSE_FETCH_ACCESS)
        CHECK_FROM(TRAP_M_FROM_U)
        CHECK(s9, 0)
        ECALL_TO_M

        ENTER_S
        li a7, 0
        TEST_TRAP_TVAL(34, CAUSE_ECALL_S, TRAP_M_FROM_S, 0, ecall)
        TEST_TRAP(35, CAUSE_BREAKPOINT, TRAP_M_FROM_S, ebreak)
        TEST_ILLEGAL(36, TRAP_M_FROM_S, mret)                                /* MRET in S */
        TEST_TRAP_TVAL(37, CAUSE_LOAD_ACCESS, TRAP_M_FROM_S, 0, lw a0, 0(zero))
        ECALL_TO_M

/* ---- TSR, TW, TVM ---- */
        li t0, MSTATUS_TSR
        csrs mstatus, t0
        ENTER_S
        TEST_ILLEGAL(38, TRAP_M_FROM_S, sret)                                /* SRET in S with TSR */
        ECALL_TO_M
        li t0, MSTATUS_TSR
        csrc mstatus, t0
        li t0, MSTATUS_TW
        csrs mstatus, t0
        csrw mip, zero                      /* nothing pending: WFI cannot complete */
        ENTER_S
        TEST_ILLEGAL(39, TRAP_M_FROM_S, wfi)                                 /* WFI in S with TW */
        ECALL_TO_M
        li t0, MSTATUS_TW
        csrc mstatus, t0
        li t0, MSTATUS_TVM
        csrs mstatus, t0
        ENTER_S
        TEST_ILLEGAL(40, TRAP_M_FROM_S, csrr a0, satp)                       /* satp in S with TVM */
        TEST_ILLEGAL(41, TRAP_M_FROM_S, csrw satp, zero)
        TEST_ILLEGAL(42, TRAP_M_FROM_S, sfence.vma)
        TEST_ILLEGAL(43, TRAP_M_FROM_S, sfence.vma a0, a1)
        ECALL_TO_M
        TEST_NO_TRAP(44, csrr a0, satp; sfence.vma)                          /* TVM does not affect M */
        li t0, MSTATUS_TVM
        csrc mstatus, t0
        ENTER_S
        TEST_NO_TRAP(45, csrr a0, satp; sfence.vma; sfence.vma a0, zero)
        ECALL_TO_M

/* ---- WFI in S with TW = 0 and an enabled interrupt pending completes (no trap) ---- */
        csrwi mideleg, MIP_SSIP
        csrwi mie, MIP_SSIP
        csrsi mip, MIP_SSIP                 /* delegated, enabled in mie, but sstatus.SIE = 0 */
        csrci mstatus, MSTATUS_SIE
        ENTER_S
        TEST_NO_TRAP(46, wfi)
        ECALL_TO_M
        csrci mip, MIP_SSIP
        csrw mie, zero
        csrw mideleg, zero
        TEST_NO_TRAP(47, li t0, MIP_SSIP; csrw mie, t0; csrs mip, t0; wfi; csrc mip, t0; csrw mie, zero)  /* WFI in M */

/* ======== delegation to S ======== */
        li t0, (1 << CAUSE_ILLEGAL) | (1 << CAUSE_ECALL_U) | (1 << CAUSE_BREAKPOINT) | (1 << CAUSE_LOAD_ACCESS)
        csrw medeleg, t0
        ENTER_U
        li a7, 0
        TEST_TRAP_TVAL(48, CAUSE_ECALL_U, TRAP_S_FROM_U, 0, ecall)
        TEST_ILLEGAL(49, TRAP_S_FROM_U, csrr a0, sstatus)                    /* stval = bits */
        TEST_TRAP(50, CAUSE_BREAKPOINT, TRAP_S_FROM_U, ebreak)
        TEST_TRAP_TVAL(51, CAUSE_LOAD_ACCESS, TRAP_S_FROM_U, 8, ld a0, 8(zero))  /* stval = address */
        TEST_TRAP_TVAL(52, CAUSE_STORE_ACCESS, TRAP_M_FROM_U, 8, sd a0, 8(zero)) /* not delegated: M */
        ECALL_TO_M                          /* (delegated ecall: the S handler forwards it) */
        ENTER_S
        TEST_ILLEGAL(53, TRAP_S_FROM_S, mret)                                /* S to S */
        TEST_TRAP_TVAL(54, CAUSE_LOAD_ACCESS, TRAP_S_FROM_S, 0, ld a0, 0(zero))
        li a7, 0
        TEST_TRAP(55, CAUSE_ECALL_S, TRAP_M_FROM_S, ecall)                   /* 9 not delegated */
        ECALL_TO_M
        TEST_ILLEGAL(56, TRAP_M_FROM_M, .word 0x0000000b)                    /* M traps are never delegated */
        TEST_TRAP_TVAL(57, CAUSE_LOAD_ACCESS, TRAP_M_FROM_M, 0, ld a0, 0(zero))
        li gp, 58                           /* scause/sepc as S sees them */
        ENTER_S
        EXPECT_TRAP
20:     ebreak
        CHECK_CAUSE(CAUSE_BREAKPOINT)
        CHECK_FROM(TRAP_S_FROM_S)
        CHECK_EPC(20b)
        csrr a0, scause
        CHECK(a0, CAUSE_BREAKPOINT)
        ECALL_TO_M
        li gp, 59                           /* SPP, SPIE and SIE on a delegated trap from S */
        li t0, MSTATUS_SPP | MSTATUS_SPIE
        csrc mstatus, t0
        csrsi mstatus, MSTATUS_SIE          /* SIE = 1 (no S interrupt can be pending: mie = 0) */
        ENTER_S
        EXPECT_TRAP
        ebreak                              /* to S: SPP <- 1, SPIE <- 1 (old SIE), SIE <- 0 */
        csrr a0, sstatus                    /* (the handler's sret: SIE <- SPIE = 1, SPIE <- 1, SPP <- U) */
        ECALL_TO_M
        CHECK(s11, TRAP_M_FROM_S)           /* (the ECALL_TO_M) */
        andi a1, a0, MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP
        CHECK(a1, MSTATUS_SIE | MSTATUS_SPIE)
        li gp, 60                           /* and read them inside the S handler: use a private one */
        la t0, s_probe_handler
        csrw stvec, t0
        csrsi mstatus, MSTATUS_SIE
        ENTER_S
        ebreak                              /* s_probe_handler: a0 = sstatus at entry, back after */
        ECALL_TO_M
        la t0, trap_vector_s
        csrw stvec, t0
        andi a1, a0, MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP
        CHECK(a1, MSTATUS_SPIE | MSTATUS_SPP)
        csrci mstatus, MSTATUS_SIE
        csrw medeleg, zero

/* ======== MRET / SRET ======== */
        li gp, 61                           /* MRET to M: MIE <- MPIE, MPIE <- 1, MPP <- U */
        li t0, MSTATUS_MIE | MSTATUS_MPP
        csrc mstatus, t0
        li t0, MSTATUS_MPIE | MSTATUS_MPP   /* MPP = M, MPIE = 1, MIE = 0 */
        csrs mstatus, t0
        la t0, 9f
        csrw mepc, t0
        mret
        j fail
9:      csrr a0, mstatus
        li t0, MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP
        and a0, a0, t0
        CHECK(a0, MSTATUS_MIE | MSTATUS_MPIE)
        csrci mstatus, MSTATUS_MIE
        li gp, 62                           /* MPIE = 0 gives MIE = 0 */
        li t0, MSTATUS_MPIE
        csrc mstatus, t0
        li t0, MSTATUS_MPP
        csrs mstatus, t0
        csrsi mstatus, MSTATUS_MIE
        la t0, 10f
        csrw mepc, t0
        mret
10:     csrr a0, mstatus
        li t0, MSTATUS_MIE | MSTATUS_MPIE
        and a0, a0, t0
        CHECK(a0, MSTATUS_MPIE)
#ifndef QEMU_REFERENCE  /* QEMU 7.2 predates this priv 1.12 rule */
        li gp, 63                           /* MRET to S clears MPRV */
        li t0, MSTATUS_MPRV
        csrs mstatus, t0
        ENTER_S
        ECALL_TO_M
        csrr a0, mstatus
        li t0, MSTATUS_MPRV
        and a0, a0, t0
        CHECK(a0, 0)
#endif
        li gp, 64                           /* MRET to M keeps MPRV */
        li t0, MSTATUS_MPRV | MSTATUS_MPP
        csrs mstatus, t0                    /* MPP = M: MPRV has no effect in M yet */
        la t0, 11f
        csrw mepc, t0
        mret
11:     csrr a0, mstatus
        li t0, MSTATUS_MPRV
        and a1, a0, t0
        csrc mstatus, t0
        CHECK(a1, MSTATUS_MPRV)
        li gp, 65                           /* MRET lands in the mode MPP named: check via ecall cause */
        li a7, 0
        ENTER_U
        EXPECT_TRAP
        ecall
        CHECK_CAUSE(CAUSE_ECALL_U)
        ECALL_TO_M
        li gp, 66                           /* SRET in S: SIE <- SPIE, SPIE <- 1, SPP <- U, to SPP */
        ENTER_S
        li t0, MSTATUS_SIE
        csrc sstatus, t0
        li t0, MSTATUS_SPIE | MSTATUS_SPP   /* SPP = S */
        csrs sstatus, t0
        la t0, 12f
        csrw sepc, t0
        sret
        j fail
12:     csrr a0, sstatus
        li a7, 0
        EXPECT_TRAP
        ecall                               /* still in S? */
        CHECK(s8, CAUSE_ECALL_S)
        ECALL_TO_M
        csrci mstatus, MSTATUS_SIE
        andi a0, a0, MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP
        CHECK(a0, MSTATUS_SIE | MSTATUS_SPIE)
        li gp, 67                           /* SRET from S to U */
        ENTER_S
        li t0, MSTATUS_SPP
        csrc sstatus, t0
        la t0, 13f
        csrw sepc, t0
        sret
13:     li a7, 0
        EXPECT_TRAP
        ecall
        CHECK_CAUSE(CAUSE_ECALL_U)
        ECALL_TO_M
        li gp, 68                           /* SRET executed in M mode: goes to SPP, clears MPRV */
        li t0, MSTATUS_SPP | MSTATUS_MPRV
        csrs mstatus, t0
        la t0, 14f
        csrw sepc, t0
        sret
14:     li a7, 0
        EXPECT_TRAP
        ecall
        CHECK_CAUSE(CAUSE_ECALL_S)
        ECALL_TO_M
#ifndef QEMU_REFERENCE  /* QEMU 7.2 predates this priv 1.12 rule */
        csrr a0, mstatus
        li t0, MSTATUS_MPRV
        and a0, a0, t0
        CHECK(a0, 0)
#endif
        li t0, MSTATUS_MPRV
        csrc mstatus, t0

/* ======== interrupts from the software-writable pending bits ======== */

/* ---- SSIP, not delegated, taken in M when MIE = 1 ---- */
        li gp, 69
        csrw mideleg, zero
        csrwi mie, MIP_SSIP
        csrwi mip, MIP_SSIP                 /* pending + enabled, but MIE = 0 in M: not taken */
        nop
        nop
        csrr a0, mip
        andi a0, a0, MIP_SSIP
        CHECK(a0, MIP_SSIP)                 /* (still pending, nothing taken) */
        li gp, 70
        EXPECT_TRAP
        csrsi mstatus, MSTATUS_MIE          /* taken right after this write */
15:     nop
        csrci mstatus, MSTATUS_MIE
        CHECK_CAUSE(INTR | IRQ_S_SOFT)
        CHECK_EPC(15b)
        CHECK_FROM(TRAP_M_FROM_M)
        csrr a0, mip                        /* (acknowledged by the handler) */
        andi a0, a0, MIP_SSIP
        CHECK(a0, 0)
        li gp, 71                           /* mstatus after the interrupt trap and mret */
        csrr a0, mstatus
        andi a0, a0, MSTATUS_MIE
        CHECK(a0, 0)                        /* we cleared it ourselves after the return */

/* ---- an M-destined interrupt is taken in S and U even with MIE = 0 ---- */
        li gp, 72
        csrci mstatus, MSTATUS_MIE
        csrwi mie, MIP_SSIP
        csrwi mip, MIP_SSIP
        EXPECT_TRAP
        ENTER_S
16:     nop
        CHECK_CAUSE(INTR | IRQ_S_SOFT)
        CHECK_EPC(16b)                      /* taken at the first S instruction */
        CHECK_FROM(TRAP_M_FROM_S)
        ECALL_TO_M                          /* (ECALL_TO_M overwrites s8..s11: check before) */
        li gp, 73
        csrwi mie, MIP_SSIP
        csrwi mip, MIP_SSIP
        EXPECT_TRAP
        ENTER_U
17:     nop
        CHECK_CAUSE(INTR | IRQ_S_SOFT)
        CHECK_EPC(17b)
        CHECK_FROM(TRAP_M_FROM_U)
        ECALL_TO_M

/* ---- priority: SSI before STI ---- */
        li gp, 74
        li t0, MIP_SSIP | MIP_STIP
        csrw mie, t0
        csrw mip, t0
        EXPECT_TRAP
        csrsi mstatus, MSTATUS_MIE
        csrci mstatus, MSTATUS_MIE
        CHECK_CAUSE(INTR | IRQ_S_SOFT)
        csrr a0, mip                        /* STIP still pending */
        andi a0, a0, MIP_STIP
        CHECK(a0, MIP_STIP)
        li gp, 75
        li t0, MIP_STIP
        csrw mie, t0
        EXPECT_TRAP
        csrsi mstatus, MSTATUS_MIE
        csrci mstatus, MSTATUS_MIE
        CHECK_CAUSE(INTR | IRQ_S_TIMER)
#ifndef QEMU_REFERENCE  /* QEMU 7.2 takes SSI first here */
        li gp, 76                           /* SEI before SSI */
        li t0, MIP_SSIP | MIP_SEIP
        csrw mie, t0
        csrw mip, t0
        EXPECT_TRAP
        csrsi mstatus, MSTATUS_MIE
        csrci mstatus, MSTATUS_MIE
        CHECK_CAUSE(INTR | IRQ_S_EXT)
#endif
        csrw mip, zero

/* ---- delegated interrupts: never in M, in S with SIE, in U always ---- */
        li gp, 77
        csrwi mideleg, MIP_SSIP
        csrwi mie, MIP_SSIP
        csrwi mip, MIP_SSIP
        EXPECT_TRAP
        csrsi mstatus, MSTATUS_MIE | MSTATUS_SIE   /* in M: a delegated interrupt is not taken */
        nop
        csrci mstatus, MSTATUS_MIE | MSTATUS_SIE
        CHECK_NO_TRAP
        li gp, 78                           /* in S with SIE = 0: not taken */
        EXPECT_TRAP
        ENTER_S
        nop
        nop
        CHECK_NO_TRAP
        li gp, 79                           /* ... and taken when S sets SIE */
        EXPECT_TRAP
        csrsi sstatus, MSTATUS_SIE
18:     nop
        csrci sstatus, MSTATUS_SIE
        CHECK_CAUSE(INTR | IRQ_S_SOFT)
        CHECK_EPC(18b)
        CHECK_FROM(TRAP_S_FROM_S)
        csrr a0, scause
        CHECK(a0, INTR | IRQ_S_SOFT)
        ECALL_TO_M
        li gp, 80                           /* in U: taken to S whatever SIE is */
        csrci mstatus, MSTATUS_SIE
        csrwi mie, MIP_SSIP
        csrwi mip, MIP_SSIP
        EXPECT_TRAP
        ENTER_U
19:     nop
        CHECK_CAUSE(INTR | IRQ_S_SOFT)
        CHECK_EPC(19b)
        CHECK_FROM(TRAP_S_FROM_U)
        ECALL_TO_M
        li gp, 81                           /* M-destined (STI) before S-destined (SSI), in S */
        csrwi mideleg, MIP_SSIP
        li t0, MIP_SSIP | MIP_STIP
        csrw mie, t0
        csrw mip, t0
        csrsi mstatus, MSTATUS_SIE
        EXPECT_TRAP
        ENTER_S
        nop
        CHECK_CAUSE(INTR | IRQ_S_TIMER)
        CHECK_FROM(TRAP_M_FROM_S)
        ECALL_TO_M
        csrci mstatus, MSTATUS_SIE
        csrw mip, zero
        csrw mie, zero
        csrw mideleg, zero

/* ======== vectored mtvec ======== */
        li gp, 82
        la t0, vectors
        ori t0, t0, 1
        csrw mtvec, t0
        li s7, -1
        csrwi mie, MIP_SSIP
        csrwi mip, MIP_SSIP
        EXPECT_TRAP
        csrsi mstatus, MSTATUS_MIE
        csrci mstatus, MSTATUS_MIE
        CHECK(s7, 1)                        /* entered at BASE + 4 * 1 */
        CHECK_CAUSE(INTR | IRQ_S_SOFT)
        li gp, 83
        li s7, -1
        li t0, MIP_STIP
        csrw mie, t0
        csrw mip, t0
        EXPECT_TRAP
        csrsi mstatus, MSTATUS_MIE
        csrci mstatus, MSTATUS_MIE
        CHECK(s7, 5)                        /* BASE + 4 * 5 */
        li gp, 84                           /* exceptions go to BASE */
        li s7, -1
        EXPECT_TRAP
        ebreak
        CHECK(s7, 0)
        CHECK_CAUSE(CAUSE_BREAKPOINT)
        li gp, 85                           /* ecall too (cause 11 is not an interrupt) */
        li s7, -1
        li a7, 0
        EXPECT_TRAP
        ecall
        CHECK(s7, 0)
        la t0, trap_vector_m
        csrw mtvec, t0
        csrw mip, zero
        csrw mie, zero

TEST_END

/* S handler that returns sstatus as seen at entry in a0 and skips the (4-byte) instruction */
        .align 4
s_probe_handler:
        csrr a0, sstatus
        csrr t6, sepc
        addi t6, t6, 4
        csrw sepc, t6
        sret

/* Vectored mtvec table: entry k sets s7 = k and goes on in the framework's handler. */
        .align 8
vectors:
        j vec0
        j vec1
        j fail
        j fail
        j fail
        j vec5
        j fail
        j fail
        j fail
        j vec9
        j fail
        j fail
vec0:   li s7, 0
        j trap_vector_m
vec1:   li s7, 1
        j trap_vector_m
vec5:   li s7, 5
        j trap_vector_m
vec9:   li s7, 9
        j trap_vector_m

        .data
        .align 4
scratch:
        .dword 0, 0
