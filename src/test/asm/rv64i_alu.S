/*
 * rv64i_alu.S - RV64I integer computation: OP, OP-IMM, OP-32, OP-IMM-32, LUI, AUIPC.
 *
 * Edge cases (unprivileged spec, "Integer Computational Instructions" and RV64I chapter):
 * overflow is ignored (results wrap); register shift amounts use the low 6 bits (low 5 for
 * the W forms); *W instructions ignore the upper 32 bits of their sources and sign-extend
 * their 32-bit result (even SRLW of a value with bit 31 set); immediates are sign-extended
 * 12-bit values (also for SLTIU, which then compares unsigned, and for ANDI/ORI/XORI);
 * LUI sign-extends bit 31; AUIPC adds the sign-extended 32-bit immediate to its own pc;
 * writes to x0 are discarded.
 */
#include "test.h"

TEST_BEGIN

/* ---- ADD / SUB ---- */
        TEST_RR(1,  add, 0, 0, 0)
        TEST_RR(2,  add, 2, 1, 1)
        TEST_RR(3,  add, 0x0000000100000000, 0x00000000ffffffff, 1)
        TEST_RR(4,  add, 0x8000000000000000, 0x7fffffffffffffff, 1)      /* signed overflow wraps */
        TEST_RR(5,  add, 0, -1, 1)                                         /* unsigned carry out dropped */
        TEST_RR(6,  add, 0xfffffffffffffffe, -1, -1)
        TEST_RR(7,  sub, 0, 5, 5)
        TEST_RR(8,  sub, -1, 0, 1)
        TEST_RR(9,  sub, 0x7fffffffffffffff, 0x8000000000000000, 1)       /* wraps */
        TEST_RR(10, sub, 0x8000000000000001, 0, 0x7fffffffffffffff)
        TEST_RR(11, sub, 0xffffffff00000001, 0x0000000100000000, 0x1ffffffff)

/* ---- logical ---- */
        TEST_RR(12, xor, 0xf0f0f0f0f0f0f0ff, 0xff00ff00ff00ff00, 0x0ff00ff00ff00fff)
        TEST_RR(13, or,  0xfff0fff0fff0ffff, 0xff00ff00ff00ff00, 0x0ff00ff00ff00fff)
        TEST_RR(14, and, 0x0f000f000f000f00, 0xff00ff00ff00ff00, 0x0ff00ff00ff00fff)
        TEST_RR(15, xor, 0, 0x123456789abcdef0, 0x123456789abcdef0)
        TEST_RR(16, or,  -1, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa)
        TEST_RR(17, and, 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa)

/* ---- SLT / SLTU: signed vs unsigned ---- */
        TEST_RR(18, slt,  1, -1, 1)
        TEST_RR(19, sltu, 0, -1, 1)
        TEST_RR(20, slt,  0, 1, -1)
        TEST_RR(21, sltu, 1, 1, -1)
        TEST_RR(22, slt,  0, 7, 7)
        TEST_RR(23, sltu, 0, 7, 7)
        TEST_RR(24, slt,  1, 0x8000000000000000, 0x7fffffffffffffff)
        TEST_RR(25, sltu, 0, 0x8000000000000000, 0x7fffffffffffffff)
        TEST_RR(26, sltu, 1, 0, 1)          /* snez-like */
        TEST_RR(27, slt,  1, 0x8000000000000000, 0)

/* ---- register shifts: amount = low 6 bits of rs2 ---- */
        TEST_RR(28, sll, 0x8000000000000000, 1, 63)
        TEST_RR(29, sll, 1, 1, 64)                          /* 64 & 63 = 0 */
        TEST_RR(30, sll, 2, 1, 65)
        TEST_RR(31, sll, 0x8000000000000000, 1, -1)         /* -1 & 63 = 63 */
        TEST_RR(32, sll, 0x2468acf13579bde0, 0x123456789abcdef0, 1)
        TEST_RR(33, srl, 1, 0x8000000000000000, 63)
        TEST_RR(34, srl, 0x8000000000000000, 0x8000000000000000, 64)
        TEST_RR(35, srl, 0x0000000080000000, 0x8000000000000000, 0xffffffffffffffe0)  /* & 63 = 32 */
        TEST_RR(36, sra, -1, 0x8000000000000000, 63)
        TEST_RR(37, sra, 0xffffffff80000000, 0x8000000000000000, 32)
        TEST_RR(38, sra, 0x3fffffffffffffff, 0x7fffffffffffffff, 1)
        TEST_RR(39, sra, 0x8000000000000000, 0x8000000000000000, 0x1c0)  /* & 63 = 0 */

/* ---- OP-IMM ---- */
        TEST_RI(40, addi, 0, 0, 0)
        TEST_RI(41, addi, 2047, 0, 2047)
        TEST_RI(42, addi, -2048, 0, -2048)
        TEST_RI(43, addi, 0x7fffffffffffffff, 0x8000000000000000, -1)
        TEST_RI(44, addi, 0x0000000100000000, 0x00000000ffffffff, 1)
        TEST_RI(45, slti, 1, -5, -4)
        TEST_RI(46, slti, 0, -4, -4)
        TEST_RI(47, slti, 0, 0, -1)
        TEST_RI(48, sltiu, 1, 0, -1)        /* imm sign-extended to 0xfff..f, then unsigned compare */
        TEST_RI(49, sltiu, 0, -1, -1)
        TEST_RI(50, sltiu, 1, 0, 1)         /* seqz */
        TEST_RI(51, sltiu, 0, 5, 1)
        TEST_RI(52, sltiu, 1, 0x7fe, 0x7ff)
        TEST_RI(53, xori, 0xedcba98765432110, 0x123456789abcdeef, -1)  /* not */
        TEST_RI(54, xori, 0x123456789abcd910, 0x123456789abcdeef, 0x7ff)
        TEST_RI(55, ori,  0xfffffffffffff800, 0, -2048)
        TEST_RI(56, ori,  0x123456789abcd7ff, 0x123456789abcd000, 0x7ff)
        TEST_RI(57, andi, 0x123456789abcdef0, 0x123456789abcdeff, -16)  /* upper bits kept */
        TEST_RI(58, andi, 0x00000000000006f6, 0x123456789abcdeff, 0x7f6)
        TEST_RI(59, slli, 0x8000000000000000, 1, 63)
        TEST_RI(60, slli, 0x0000000100000000, 1, 32)
        TEST_RI(61, slli, 0xffffffff00000000, 0x00000000ffffffff, 32)
        TEST_RI(62, srli, 1, 0x8000000000000000, 63)
        TEST_RI(63, srli, 0x00000000ffffffff, -1, 32)
        TEST_RI(64, srai, -1, 0x8000000000000000, 63)
        TEST_RI(65, srai, 0xffffffff80000000, 0x8000000000000000, 32)
        TEST_RI(66, srai, 0x0000000012345678, 0x1234567800000000, 32)
        TEST_RI(67, srli, 0x123456789abcdef0, 0x123456789abcdef0, 0)

/* ---- OP-32: 32-bit operation, result sign-extended, upper source bits ignored ---- */
        TEST_RR(68, addw, 0xffffffff80000000, 0x7fffffff, 1)              /* overflow into bit 31 */
        TEST_RR(69, addw, 0, 0xffffffffffffffff, 1)
        TEST_RR(70, addw, 3, 0x1234567800000001, 0x8765432100000002)      /* upper halves ignored */
        TEST_RR(71, addw, 0xfffffffffffffffe, 0x00000000ffffffff, 0x00000000ffffffff)
        TEST_RR(72, subw, 0xffffffffffffffff, 0, 1)
        TEST_RR(73, subw, 0x000000007fffffff, 0x80000000, 1)              /* 0x80000000 - 1, positive */
        TEST_RR(74, subw, 0, 0xaaaaaaaa12345678, 0x5555555512345678)
        TEST_RR(75, sllw, 0xffffffff80000000, 1, 31)                      /* sign-extended */
        TEST_RR(76, sllw, 1, 1, 32)                                       /* 32 & 31 = 0 */
        TEST_RR(77, sllw, 0xffffffff80000000, 1, 63)                      /* 63 & 31 = 31 */
        TEST_RR(78, sllw, 0x0000000012345678, 0xfedcba9812345678, 0)      /* shift 0 = sext.w */
        TEST_RR(79, sllw, 0xffffffff9abcdef0, 0x000000019abcdef0, 64)
        TEST_RR(80, srlw, 0x0000000000000001, 0x0000000080000000, 31)
        TEST_RR(81, srlw, 0xffffffff80000000, 0x0000000080000000, 0)      /* shift 0: bit 31 set, sign-extended */
        TEST_RR(82, srlw, 0x0000000040000000, 0xffffffff80000000, 1)      /* zeros shifted in at bit 31 */
        TEST_RR(83, srlw, 0x0000000008000000, 0x1234567880000000, 4)      /* upper 32 bits of rs1 ignored */
        TEST_RR(84, srlw, 0xffffffff80000000, 0x0000000080000000, 32)     /* 32 & 31 = 0 */
        TEST_RR(85, sraw, 0xffffffffffffffff, 0x0000000080000000, 31)     /* bit 31 is the sign */
        TEST_RR(86, sraw, 0xfffffffff8000000, 0x0000000080000000, 4)
        TEST_RR(87, sraw, 0x0000000000000007, 0xffffffff7fffffff, 28)
        TEST_RR(88, sraw, 0xffffffffc0000000, 0x0000000080000000, 33)     /* 33 & 31 = 1 */

/* ---- OP-IMM-32 ---- */
        TEST_RI(89, addiw, 0xffffffff80000000, 0x7fffffff, 1)
        TEST_RI(90, addiw, 0x000000007fffffff, 0xffffffff80000000, -1)
        TEST_RI(91, addiw, 0x0000000012345678, 0xaaaaaaaa12345678, 0)     /* sext.w */
        TEST_RI(92, addiw, 0xffffffff87654321, 0x0000000087654321, 0)
        TEST_RI(93, addiw, 0xfffffffffffff800, 0, -2048)
        TEST_RI(94, slliw, 0xffffffff80000000, 1, 31)
        TEST_RI(95, slliw, 0x0000000034567800, 0xfedcba9812345678, 8)
        TEST_RI(96, srliw, 0x0000000000000001, 0x0000000080000000, 31)
        TEST_RI(97, srliw, 0xffffffff80000000, 0x0000000080000000, 0)
        TEST_RI(98, srliw, 0x000000000fffffff, 0xffffffffffffffff, 4)
        TEST_RI(99, sraiw, 0xffffffffffffffff, 0x0000000080000000, 31)
        TEST_RI(100, sraiw, 0xfffffffff8000000, 0x1234567880000000, 4)
        TEST_RI(101, sraiw, 0x0000000007ffffff, 0xffffffff7fffffff, 4)

/* ---- rd == rs1, rd == rs2, rs1 == rs2 ---- */
        TEST_CASE(102, a1, 24, li a1, 13; li a2, 11; add a1, a1, a2)
        TEST_CASE(103, a2, 2, li a1, 13; li a2, 11; sub a2, a1, a2)
        TEST_CASE(104, a1, 26, li a1, 13; add a1, a1, a1)
        TEST_CASE(105, a1, 0, li a1, 13; sub a1, a1, a1)
        TEST_CASE(106, a1, 0x1a0, li a1, 13; slli a1, a1, 5)
        TEST_CASE(107, a1, 0xffffffff80000000, li a1, 0x7fffffff; addiw a1, a1, 1)
        TEST_CASE(108, a1, 0x1a000, li a1, 13; sll a1, a1, a1)            /* 13 << 13 */

/* ---- x0 is hard-wired to zero: writes are ignored ---- */
        TEST_CASE(109, a0, 0, li a1, 5; addi x0, a1, 1; mv a0, x0)
        TEST_CASE(110, a0, 0, li a1, 5; li a2, 7; add x0, a1, a2; add a0, x0, x0)
        TEST_CASE(111, a0, 0, lui x0, 0x12345; mv a0, x0)
        TEST_CASE(112, a0, 0, auipc x0, 1; mv a0, x0)
        TEST_CASE(113, a0, 0, li a1, -1; sraiw x0, a1, 1; or a0, x0, x0)
        TEST_CASE(114, a0, 0x7ff, addi a0, x0, 0x7ff)                     /* reading x0 gives 0 */
        TEST_CASE(115, a0, 5, li a1, 5; sub a0, a1, x0)

/* ---- LUI ---- */
        TEST_CASE(116, a0, 0x0000000000000000, lui a0, 0)
        TEST_CASE(117, a0, 0x000000007ffff000, lui a0, 0x7ffff)
        TEST_CASE(118, a0, 0xffffffff80000000, lui a0, 0x80000)           /* bit 31 sign-extended */
        TEST_CASE(119, a0, 0xfffffffffffff000, lui a0, 0xfffff)
        TEST_CASE(120, a0, 0x0000000012345678, lui a0, 0x12345; addi a0, a0, 0x678)
        TEST_CASE(121, a0, 0xffffffff80000800, lui a0, 0x80001; addi a0, a0, -0x800)

/* ---- AUIPC: pc + sign-extended (imm << 12) ---- */
        li gp, 122
1:      auipc a0, 0
        la a1, 1b
        CHECK_EQ(a0, a1)
        li gp, 123
2:      auipc a0, 1
        la a1, 2b
        li a2, 0x1000
        add a1, a1, a2
        CHECK_EQ(a0, a1)
        li gp, 124
3:      auipc a0, 0xfffff                  /* pc - 0x1000 */
        la a1, 3b
        li a2, -0x1000
        add a1, a1, a2
        CHECK_EQ(a0, a1)
        li gp, 125
4:      auipc a0, 0x80000                  /* pc - 0x8000_0000: the immediate is sign-extended */
        la a1, 4b
        li a2, 0xffffffff80000000
        add a1, a1, a2
        CHECK_EQ(a0, a1)
        li gp, 126
5:      auipc a0, 0x7ffff                  /* pc + 0x7fff_f000 */
        la a1, 5b
        li a2, 0x7ffff000
        add a1, a1, a2
        CHECK_EQ(a0, a1)

/* ---- NOP and a long dependent chain ---- */
        TEST_CASE(127, a0, 7, li a0, 7; nop; nop; addi x0, x0, 0)
        TEST_CASE(128, a0, 0x00000000ffffffff, li a0, -1; slli a0, a0, 32; srli a0, a0, 32)
        TEST_CASE(129, a0, 0x0000000080000000, li a0, 1; slli a0, a0, 31)
        TEST_CASE(130, a0, 0xffffffff00000000, li a0, -1; srai a0, a0, 32; slli a0, a0, 32)

TEST_END
