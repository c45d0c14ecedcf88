/*
 * rv64m.S - M extension: MUL/MULH/MULHSU/MULHU/MULW, DIV/DIVU/REM/REMU and the W forms.
 *
 * Spec points ("M" chapter, table "Semantics for division by zero and division overflow"):
 * x/0 gives quotient -1 (all ones, also for DIVU) and remainder x; signed overflow
 * MIN/-1 gives quotient MIN and remainder 0; division truncates toward zero and the
 * remainder has the sign of the dividend. The W forms use the low 32 bits of their
 * sources and sign-extend the 32-bit result - for DIVUW/REMUW too, so 0xffffffff
 * becomes -1 (the operands are treated as unsigned, the result is still sign-extended).
 */
#include "test.h"

TEST_BEGIN

/* ---- MUL: low 64 bits ---- */
        TEST_RR(1,  mul, 0, 0, 0)
        TEST_RR(2,  mul, 21, 3, 7)
        TEST_RR(3,  mul, 1, -1, -1)
        TEST_RR(4,  mul, -7, 7, -1)
        TEST_RR(5,  mul, 0x8000000000000000, 0x8000000000000000, -1)    /* overflow wraps */
        TEST_RR(6,  mul, 0xfffffffffffffffe, 0x7fffffffffffffff, 2)
        TEST_RR(7,  mul, 0x0000000100000000, 0x10000, 0x10000)
        TEST_RR(8,  mul, 0x8c070f2ce8cb4ae0, 0x123456789abcdef0, 0x0fedcba987654432)

/* ---- MULH: high 64 bits of signed x signed ---- */
        TEST_RR(9,  mulh, 0, -1, -1)
        TEST_RR(10, mulh, -1, -1, 1)
        TEST_RR(11, mulh, 0x4000000000000000, 0x8000000000000000, 0x8000000000000000)
        TEST_RR(12, mulh, 0, 0x8000000000000000, -1)                    /* +2^63 fits the high half as 0 */
        TEST_RR(13, mulh, 0xc000000000000000, 0x8000000000000000, 0x7fffffffffffffff)
        TEST_RR(14, mulh, 0x3fffffffffffffff, 0x7fffffffffffffff, 0x7fffffffffffffff)
        TEST_RR(15, mulh, 0, 0x7fffffffffffffff, 1)
        TEST_RR(16, mulh, -1, -2, 0x7fffffffffffffff)

/* ---- MULHU: unsigned x unsigned ---- */
        TEST_RR(17, mulhu, 0xfffffffffffffffe, -1, -1)
        TEST_RR(18, mulhu, 1, 0x8000000000000000, 2)
        TEST_RR(19, mulhu, 0, 0xffffffff, 0xffffffff)
        TEST_RR(20, mulhu, 0x00000000fffffffe, 0xffffffff00000000, 0xffffffff)
        TEST_RR(21, mulhu, 0x4000000000000000, 0x8000000000000000, 0x8000000000000000)

/* ---- MULHSU: signed rs1 x unsigned rs2 ---- */
        TEST_RR(22, mulhsu, -1, -1, -1)                                  /* -(2^64-1): high = -1 */
        TEST_RR(23, mulhsu, -1, -1, 1)
        TEST_RR(24, mulhsu, 0, 1, -1)                                    /* rs2 = 2^64-1, positive */
        TEST_RR(25, mulhsu, 0x8000000000000000, 0x8000000000000000, -1)
        TEST_RR(26, mulhsu, 0x7ffffffffffffffe, 0x7fffffffffffffff, -1)
        TEST_RR(27, mulhsu, 0xffffffffffffffff, -2, 0x8000000000000000)

/* ---- MULW: low 32 bits of the product, sign-extended; upper source bits ignored ---- */
        TEST_RR(28, mulw, 0xfffffffffffffffe, 0x7fffffff, 2)
        TEST_RR(29, mulw, 15, 0x100000003, 0x500000005)
        TEST_RR(30, mulw, 0xffffffff80000000, 0x10000, 0x8000)
        TEST_RR(31, mulw, 1, 0xffffffff, 0xffffffff)                    /* (-1) * (-1) in 32 bits */
        TEST_RR(32, mulw, 0, 0x10000, 0x10000)                          /* 2^32 truncated */

/* ---- DIV ---- */
        TEST_RR(33, div, 3, 20, 6)
        TEST_RR(34, div, -3, -20, 6)                                     /* truncates toward zero */
        TEST_RR(35, div, -3, 20, -6)
        TEST_RR(36, div, 3, -20, -6)
        TEST_RR(37, div, -1, 20, 0)                                      /* by zero: -1 */
        TEST_RR(38, div, -1, -20, 0)
        TEST_RR(39, div, -1, 0, 0)
        TEST_RR(40, div, 0x8000000000000000, 0x8000000000000000, -1)    /* overflow: MIN */
        TEST_RR(41, div, 0xc000000000000000, 0x8000000000000000, 2)
        TEST_RR(42, div, 0, 5, 7)

/* ---- DIVU ---- */
        TEST_RR(43, divu, 3, 20, 6)
        TEST_RR(44, divu, 0x2aaaaaaaaaaaaaa7, -20, 6)
        TEST_RR(45, divu, 0xffffffffffffffff, 20, 0)                     /* by zero: all ones */
        TEST_RR(46, divu, 0xffffffffffffffff, 0, 0)
        TEST_RR(47, divu, 0, 0x8000000000000000, -1)
        TEST_RR(48, divu, 1, -1, -1)

/* ---- REM: sign of the dividend ---- */
        TEST_RR(49, rem, 2, 20, 6)
        TEST_RR(50, rem, -2, -20, 6)
        TEST_RR(51, rem, 2, 20, -6)
        TEST_RR(52, rem, -2, -20, -6)
        TEST_RR(53, rem, 20, 20, 0)                                      /* by zero: the dividend */
        TEST_RR(54, rem, -20, -20, 0)
        TEST_RR(55, rem, 0, 0x8000000000000000, -1)                     /* overflow: 0 */
        TEST_RR(56, rem, 0x8000000000000000, 0x8000000000000000, 0)

/* ---- REMU ---- */
        TEST_RR(57, remu, 2, 20, 6)
        TEST_RR(58, remu, 2, -20, 6)
        TEST_RR(59, remu, 20, 20, 0)
        TEST_RR(60, remu, 0xffffffffffffffec, -20, 0)
        TEST_RR(61, remu, 0x7fffffffffffffff, 0x7fffffffffffffff, 0x8000000000000000)

/* ---- DIVW / REMW: 32-bit signed ---- */
        TEST_RR(62, divw, 3, 20, 6)
        TEST_RR(63, divw, -3, -20, 6)
        TEST_RR(64, divw, -3, 0xaaaaaaaa00000014, 0x55555555fffffffa)   /* upper halves ignored */
        TEST_RR(65, divw, -1, 20, 0)
        TEST_RR(66, divw, -1, 20, 0x100000000)                          /* divisor's low 32 bits are 0 */
        TEST_RR(67, divw, 0xffffffff80000000, 0x80000000, -1)           /* overflow: MIN32, sign-extended */
        TEST_RR(68, divw, 0xffffffffc0000000, 0x80000000, 2)
        TEST_RR(69, remw, 2, 20, 6)
        TEST_RR(70, remw, -2, -20, 6)
        TEST_RR(71, remw, 0, 0x80000000, -1)                            /* overflow: 0 */
        TEST_RR(72, remw, 20, 20, 0)
        TEST_RR(73, remw, 0xffffffff80000000, 0x180000000, 0)           /* by zero: sext(dividend[31:0]) */
        TEST_RR(74, remw, -1, 0xffffffff, 0)

/* ---- DIVUW / REMUW: 32-bit unsigned operands, result sign-extended ---- */
        TEST_RR(75, divuw, 3, 20, 6)
        TEST_RR(76, divuw, 0x000000002aaaaaa7, -20, 6)                   /* 0xffffffec / 6 */
        TEST_RR(77, divuw, 0xffffffffffffffff, 0xffffffff, 1)           /* 0xffffffff sign-extends to -1 */
        TEST_RR(78, divuw, 0xffffffff80000000, 0x80000000, 1)
        TEST_RR(79, divuw, 0xffffffffffffffff, 20, 0)                   /* by zero: 0xffffffff, sign-extended */
        TEST_RR(80, divuw, 4, 0xffffffff00000010, 0xaaaaaaaa00000004)   /* upper halves ignored */
        TEST_RR(81, divuw, 0, 0x80000000, -1)                           /* not an overflow: 2^31 / (2^32-1) */
        TEST_RR(82, divuw, 0x7fffffff, 0xfffffffe, 2)
        TEST_RR(83, remuw, 2, 20, 6)
        TEST_RR(84, remuw, 5, 0xfffffff5, 10)
        TEST_RR(85, remuw, 0xffffffff80000001, 0x80000001, 0)           /* by zero: sext(dividend[31:0]) */
        TEST_RR(86, remuw, 0x0000000012345678, 0xabcdef0012345678, 0)
        TEST_RR(87, remuw, 0xffffffff80000000, 0x80000000, -1)          /* 2^31 mod (2^32-1) = 2^31 */
        TEST_RR(88, remuw, 0x7fffffff, 0x17fffffff, 0x80000000)

/* ---- register aliasing and x0 ---- */
        TEST_CASE(89, a1, 143, li a1, 11; li a2, 13; mul a1, a1, a2)
        TEST_CASE(90, a2, 143, li a1, 11; li a2, 13; mul a2, a1, a2)
        TEST_CASE(91, a1, 121, li a1, 11; mul a1, a1, a1)
        TEST_CASE(92, a1, 1, li a1, -7; div a1, a1, a1)
        TEST_CASE(93, a1, 0, li a1, -7; rem a1, a1, a1)
        TEST_CASE(94, a0, 0, li a1, 5; li a2, 6; mul x0, a1, a2; mv a0, x0)
        TEST_CASE(95, a0, -1, li a1, 5; div a0, a1, x0)                 /* x0 as the divisor */
        TEST_CASE(96, a0, 0, li a1, 5; divu a0, x0, a1)
        TEST_CASE(97, a0, 0, li a1, 5; mulh a0, a1, x0)
        TEST_CASE(98, a2, 0xfffffffffffffffe, li a2, -1; mulhu a2, a2, a2)

/* ---- a MULH/MUL pair gives the full 128-bit product ---- */
        TEST_RR(99,  mulh, 0xfffffffffffffffe, 0x1111111111111111, -16)
        TEST_RR(100, mul,  0xeeeeeeeeeeeeeef0, 0x1111111111111111, -16)

TEST_END
