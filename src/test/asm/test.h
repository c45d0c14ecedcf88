/*
 * test.h - Sublet's bare-metal ISA test framework (include once, first thing in a test).
 *
 * A test program is
 *
 *     #include "test.h"
 *     TEST_BEGIN
 *         TEST_CASE(1, a0, 42, li a1, 40; addi a0, a1, 2)
 *         ...
 *     TEST_END
 *
 * and is run with `sublet exec prog.elf`: it passes when it writes 1 to `tohost`, and fails
 * with test number n by writing (n << 1) | 1.
 *
 * Register conventions (the framework's, tests must respect them):
 *   gp (x3)          number of the current test case (what FAIL reports; 0 is never used)
 *   t5, t6 (x30,31)  scratch of the check macros and of the trap handlers: clobbered at any time
 *   s8  (x24)        after a trap that was expected: the cause (mcause or scause)
 *   s9  (x25)        ... the epc                   (mepc or sepc)
 *   s10 (x26)        ... the tval                  (mtval or stval)
 *   s11 (x27)        ... who handled it, from where: TRAP_M_FROM_{U,S,M} / TRAP_S_FROM_{U,S}
 *   a6, a7           clobbered by ECALL_TO_M (a7 carries the framework's magic numbers)
 *   sp               set to a small stack at start-up; used only by the M-mode reporting code
 *
 * Traps. The M-mode vector (mtvec, direct) and the S-mode vector (stvec) installed at start-up
 * fail the test, printing cause/epc/tval on the console, on any trap that was not announced
 * with EXPECT_TRAP. After EXPECT_TRAP the next trap is recorded in s8..s11 and execution
 * resumes in the mode that trapped, after the trapping instruction (its length is read from
 * memory at epc, so 2- and 4-byte instructions both work), or at the label given to
 * EXPECT_TRAP_RESUME (needed when epc is not readable, e.g. a fetch fault). An expected
 * interrupt resumes at epc itself; the handler acknowledges it by clearing its bit in
 * mip (sip) and all of mie (sie), so it cannot be taken again.
 *
 * Privilege changes: ENTER_S / ENTER_U (from M) continue at the next instruction in S / U mode;
 * ECALL_TO_M (from any mode) continues at the next instruction in M mode, with mstatus.MIE = 0. The code must be
 * identity mapped (the MMU tests map the whole image at its physical address).
 *
 * Page tables: pt_map (see PT_MAP*) builds Sv39/Sv48/Sv57 tables at run time in M mode from a
 * pool of zeroed 4 KiB pages.
 */
#ifndef SUBLET_TEST_H
#define SUBLET_TEST_H

        .option norvc           /* tests choose their encodings; rv64c.S switches C on explicitly */
        .option norelax

/* ---------------------------------------------------------------------------------------- */
/* Architectural constants                                                                   */
/* ---------------------------------------------------------------------------------------- */

#define PRV_U 0
#define PRV_S 1
#define PRV_M 3

#define MSTATUS_SIE   (1 << 1)
#define MSTATUS_MIE   (1 << 3)
#define MSTATUS_SPIE  (1 << 5)
#define MSTATUS_UBE   (1 << 6)
#define MSTATUS_MPIE  (1 << 7)
#define MSTATUS_SPP   (1 << 8)
#define MSTATUS_MPP   (3 << 11)
#define MSTATUS_MPP_S (1 << 11)
#define MSTATUS_FS    (3 << 13)
#define MSTATUS_XS    (3 << 15)
#define MSTATUS_MPRV  (1 << 17)
#define MSTATUS_SUM   (1 << 18)
#define MSTATUS_MXR   (1 << 19)
#define MSTATUS_TVM   (1 << 20)
#define MSTATUS_TW    (1 << 21)
#define MSTATUS_TSR   (1 << 22)
#define MSTATUS_UXL   (3 << 32)
#define MSTATUS_SXL   (3 << 34)
#define MSTATUS_SD    (1 << 63)

#define CAUSE_FETCH_MISALIGNED  0
#define CAUSE_FETCH_ACCESS      1
#define CAUSE_ILLEGAL           2
#define CAUSE_BREAKPOINT        3
#define CAUSE_LOAD_MISALIGNED   4
#define CAUSE_LOAD_ACCESS       5
#define CAUSE_STORE_MISALIGNED  6
#define CAUSE_STORE_ACCESS      7
#define CAUSE_ECALL_U           8
#define CAUSE_ECALL_S           9
#define CAUSE_ECALL_M           11
#define CAUSE_FETCH_PAGE_FAULT  12
#define CAUSE_LOAD_PAGE_FAULT   13
#define CAUSE_STORE_PAGE_FAULT  15

/* AMOs fault as stores ("Store/AMO address misaligned", "Store/AMO access fault").
 * QEMU 7.2, used to cross-check these programs (make check-qemu), reports them as loads. */
#ifdef QEMU_REFERENCE
#define CAUSE_AMO_MISALIGNED    CAUSE_LOAD_MISALIGNED
#define CAUSE_AMO_ACCESS        CAUSE_LOAD_ACCESS
#else
#define CAUSE_AMO_MISALIGNED    CAUSE_STORE_MISALIGNED
#define CAUSE_AMO_ACCESS        CAUSE_STORE_ACCESS
#endif

#define INTR                    (1 << 63)
#define IRQ_S_SOFT              1
#define IRQ_M_SOFT              3
#define IRQ_S_TIMER             5
#define IRQ_M_TIMER             7
#define IRQ_S_EXT               9
#define IRQ_M_EXT               11
#define MIP_SSIP                (1 << IRQ_S_SOFT)
#define MIP_MSIP                (1 << IRQ_M_SOFT)
#define MIP_STIP                (1 << IRQ_S_TIMER)
#define MIP_MTIP                (1 << IRQ_M_TIMER)
#define MIP_SEIP                (1 << IRQ_S_EXT)
#define MIP_MEIP                (1 << IRQ_M_EXT)

/* s11 after an expected trap: handler level << 4 | privilege the trap came from */
#define TRAP_M_FROM_U 0x30
#define TRAP_M_FROM_S 0x31
#define TRAP_M_FROM_M 0x33
#define TRAP_S_FROM_U 0x10
#define TRAP_S_FROM_S 0x11

#define PTE_V (1 << 0)
#define PTE_R (1 << 1)
#define PTE_W (1 << 2)
#define PTE_X (1 << 3)
#define PTE_U (1 << 4)
#define PTE_G (1 << 5)
#define PTE_A (1 << 6)
#define PTE_D (1 << 7)

#define SATP_MODE_SV39 8
#define SATP_MODE_SV48 9
#define SATP_MODE_SV57 10

#define PMP_R     0x01
#define PMP_W     0x02
#define PMP_X     0x04
#define PMP_OFF   0x00
#define PMP_TOR   0x08
#define PMP_NA4   0x10
#define PMP_NAPOT 0x18
#define PMP_L     0x80

/* HTIF: device 1 (console), command 1 (put byte) */
#define HTIF_PUTC (((1) << 56) | ((1) << 48))

/* Magic values in a7 that talk to the framework's trap handlers. */
#define MAGIC_RET     0x5b1e7001  /* ecall: continue after the ecall, in M mode */
#define MAGIC_RET_AT  0x5b1e7002  /* ecall (from the S handler): continue at a6, in M mode */
#define MAGIC_FAIL    0x5b1e7003  /* ecall: the test failed (number in gp) */
#define MAGIC_SFAIL   0x5b1e7004  /* ecall (from the S handler): unexpected S-mode trap in s8..s10 */
#define MAGIC_REPORT  0x5b1e7005  /* ecall (KEEP_GOING): print the failed check, continue after the ecall */

/* ---------------------------------------------------------------------------------------- */
/* Checks                                                                                    */
/* ---------------------------------------------------------------------------------------- */

/* Where a failed check goes. Built with -DKEEP_GOING (debugging aid, e.g.
 * `make OUT=/tmp/kg EXTRA_FLAGS=-DKEEP_GOING`), a failed check is reported on the console and the
 * program goes on; it still fails at the end, with the first failed case. That mode also
 * clobbers t4 and a7 on a failure. */
#ifdef KEEP_GOING
#define FAIL_JUMP jal t4, fail_cmp_keep_going
#else
#define FAIL_JUMP j fail_cmp
#endif

/* Fail the current test unless reg == expected (any 64-bit constant). Clobbers t5, t6. */
#define CHECK(reg, expected) \
        li t6, expected; \
        beq reg, t6, 9020f; \
        mv t5, reg; \
        FAIL_JUMP; \
9020:

/* Fail unless reg1 == reg2 (reg1 must not be t6). Clobbers t5, t6. */
#define CHECK_EQ(reg1, reg2) \
        beq reg1, reg2, 9021f; \
        mv t6, reg2; \
        mv t5, reg1; \
        FAIL_JUMP; \
9021:

/* Fail unless reg != value. */
#define CHECK_NE(reg, value) \
        li t6, value; \
        bne reg, t6, 9022f; \
        mv t5, reg; \
        FAIL_JUMP; \
9022:

/* Test case n: run code, then reg must equal expected. */
#define TEST_CASE(n, reg, expected, code...) \
        li gp, n; \
        code; \
        CHECK(reg, expected)

/* rd = op(rs1, rs2) with a0 = op(a1 = v1, a2 = v2). */
#define TEST_RR(n, op, expected, v1, v2) \
        TEST_CASE(n, a0, expected, li a1, v1; li a2, v2; op a0, a1, a2)

/* a0 = op(a1 = v1, imm) */
#define TEST_RI(n, op, expected, v1, imm) \
        TEST_CASE(n, a0, expected, li a1, v1; op a0, a1, imm)

#define FAIL  j fail
#define PASS  j pass

/* ---------------------------------------------------------------------------------------- */
/* Expected traps                                                                            */
/* ---------------------------------------------------------------------------------------- */

/* The next trap is expected: record it in s8..s11 and resume after the trapping instruction. */
#define EXPECT_TRAP \
        la t6, trap_expected; \
        li t5, 1; \
        sd t5, 0(t6); \
        sd zero, 8(t6); \
        li s8, -1; li s9, -1; li s10, -1; li s11, -1

/* The next trap is expected; resume at label (in the mode that trapped). */
#define EXPECT_TRAP_RESUME(label) \
        EXPECT_TRAP; \
        la t5, label; \
        sd t5, 8(t6)

/* No trap is expected any more (after a case where the expected trap must not happen). */
#define EXPECT_NO_TRAP \
        la t6, trap_expected; \
        sd zero, 0(t6); \
        sd zero, 8(t6)

#define CHECK_CAUSE(cause)      CHECK(s8, cause)
#define CHECK_FROM(from)        CHECK(s11, from)
#define CHECK_TVAL(v)           CHECK(s10, v)
#define CHECK_TVAL_REG(r)       CHECK_EQ(s10, r)
#define CHECK_EPC_REG(r)        CHECK_EQ(s9, r)
#define CHECK_EPC(label)        la t6, label; CHECK_EQ(s9, t6)
#define CHECK_TVAL_LABEL(label) la t6, label; CHECK_EQ(s10, t6)
/* tval must be the 32-bit instruction at label */
#define CHECK_TVAL_INSN(label)  la t6, label; lwu t6, 0(t6); CHECK_EQ(s10, t6)
/* tval must be the 16-bit instruction at label */
#define CHECK_TVAL_INSN16(label) la t6, label; lhu t6, 0(t6); CHECK_EQ(s10, t6)
/* nothing trapped since EXPECT_TRAP */
#define CHECK_NO_TRAP           CHECK(s8, -1); EXPECT_NO_TRAP

/* Test n: the single instruction insn must trap with cause, taken by/from `from`;
 * epc must point at insn. tval is not checked. */
#define TEST_TRAP(n, cause, from, insn...) \
        li gp, n; \
        EXPECT_TRAP; \
9030:   insn; \
        CHECK_CAUSE(cause); \
        CHECK_FROM(from); \
        CHECK_EPC(9030b)

/* ... and tval must equal the constant tval */
#define TEST_TRAP_TVAL(n, cause, from, tval, insn...) \
        TEST_TRAP(n, cause, from, insn); \
        CHECK_TVAL(tval)

/* ... and tval must equal the register treg */
#define TEST_TRAP_TVAL_REG(n, cause, from, treg, insn...) \
        TEST_TRAP(n, cause, from, insn); \
        CHECK_TVAL_REG(treg)

/* insn (32 bits) must raise an illegal-instruction exception with tval = its encoding */
#define TEST_ILLEGAL(n, from, insn...) \
        TEST_TRAP(n, CAUSE_ILLEGAL, from, insn); \
        CHECK_TVAL_INSN(9030b)

/* insn must not trap at all */
#define TEST_NO_TRAP(n, insn...) \
        li gp, n; \
        EXPECT_TRAP; \
        insn; \
        CHECK_NO_TRAP

/* ---------------------------------------------------------------------------------------- */
/* Privilege changes                                                                         */
/* ---------------------------------------------------------------------------------------- */

#define SET_MPP(m) \
        li t6, MSTATUS_MPP; \
        csrc mstatus, t6; \
        li t6, ((m) << 11); \
        csrs mstatus, t6

/* From M: mret to label in mode m */
#define GOTO_MODE(m, label) \
        SET_MPP(m); \
        la t6, label; \
        csrw mepc, t6; \
        mret

#define GOTO_S(label) GOTO_MODE(PRV_S, label)
#define GOTO_U(label) GOTO_MODE(PRV_U, label)
/* From M: continue with the next instruction in S / U mode */
#define ENTER_S GOTO_S(9040f); 9040:
#define ENTER_U GOTO_U(9041f); 9041:
/* From S: continue with the next instruction in U mode (sret) */
#define S_ENTER_U \
        li t6, MSTATUS_SPP; \
        csrc sstatus, t6; \
        la t6, 9042f; \
        csrw sepc, t6; \
        sret; \
9042:
/* From any mode: continue with the next instruction in M mode */
#define ECALL_TO_M \
        li a7, MAGIC_RET; \
        ecall

/* ---------------------------------------------------------------------------------------- */
/* Page tables (M mode)                                                                      */
/* ---------------------------------------------------------------------------------------- */

/* Use the page table rooted at label (a 4 KiB page, zeroed here) with `levels` levels
 * (3 = Sv39, 4 = Sv48, 5 = Sv57) for the following PT_MAP*. */
#define PT_INIT(label, levels) \
        la a0, label; \
        li a1, levels; \
        call pt_init

/* Map va to pa with a leaf at `level` (0 = 4 KiB, 1 = 2 MiB, 2 = 1 GiB, 3 = 512 GiB,
 * 4 = 256 TiB) and the given PTE flag bits (written as is, bits 9:0; pa's page number goes
 * to bits 53:10). Intermediate tables are allocated as needed. a0 = address of the leaf PTE. */
#define PT_MAP(va, pa, flags, level) \
        li a0, va; li a1, pa; li a2, flags; li a3, level; call pt_map
#define PT_MAP_LABEL(va, label, flags, level) \
        li a0, va; la a1, label; li a2, flags; li a3, level; call pt_map
/* a0 = address of the PTE for va at level (tables allocated as needed) */
#define PT_PTE(va, level) \
        li a0, va; li a3, level; call pt_walk

/* satp = mode | root's page number, then flush */
#define SATP_SET(mode, label) \
        la t0, label; \
        srli t0, t0, 12; \
        li t1, ((mode) << 60); \
        or t0, t0, t1; \
        csrw satp, t0; \
        sfence.vma

/* ---------------------------------------------------------------------------------------- */
/* Program structure                                                                         */
/* ---------------------------------------------------------------------------------------- */

#define TEST_BEGIN \
        .text; \
        .globl test_main; \
test_main:

#define TEST_END \
        j pass

/* ======================================================================================== */
/* Start-up code and handlers                                                                */
/* ======================================================================================== */

        .section .text.init, "ax", @progbits
        .globl _start
_start:
        la t0, trap_vector_m
        csrw mtvec, t0
        la t0, trap_vector_s
        csrw stvec, t0
        la sp, stack_top
        csrw mstatus, zero
        csrw medeleg, zero
        csrw mideleg, zero
        csrw mie, zero
        csrw mip, zero
        csrw satp, zero
        /* PMP: S and U accesses fail when no entry matches (at least one entry is
         * implemented), so give the lowest-priority entry 15 all of memory, RWX, like
         * firmware does. pmpaddr = all ones with NAPOT = the whole address space. */
        li t0, -1
        csrw pmpaddr15, t0
        li t0, ((PMP_NAPOT | PMP_R | PMP_W | PMP_X) << 56)
        csrw pmpcfg2, t0
        sfence.vma
        j test_main

/* ---- M-mode trap handler -------------------------------------------------------------- */
        .align 6
        .globl trap_vector_m
trap_vector_m:
        li t6, MAGIC_FAIL
        beq a7, t6, m_report_fail
#ifdef KEEP_GOING
        li t6, MAGIC_REPORT
        beq a7, t6, m_report_continue
#endif
        li t6, MAGIC_SFAIL
        beq a7, t6, m_report_sfail
        csrr s8, mcause
        csrr s9, mepc
        csrr s10, mtval
        csrr t6, mstatus
        srli t6, t6, 11
        andi t6, t6, 3
        ori s11, t6, 0x30
        la t5, trap_expected
        ld t6, 0(t5)
        bnez t6, m_expected
        bltz s8, m_unexpected
        li t6, MAGIC_RET
        beq a7, t6, m_ret_next
        li t6, MAGIC_RET_AT
        beq a7, t6, m_ret_at
        j m_unexpected

m_ret_next:                     /* continue after the trapping instruction, in M mode */
        mv t6, s9
        lhu t5, 0(t6)
        andi t5, t5, 3
        addi t5, t5, -3
        addi t6, t6, 2
        bnez t5, 1f
        addi t6, t6, 2
1:      j m_ret_m
m_ret_at:                       /* continue at a6, in M mode */
        mv t6, a6
m_ret_m:
        csrw mepc, t6
        li t6, MSTATUS_MPP
        csrs mstatus, t6
        li t6, MSTATUS_MPIE     /* M code always goes on with mstatus.MIE = 0 */
        csrc mstatus, t6
        li a7, 0
        mret

m_expected:
        sd zero, 0(t5)          /* one trap only */
        bgez s8, 2f
        andi t5, s8, 63         /* interrupt: acknowledge it, resume at mepc */
        li t6, 1
        sll t5, t6, t5
        csrc mip, t5
        csrw mie, zero
        la t5, trap_expected
2:      ld t6, 8(t5)
        sd zero, 8(t5)
        bnez t6, m_resume
        mv t6, s9
        bltz s8, m_resume
        lhu t5, 0(t6)           /* exception: skip the 2- or 4-byte instruction */
        andi t5, t5, 3
        addi t5, t5, -3
        addi t6, t6, 2
        bnez t5, m_resume
        addi t6, t6, 2
m_resume:
        csrw mepc, t6
        mret

m_unexpected:
        la sp, stack_top
        la a0, msg_unexpected_m
        call print_str
        j report_trap_regs
m_report_sfail:
        la sp, stack_top
        la a0, msg_unexpected_s
        call print_str
report_trap_regs:
        la a0, msg_cause
        call print_str
        mv a0, s8
        call print_hex
        la a0, msg_epc
        call print_str
        mv a0, s9
        call print_hex
        la a0, msg_tval
        call print_str
        mv a0, s10
        call print_hex
        la a0, msg_test
        call print_str
        mv a0, gp
        call print_dec
        li a0, '\n'
        call putc
        j fail_m
m_report_fail:
        la sp, stack_top
        call report_fail_values
        j fail_m

/* print "FAIL case n: got x, want y" if fail_values holds a failed check */
report_fail_values:
        addi sp, sp, -16
        sd ra, 0(sp)
        la t0, fail_values
        ld t1, 0(t0)
        beqz t1, 1f
        la a0, msg_fail_cmp
        call print_str
        mv a0, gp
        call print_dec
        la a0, msg_got
        call print_str
        la t0, fail_values
        ld a0, 8(t0)
        call print_hex
        la a0, msg_expected
        call print_str
        la t0, fail_values
        ld a0, 16(t0)
        call print_hex
        li a0, '\n'
        call putc
1:      ld ra, 0(sp)
        addi sp, sp, 16
        ret

#ifdef KEEP_GOING
m_report_continue:              /* print the failed check, resume after the ecall, same mode */
        la t6, report_save
        sd ra, 0(t6)
        sd sp, 8(t6)
        sd a0, 16(t6)
        sd t0, 24(t6)
        sd t1, 32(t6)
        sd t2, 40(t6)
        sd t3, 48(t6)
        la sp, stack_top
        call report_fail_values
        la t6, report_save
        ld ra, 0(t6)
        ld sp, 8(t6)
        ld a0, 16(t6)
        ld t0, 24(t6)
        ld t1, 32(t6)
        ld t2, 40(t6)
        ld t3, 48(t6)
        csrr t6, mepc
        addi t6, t6, 4
        csrw mepc, t6
        li a7, 0
        mret
#endif

/* ---- S-mode trap handler -------------------------------------------------------------- */
        .align 6
        .globl trap_vector_s
trap_vector_s:
        li t6, MAGIC_FAIL
        beq a7, t6, s_forward
        csrr s8, scause
        csrr s9, sepc
        csrr s10, stval
        csrr t6, sstatus
        srli t6, t6, 8
        andi t6, t6, 1
        ori s11, t6, 0x10
        la t5, trap_expected
        ld t6, 0(t5)
        bnez t6, s_expected
        bltz s8, s_unexpected
        li t6, MAGIC_RET
        beq a7, t6, s_ret_to_m
s_unexpected:
        li a7, MAGIC_SFAIL
s_forward:
        ecall                   /* to M (ecall from S is never delegated by these tests) */
        j s_forward
s_ret_to_m:                     /* forward ECALL_TO_M from U: M resumes at a6 */
        mv a6, s9
        lhu t5, 0(a6)
        andi t5, t5, 3
        addi t5, t5, -3
        addi a6, a6, 2
        bnez t5, 1f
        addi a6, a6, 2
1:      li a7, MAGIC_RET_AT
        ecall
        j s_forward

s_expected:
        sd zero, 0(t5)
        bgez s8, 2f
        andi t5, s8, 63
        li t6, 1
        sll t5, t6, t5
        csrc sip, t5
        csrw sie, zero
        la t5, trap_expected
2:      ld t6, 8(t5)
        sd zero, 8(t5)
        bnez t6, s_resume
        mv t6, s9
        bltz s8, s_resume
        lhu t5, 0(t6)
        andi t5, t5, 3
        addi t5, t5, -3
        addi t6, t6, 2
        bnez t5, s_resume
        addi t6, t6, 2
s_resume:
        csrw sepc, t6
        sret

/* ---- pass / fail ---------------------------------------------------------------------- */

/* A CHECK failed in any mode: t5 = value seen, t6 = value expected. */
        .globl fail_cmp
fail_cmp:
        la a6, fail_values
        sd t5, 8(a6)
        sd t6, 16(a6)
        li t5, 1
        sd t5, 0(a6)
        /* fall through */
        .globl fail
fail:
        li a7, MAGIC_FAIL
        ecall                   /* reaches M mode's handler from any mode */
fail_m:
        bnez gp, 1f
        li gp, 0x7ff            /* never report test 0: (0 << 1) | 1 would mean "pass" */
1:      slli t0, gp, 1
        ori t0, t0, 1
        la t1, tohost
        sd t0, 0(t1)
2:      j 2b

#ifdef KEEP_GOING
fail_cmp_keep_going:            /* any mode; returns to t4 */
        la a6, fail_values
        sd t5, 8(a6)
        sd t6, 16(a6)
        li t5, 1
        sd t5, 0(a6)
        ld t5, 24(a6)           /* remember the first failed case */
        bnez t5, 1f
        sd gp, 24(a6)
1:      li a7, MAGIC_REPORT
        ecall
        jr t4
#endif

        .globl pass
pass:
#ifdef KEEP_GOING
        la t0, fail_values
        ld t1, 24(t0)
        beqz t1, 1f
        mv gp, t1
        j fail_m
1:
#endif
        li t0, 1
        la t1, tohost
        sd t0, 0(t1)
1:      j 1b

/* ---- console (M mode) ----------------------------------------------------------------- */

/* putc(a0): one byte to the HTIF console; waits (boundedly) for the host's answer.
 * Clobbers t0..t2. */
putc:
        andi a0, a0, 0xff
        li t0, HTIF_PUTC
        or t0, t0, a0
        la t1, tohost
        sd t0, 0(t1)
        li t2, 1000000
        la t1, fromhost
1:      ld t0, 0(t1)
        bnez t0, 2f
        addi t2, t2, -1
        bnez t2, 1b
2:      sd zero, 0(t1)
        ret

/* print_str(a0 = NUL-terminated string). Clobbers a0, t0..t3. */
print_str:
        addi sp, sp, -16
        sd ra, 0(sp)
        sd s0, 8(sp)
        mv s0, a0
1:      lbu a0, 0(s0)
        beqz a0, 2f
        call putc
        addi s0, s0, 1
        j 1b
2:      ld ra, 0(sp)
        ld s0, 8(sp)
        addi sp, sp, 16
        ret

/* print_hex(a0): "0x" and 16 hex digits. Clobbers a0, t0..t3. */
print_hex:
        addi sp, sp, -32
        sd ra, 0(sp)
        sd s0, 8(sp)
        sd s1, 16(sp)
        mv s0, a0
        li a0, '0'
        call putc
        li a0, 'x'
        call putc
        li s1, 60
1:      srl a0, s0, s1
        andi a0, a0, 15
        li t0, 10
        blt a0, t0, 2f
        addi a0, a0, 'a' - '0' - 10
2:      addi a0, a0, '0'
        call putc
        addi s1, s1, -4
        bgez s1, 1b
        ld ra, 0(sp)
        ld s0, 8(sp)
        ld s1, 16(sp)
        addi sp, sp, 32
        ret

/* print_dec(a0): unsigned decimal, for a0 < 10^8 (test numbers). No M extension: the
 * reporting must work even when MUL/DIV are what is broken. Clobbers a0, t0..t3. */
print_dec:
        addi sp, sp, -32
        sd ra, 0(sp)
        sd s0, 8(sp)
        sd s1, 16(sp)
        sd s2, 24(sp)
        mv s0, a0
        li s1, 10000000         /* current power of ten */
        li s2, 0                /* a digit was printed */
1:      li a0, '0'
2:      bltu s0, s1, 3f
        sub s0, s0, s1
        addi a0, a0, 1
        j 2b
3:      li t3, '0'
        bne a0, t3, 4f
        bnez s2, 4f
        li t3, 1
        bne s1, t3, 5f          /* skip leading zeros, but print a lone 0 */
4:      li s2, 1
        call putc
5:      li t3, 10               /* s1 /= 10 by subtraction-free table walk */
        la t0, pow10
6:      ld t1, 0(t0)
        addi t0, t0, 8
        bne t1, s1, 6b
        ld s1, 0(t0)
        bnez s1, 1b
        ld ra, 0(sp)
        ld s0, 8(sp)
        ld s1, 16(sp)
        ld s2, 24(sp)
        addi sp, sp, 32
        ret

/* ---- page tables (M mode) ------------------------------------------------------------- */

/* pt_init(a0 = root page, a1 = levels): zero the root, make it current. */
pt_init:
        la t0, pt_root
        sd a0, 0(t0)
        sd a1, 8(t0)
        li t1, 4096
        add t1, a0, t1
1:      sd zero, 0(a0)
        addi a0, a0, 8
        bltu a0, t1, 1b
        ret

/* pt_alloc() -> a0 = a zeroed 4 KiB page from the pool. Clobbers t0..t2. */
pt_alloc:
        la t0, pt_pool_next
        ld a0, 0(t0)
        bnez a0, 1f
        la a0, pt_pool
1:      li t1, 4096
        add t1, a0, t1
        la t2, pt_pool_end
        bgtu t1, t2, pt_pool_exhausted
        sd t1, 0(t0)
        mv t0, a0
2:      sd zero, 0(t0)
        addi t0, t0, 8
        bltu t0, t1, 2b
        ret
pt_pool_exhausted:
        la a0, msg_pool
        call print_str
        j fail_m

/* pt_walk(a0 = va, a3 = leaf level) -> a0 = address of the PTE for va at that level in the
 * current table, allocating intermediate tables. Clobbers t0..t4, a4..a7. */
pt_walk:
        mv t3, ra
        mv a4, a0               /* va */
        la t0, pt_root
        ld a5, 0(t0)            /* current table */
        ld a6, 8(t0)
        addi a6, a6, -1         /* current level */
1:      slli t4, a6, 3          /* shift = 12 + 9 * level */
        add t4, t4, a6
        addi t4, t4, 12
        srl t4, a4, t4
        andi t4, t4, 511
        slli t4, t4, 3
        add a7, a5, t4          /* PTE address */
        beq a6, a3, 9f
        ld t4, 0(a7)
        andi t0, t4, PTE_V
        bnez t0, 2f
        call pt_alloc           /* no table yet: allocate one */
        srli t4, a0, 12
        slli t4, t4, 10
        ori t4, t4, PTE_V
        sd t4, 0(a7)
2:      andi t0, t4, (PTE_R | PTE_W | PTE_X)
        bnez t0, pt_walk_conflict
        slli t4, t4, 10         /* next table = PPN << 12 */
        srli t4, t4, 20
        slli a5, t4, 12
        addi a6, a6, -1
        bgez a6, 1b
pt_walk_conflict:
        la a0, msg_pt_conflict
        call print_str
        j fail_m
9:      mv a0, a7
        mv ra, t3
        ret

/* pt_map(a0 = va, a1 = pa, a2 = flags, a3 = level) -> a0 = PTE address.
 * Clobbers t0..t4, a4..a7 (pt_walk keeps a1..a3). */
pt_map:
        addi sp, sp, -16
        sd ra, 0(sp)
        call pt_walk
        ld ra, 0(sp)
        addi sp, sp, 16
        srli t0, a1, 12
        slli t0, t0, 10
        or t0, t0, a2
        sd t0, 0(a0)
        ret

/* ---- messages ------------------------------------------------------------------------- */
        .section .rodata
msg_unexpected_m: .asciz "\nunexpected trap:"
msg_unexpected_s: .asciz "\nunexpected trap in S-mode handler:"
msg_cause:        .asciz " cause="
msg_epc:          .asciz " epc="
msg_tval:         .asciz " tval="
msg_test:         .asciz " during case "
msg_fail_cmp:     .asciz "\nFAIL case "
msg_got:          .asciz ": got "
msg_expected:     .asciz ", want "
        .align 3
pow10:            .dword 10000000, 1000000, 100000, 10000, 1000, 100, 10, 1, 0
msg_pool:         .asciz "\npage-table pool exhausted\n"
msg_pt_conflict:  .asciz "\npt_walk: a leaf PTE is in the way\n"

/* ---- data ----------------------------------------------------------------------------- */
        .section .tohost, "aw", @progbits
        .align 6
        .globl tohost
        .type tohost, @object
        .size tohost, 8
tohost:   .dword 0
        .align 6
        .globl fromhost
        .type fromhost, @object
        .size fromhost, 8
fromhost: .dword 0

        .data
        .align 3
        .globl trap_expected
trap_expected:  .dword 0        /* nonzero: the next trap is expected */
trap_resume:    .dword 0        /* +8: where to resume after it (0: after the instruction) */
fail_values:    .dword 0, 0, 0, 0  /* valid, value seen, value expected, first failed case (KEEP_GOING) */
report_save:    .dword 0, 0, 0, 0, 0, 0, 0
pt_root:        .dword 0, 0     /* current page-table root, levels */
pt_pool_next:   .dword 0

        .bss
        .align 12
pt_pool:        .space 4096 * 48
pt_pool_end:
        .align 4
stack:          .space 4096
stack_top:

        .text
#endif /* SUBLET_TEST_H */
