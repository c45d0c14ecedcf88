/*
 * rv64i_branch.S - conditional branches, JAL, JALR.
 *
 * Spec points (unprivileged, "Control Transfer Instructions"): BLT/BGE compare signed,
 * BLTU/BGEU unsigned, BGE/BGEU are taken on equality; branch offsets are sign-extended
 * multiples of 2 (range +-4 KiB), JAL's +-1 MiB; JAL/JALR write pc+4 to rd (nothing when
 * rd = x0); JALR's target is (rs1 + imm) with bit 0 cleared, computed from rs1 *before* rd
 * is written (so rd == rs1 works).
 */
#include "test.h"

#define TEST_BR_TAKEN(n, op, v1, v2) \
        li gp, n; li a1, v1; li a2, v2; \
        op a1, a2, 9101f; \
        j fail; \
9101:

#define TEST_BR_NOT_TAKEN(n, op, v1, v2) \
        li gp, n; li a1, v1; li a2, v2; \
        op a1, a2, 9102f; \
        j 9103f; \
9102:   j fail; \
9103:

TEST_BEGIN

/* ---- BEQ / BNE ---- */
        TEST_BR_TAKEN(1, beq, 0, 0)
        TEST_BR_TAKEN(2, beq, -1, -1)
        TEST_BR_NOT_TAKEN(3, beq, 0, 1)
        TEST_BR_NOT_TAKEN(4, beq, 0x100000000, 0)          /* differ only above bit 31 */
        TEST_BR_TAKEN(5, bne, 0x100000000, 0)
        TEST_BR_TAKEN(6, bne, 1, -1)
        TEST_BR_NOT_TAKEN(7, bne, 5, 5)
        TEST_BR_NOT_TAKEN(8, bne, 0x8000000000000000, 0x8000000000000000)

/* ---- BLT / BGE: signed ---- */
        TEST_BR_TAKEN(9, blt, -1, 0)
        TEST_BR_TAKEN(10, blt, 0x8000000000000000, 0x7fffffffffffffff)
        TEST_BR_TAKEN(11, blt, -2, -1)
        TEST_BR_NOT_TAKEN(12, blt, 0, -1)
        TEST_BR_NOT_TAKEN(13, blt, 7, 7)                    /* strict */
        TEST_BR_NOT_TAKEN(14, blt, 0x7fffffffffffffff, 0x8000000000000000)
        TEST_BR_TAKEN(15, bge, 0, -1)
        TEST_BR_TAKEN(16, bge, 7, 7)                        /* taken on equality */
        TEST_BR_TAKEN(17, bge, 0x7fffffffffffffff, 0x8000000000000000)
        TEST_BR_NOT_TAKEN(18, bge, -1, 0)
        TEST_BR_NOT_TAKEN(19, bge, 0x8000000000000000, 0x7fffffffffffffff)
        TEST_BR_TAKEN(20, bge, -1, -1)

/* ---- BLTU / BGEU: unsigned ---- */
        TEST_BR_TAKEN(21, bltu, 0, -1)
        TEST_BR_TAKEN(22, bltu, 0x7fffffffffffffff, 0x8000000000000000)
        TEST_BR_NOT_TAKEN(23, bltu, -1, 0)
        TEST_BR_NOT_TAKEN(24, bltu, 3, 3)
        TEST_BR_NOT_TAKEN(25, bltu, 0x8000000000000000, 0x7fffffffffffffff)
        TEST_BR_TAKEN(26, bgeu, -1, 0)
        TEST_BR_TAKEN(27, bgeu, 3, 3)
        TEST_BR_TAKEN(28, bgeu, 0x8000000000000000, 0x7fffffffffffffff)
        TEST_BR_NOT_TAKEN(29, bgeu, 0, -1)
        TEST_BR_NOT_TAKEN(30, bgeu, 0xfffffffffffffffe, 0xffffffffffffffff)

/* ---- x0 and rs1 == rs2 ---- */
        li gp, 31
        beq zero, zero, 1f
        j fail
1:      li gp, 32
        li a1, 5
        blt a1, a1, 2f
        bltu a1, a1, 2f
        bne a1, a1, 2f
        bge a1, a1, 3f
2:      j fail
3:      li gp, 33
        li a1, -1
        bltu zero, a1, 4f                   /* snez-like: 0 <u -1 */
        j fail
4:

/* ---- backward branches: a counted loop ---- */
        li gp, 34
        li a0, 0
        li a1, 10
5:      add a0, a0, a1
        addi a1, a1, -1
        bnez a1, 5b
        CHECK(a0, 55)

/* ---- maximum branch offsets: +4092 (word-aligned code) and -4096 ---- */
        li gp, 35
        beq zero, zero, 7f
        j fail
        .skip 4092 - 8
7:      li gp, 36
        li a0, 0
        j 9f
8:      li a0, 1                            /* 4096 bytes before the branch at 9: */
        j 10f
        .skip 4096 - 8
9:      beq zero, zero, 8b
        j fail
10:     CHECK(a0, 1)

/* ---- JAL ---- */
        li gp, 37
11:     jal ra, 12f
        j fail
12:     la a0, 11b
        addi a0, a0, 4
        CHECK_EQ(ra, a0)                    /* link = pc + 4 */
        li gp, 38
13:     jal t0, 14f                         /* any rd can be the link register */
        j fail
14:     la a0, 13b
        addi a0, a0, 4
        CHECK_EQ(t0, a0)
        li gp, 39
        li a0, 0
        jal zero, 15f                       /* j: no link */
        li a0, 1
15:     CHECK(a0, 0)
        li gp, 40                           /* backward jal */
        li a0, 0
        j 17f
16:     li a0, 2
        j 18f
17:     jal ra, 16b
18:     CHECK(a0, 2)
        li gp, 41                           /* a long jump: offset > 64 KiB, over zeros */
19:     jal ra, 20f
        .skip 0x12344
20:     la a0, 19b
        addi a0, a0, 4
        CHECK_EQ(ra, a0)
        li gp, 42                           /* and a long one backwards */
        j 22f
21:     li a0, 42
        j 23f
        .skip 0x10000
22:     jal zero, 21b
23:     CHECK(a0, 42)
        li gp, 43                           /* link to the very next instruction */
        jal ra, 24f
24:     la a0, 24b
        CHECK_EQ(ra, a0)

/* ---- JALR ---- */
        li gp, 44
        la a1, 41f
40:     jalr ra, 0(a1)                      /* jumps to the next instruction ... */
41:     la a0, 40b                          /* ... which is also the link */
        addi a0, a0, 4
        CHECK_EQ(ra, a0)
        li gp, 45                           /* positive offset */
        la a1, 26f
        addi a1, a1, -100
        jalr ra, 100(a1)
        j fail
26:     li gp, 46                           /* negative offset */
        la a1, 27f
        addi a1, a1, 2000
        jalr ra, -2000(a1)
        j fail
27:     li gp, 47                           /* target bit 0 is cleared: odd register */
        la a1, 28f
        addi a1, a1, 1
        jalr ra, 0(a1)
        j fail
28:     li gp, 48                           /* ... and odd sum of register and immediate */
        la a1, 29f
        addi a1, a1, -4
        jalr t1, 5(a1)
        j fail
29:     li gp, 49                           /* rd == rs1: target from the old value */
        la ra, 30f
31:     jalr ra, 0(ra)
        j fail
30:     la a0, 31b
        addi a0, a0, 4
        CHECK_EQ(ra, a0)
        li gp, 50                           /* rd == rs1 with an offset */
        la t2, 32f
        addi t2, t2, -8
33:     jalr t2, 8(t2)
        j fail
32:     la a0, 33b
        addi a0, a0, 4
        CHECK_EQ(t2, a0)
        li gp, 51                           /* rd = x0: jr, no link */
        li ra, 1234
        la a1, 34f
        jalr zero, 0(a1)
        j fail
34:     CHECK(ra, 1234)
        li gp, 52                           /* call and return through a function */
        li a0, 5
        call double_it
        CHECK(a0, 10)
        li gp, 53
        la t0, double_it
        li a0, 21
        jalr ra, 0(t0)
        CHECK(a0, 42)
        li gp, 54                           /* link value is pc+4 even when jumping backwards */
        li a0, 0
        j 36f
35:     li a0, 1
        jr t3
36:     la t0, 35b
37:     jalr t3, 0(t0)
        la a1, 37b
        addi a1, a1, 4
        CHECK_EQ(t3, a1)
        CHECK(a0, 1)

/* ---- branches do not write registers; not-taken branch falls through to pc+4 ---- */
        li gp, 55
        li a1, 1
        li a2, 2
        mv a3, ra
        beq a1, a2, 38f
        CHECK(a1, 1)
        CHECK(a2, 2)
        CHECK_EQ(ra, a3)
        j 39f
38:     j fail
39:

TEST_END

double_it:
        add a0, a0, a0
        ret
