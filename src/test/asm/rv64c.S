/*
 * rv64c.S - every RV64 compressed (Zca) instruction, and 32-bit instructions at addresses
 * that are only 2-byte aligned.
 *
 * Spec points (C chapter): immediates are sign-extended (c.li, c.addi, c.addiw, c.andi,
 * c.lui - whose nonzero 6-bit immediate lands in bits 17:12 and is sign-extended from
 * bit 17), c.addi16sp adds a multiple of 16 in -512..496, c.addi4spn a zero-extended
 * multiple of 4 up to 1020; shift amounts 32..63 are valid on RV64 (shamt[5] = bit 12);
 * c.addiw/c.addw/c.subw sign-extend the 32-bit result; c.jal is RV32-only (its code point
 * is c.addiw on RV64); c.jalr/c.jr link and jump like jalr (link = pc + 2); c.ebreak raises
 * a breakpoint with epc at the c.ebreak; HINT code points (c.nop imm!=0, c.li/c.lui/c.mv/
 * c.add/c.slli with rd = x0) execute as no-ops. With C, IALIGN = 16: 32-bit instructions may
 * sit at any 2-byte boundary, including across a 4 KiB page boundary.
 */
#include "test.h"

        .option rvc

#define NORVC  .option push; .option norvc
#define POPRVC .option pop

TEST_BEGIN

/* ---- c.li, c.lui ---- */
        TEST_CASE(1, a0, 31, c.li a0, 31)
        TEST_CASE(2, a0, -32, c.li a0, -32)
        TEST_CASE(3, a0, 0, li a0, 99; c.li a0, 0)
        TEST_CASE(4, ra, -1, c.li ra, -1)                             /* any rd, not only x8..x15 */
        TEST_CASE(5, a0, 0x1000, c.lui a0, 1)
        TEST_CASE(6, a0, 0x1f000, c.lui a0, 0x1f)
        TEST_CASE(7, a0, 0xfffffffffffe0000, c.lui a0, 0xfffe0)      /* imm -32: sign-extended from bit 17 */
        TEST_CASE(8, a0, 0xfffffffffffff000, c.lui a0, 0xfffff)      /* imm -1 */
        TEST_CASE(9, t1, 0x0000000000003000, c.lui t1, 3)

/* ---- c.addi, c.addiw, c.addi16sp, c.addi4spn ---- */
        TEST_CASE(10, a0, 41, li a0, 10; c.addi a0, 31)
        TEST_CASE(11, a0, -22, li a0, 10; c.addi a0, -32)
        TEST_CASE(12, a0, 0x8000000000000000, li a0, 0x7fffffffffffffff; c.addi a0, 1)
        TEST_CASE(13, s11, 5, li s11, 6; c.addi s11, -1)
        TEST_CASE(14, a0, 0xffffffff80000000, li a0, 0x7fffffff; c.addiw a0, 1)     /* sign-extends */
        TEST_CASE(15, a0, 0xffffffff80000000, li a0, 0x180000000; c.addiw a0, 0)    /* sext.w */
        TEST_CASE(16, a0, 0x000000007fffffff, li a0, 0xffffffff80000000; c.addiw a0, -1)
        TEST_CASE(17, t2, 0x0000000000000010, li t2, 0xabcdef0000000011; c.addiw t2, -1)
        TEST_CASE(18, sp, 0x10000 - 512, li sp, 0x10000; c.addi16sp sp, -512)
        TEST_CASE(19, sp, 0x10000 + 496, li sp, 0x10000; c.addi16sp sp, 496)
        TEST_CASE(20, sp, 0x10000 + 16, li sp, 0x10000; c.addi16sp sp, 16)
        TEST_CASE(21, a0, 0x10000 + 1020, li sp, 0x10000; c.addi4spn a0, sp, 1020)
        TEST_CASE(22, s1, 0x10000 + 4, li sp, 0x10000; c.addi4spn s1, sp, 4)
        TEST_CASE(23, a5, 4, li sp, -4; c.addi4spn a5, sp, 8)

/* ---- shifts, including shamt 32..63 ---- */
        TEST_CASE(24, a0, 0x8000000000000000, li a0, 1; c.slli a0, 63)
        TEST_CASE(25, a0, 0x0000000100000000, li a0, 1; c.slli a0, 32)
        TEST_CASE(26, t0, 0xffffffff00000000, li t0, -1; c.slli t0, 32)       /* any rd */
        TEST_CASE(27, a0, 0x0000000000000002, li a0, 1; c.slli a0, 1)
        TEST_CASE(28, a0, 1, li a0, 0x8000000000000000; c.srli a0, 63)
        TEST_CASE(29, a0, 0x00000000ffffffff, li a0, -1; c.srli a0, 32)
        TEST_CASE(30, a0, 0x0000000012345678, li a0, 0x1234567800000000; c.srli a0, 32)
        TEST_CASE(31, a0, -1, li a0, 0x8000000000000000; c.srai a0, 63)
        TEST_CASE(32, a0, 0xffffffff80000000, li a0, 0x8000000000000000; c.srai a0, 32)
        TEST_CASE(33, a0, 0x0000000000000001, li a0, 0x7fffffffffffffff; c.srai a0, 62)
        TEST_CASE(34, s1, 0xfffffffffffffff8, li s1, -16; c.srai s1, 1)

/* ---- c.andi and register-register ops ---- */
        TEST_CASE(35, a0, 0x123456789abcdee0, li a0, 0x123456789abcdeff; c.andi a0, -32)
        TEST_CASE(36, a0, 0x000000000000001f, li a0, 0x123456789abcdeff; c.andi a0, 31)
        TEST_CASE(37, a0, 0, li a0, -1; c.andi a0, 0)
        TEST_CASE(38, a0, 0x123456789abcdef0, li a1, 0x123456789abcdef0; c.mv a0, a1)
        TEST_CASE(39, t3, 0x123456789abcdef0, li t4, 0x123456789abcdef0; c.mv t3, t4)
        TEST_CASE(40, a0, 0x0000000100000000, li a0, 0xffffffff; li a1, 1; c.add a0, a1)
        TEST_CASE(41, s2, 10, li s2, 4; li s3, 6; c.add s2, s3)
        TEST_CASE(42, a0, -1, li a0, 0; li a1, 1; c.sub a0, a1)
        TEST_CASE(43, a0, 0xf0f0f0f0f0f0f0f0, li a0, 0xff00ff00ff00ff00; li a1, 0x0ff00ff00ff00ff0; c.xor a0, a1)
        TEST_CASE(44, a0, 0xfff0fff0fff0fff0, li a0, 0xff00ff00ff00ff00; li a1, 0x0ff00ff00ff00ff0; c.or a0, a1)
        TEST_CASE(45, a0, 0x0f000f000f000f00, li a0, 0xff00ff00ff00ff00; li a1, 0x0ff00ff00ff00ff0; c.and a0, a1)
        TEST_CASE(46, a0, 0xffffffff80000000, li a0, 0x7fffffff; li a1, 1; c.addw a0, a1)
        TEST_CASE(47, a0, 0x0000000000000003, li a0, 0xaaaaaaaa00000001; li a1, 0x5555555500000002; c.addw a0, a1)
        TEST_CASE(48, a0, 0x000000007fffffff, li a0, 0x80000000; li a1, 1; c.subw a0, a1)
        TEST_CASE(49, a0, 0xffffffffffffffff, li a0, 0x100000000; li a1, 1; c.subw a0, a1)

/* ---- loads and stores: c.lw/c.ld/c.sw/c.sd, with extreme offsets ---- */
        la s0, cdata
        TEST_CASE(50, a0, 0xffffffff89abcdef, c.lw a0, 0(s0))                     /* c.lw sign-extends */
        TEST_CASE(51, a0, 0x0123456789abcdef, c.ld a0, 0(s0))
        TEST_CASE(52, a0, 0x0000000001234567, c.lw a0, 4(s0))
        TEST_CASE(53, a1, 0x1111111122222222, c.ld a1, 248(s0))                   /* max c.ld offset */
        TEST_CASE(54, a2, 0x0000000011111111, c.lw a2, 124(s0))                   /* max c.lw offset (124 = 0x7c) */
        li gp, 55
        li a3, 0xfedcba9876543210
        c.sd a3, 240(s0)
        ld a4, 240(s0)
        CHECK(a4, 0xfedcba9876543210)
        li gp, 56
        li a3, 0x55555555aaaaaaaa
        c.sw a3, 120(s0)                    /* low word only */
        ld a4, 120(s0)
        CHECK(a4, 0x11111111aaaaaaaa)

/* ---- sp-relative: c.lwsp/c.ldsp/c.swsp/c.sdsp ---- */
        la sp, cdata
        TEST_CASE(57, a0, 0x0123456789abcdef, c.ldsp a0, 0(sp))
        TEST_CASE(58, t0, 0xffffffff89abcdef, c.lwsp t0, 0(sp))                   /* any rd */
        TEST_CASE(59, a0, 0x4444444455555555, c.ldsp a0, 504(sp))                 /* max offset */
        TEST_CASE(60, a0, 0x0000000011111111, c.lwsp a0, 252(sp))                 /* max offset */
        li gp, 61
        li s5, 0x1234567887654321
        c.sdsp s5, 496(sp)
        ld a0, 496(sp)
        CHECK(a0, 0x1234567887654321)
        li gp, 62
        li s5, 0x00000000cafef00d
        c.swsp s5, 244(sp)
        ld a0, 240(sp)
        CHECK(a0, 0xcafef00d76543210)       /* (case 55 stored the low word) */
        li gp, 63
        c.swsp s5, 252(sp)
        c.lwsp a0, 252(sp)
        CHECK(a0, 0xffffffffcafef00d)

/* ---- c.j, c.jr, c.jalr, c.beqz, c.bnez ---- */
        li gp, 64
        li a0, 0
        c.j 1f
        c.li a0, 1
1:      CHECK(a0, 0)
        li gp, 65                           /* c.j backwards */
        j 3f
2:      c.li a0, 7
        c.j 4f
3:      c.j 2b
4:      CHECK(a0, 7)
        li gp, 66                           /* c.jalr: link = pc + 2 */
        la t0, 5f
6:      c.jalr t0
        j fail
5:      la a0, 6b
        addi a0, a0, 2
        CHECK_EQ(ra, a0)
        li gp, 67                           /* c.jr: no link */
        li ra, 77
        la t1, 7f
        c.jr t1
        j fail
7:      CHECK(ra, 77)
        li gp, 68                           /* c.jalr to a function that returns with c.jr ra */
        la t2, cfunc
        li a0, 20
        c.jalr t2
        CHECK(a0, 40)
        li gp, 69                           /* c.jr target bit 0 cleared, like jalr */
        la t1, 8f
        addi t1, t1, 1
        c.jr t1
        j fail
8:      li gp, 70                           /* c.jalr with rs1 == ra: target read before link */
        la ra, 9f
10:     c.jalr ra
        j fail
9:      la a0, 10b
        addi a0, a0, 2
        CHECK_EQ(ra, a0)
        li gp, 71
        li s0, 0
        c.beqz s0, 11f
        j fail
11:     li s0, 1
        c.beqz s0, 12f                      /* not taken */
        j 13f
12:     j fail
13:     li gp, 72
        li a5, 0x100000000                  /* nonzero only above bit 31 */
        c.bnez a5, 14f
        j fail
14:     li a5, 0
        c.bnez a5, 15f
        j 16f
15:     j fail
16:     li gp, 73                           /* c.bnez backwards: a loop */
        li a0, 0
        li a1, 5
17:     c.addi a0, 2
        c.addi a1, -1
        c.bnez a1, 17b
        CHECK(a0, 10)

/* ---- maximum reaches: c.beqz +254 / -256, c.j +2046 / -2048 ----
 * (falling through into the zero fill would execute the illegal 0x0000 and fail) */
        li gp, 74
        li s1, 0
        .half 0xccfd                        /* c.beqz s1, .+254 (hand-encoded: GAS would widen a
                                               forward c.beqz it cannot yet prove in range) */
        .skip 252, 0                        /* 18 = c.beqz + 254 */
18:     li gp, 75
        j 20f
19:     NORVC; j 21f; POPRVC
        .skip 250, 0
20:     c.li s1, 0
        c.beqz s1, 19b                      /* 19 = c.beqz - 256 */
        .half 0
21:     li gp, 76
        .half 0xaffd                        /* c.j .+2046 (hand-encoded, as above) */
        .skip 2044, 0                       /* 22 = c.j + 2046 */
22:     li gp, 77
        j 24f
23:     NORVC; j 25f; POPRVC
        .skip 2044, 0
24:     c.j 23b                             /* 23 = c.j - 2048 */
25:

/* ---- c.nop and HINTs: no architectural effect ---- */
        li gp, 78
        li a0, 5
        li a1, 9
        c.nop
        .half 0x0005                        /* c.nop with imm = 1: HINT */
        .half 0x4005                        /* c.li x0, 1: HINT */
        .half 0x6005                        /* c.lui x0, 1: HINT */
        .half 0x802e                        /* c.mv x0, a1: HINT */
        .half 0x902e                        /* c.add x0, a1: HINT */
        .half 0x0006                        /* c.slli x0, 1: HINT */
        .half 0x0501                        /* c.addi a0, 0: HINT */
        CHECK(a0, 5)
        CHECK(a1, 9)
        mv a2, zero
        CHECK(a2, 0)

/* ---- c.ebreak: breakpoint, epc at the c.ebreak, tval 0 or its address ---- */
        TEST_TRAP(79, CAUSE_BREAKPOINT, TRAP_M_FROM_M, c.ebreak)
        beqz s10, 26f
        CHECK_EPC_REG(s10)                  /* tval may also be the pc */
26:

/* ---- 32-bit instructions at 2 mod 4 addresses ---- */
        li gp, 80
        .balign 4
        c.nop
27:     NORVC; addi a0, zero, 123; POPRVC   /* 32-bit, at 2 mod 4 */
        la a1, 27b
        andi a1, a1, 3
        CHECK(a1, 2)
        CHECK(a0, 123)
        li gp, 81                           /* a 32-bit branch to a 2 mod 4 target */
        .balign 4
        NORVC; beq zero, zero, 28f; POPRVC
        .half 0
28:     la a1, 28b
        andi a1, a1, 3
        CHECK(a1, 2)
        li gp, 82                           /* jal from and to 2 mod 4 addresses: link = pc + 4 */
        .balign 4
        c.nop
29:     NORVC; jal ra, 30f; POPRVC
        .half 0, 0
30:     la a0, 29b
        addi a0, a0, 4
        CHECK_EQ(ra, a0)
        la a1, 30b
        andi a1, a1, 3
        CHECK(a1, 2)
        li gp, 83                           /* jalr to a 2 mod 4 address */
        la t0, 31f
        NORVC; jalr ra, 0(t0); POPRVC
        .balign 4
        .half 0
31:     la a1, 31b
        andi a1, a1, 3
        CHECK(a1, 2)
        li gp, 84                           /* loads and CSR reads run fine misaligned too */
        la t0, cdata
        .balign 4
        c.nop
        NORVC; ld a0, 0(t0); csrr a1, mhartid; addi a2, zero, 9; POPRVC
        CHECK(a0, 0x0123456789abcdef)
        CHECK(a2, 9)

/* ---- a 32-bit instruction straddling a 4 KiB page boundary ---- */
        li gp, 85
        li a0, 1
        call cross_insn                     /* addi a0, a0, 0x123 at page offset 0xffe */
        CHECK(a0, 0x124)
        li gp, 86
        li a0, 2
        call cross_page                     /* 2047 c.nop, then the same */
        CHECK(a0, 0x125)

TEST_END

cfunc:
        c.add a0, a0
        c.jr ra

        .balign 4096
cross_page:
        .fill 2047, 2, 0x0001               /* c.nop x 2047 = 4094 bytes */
cross_insn:
        .option push
        .option norvc
        addi a0, a0, 0x123
        .option pop
        c.jr ra

        .data
        .align 4
cdata:
        .dword 0x0123456789abcdef
        .fill 14, 8, 0x3333333333333333     /* up to 120 */
        .dword 0x1111111133333333           /* 120: c.lw 124 reads the high word */
        .fill 15, 8, 0x3333333333333333
        .dword 0x1111111122222222           /* 248 */
        .fill 30, 8, 0x4444444444444444
        .dword 0x4444444455555555           /* 496: c.sdsp overwrites it */
        .dword 0x4444444455555555           /* 504 */
