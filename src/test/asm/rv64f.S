/*
 * rv64f.S - F extension: every instruction, every rounding mode, every exception flag, and
 * NaN boxing of single-precision values in the 64-bit f registers.
 *
 * Spec points (unprivileged "F" chapter, "NaN Boxing of Narrower Values"):
 *  - a single-precision operand whose upper 32 bits are not all ones is the canonical NaN
 *    0x7fc00000 (so it never raises NV by itself); every single result is written NaN-boxed;
 *    FLW NaN-boxes, FSW stores the low 32 bits whatever they are; FMV.X.W takes the low 32
 *    bits sign-extended, without looking at the upper half; FMV.W.X NaN-boxes.
 *  - rounding, flags, canonical NaNs, fmin/fmax, compares, fclass and conversions as for D
 *    (see rv64d.S); FCVT.W[U].S results are sign-extended to 64 bits.
 * The hart-level rules (FS, frm, reserved rounding modes) are tested in rv64d.S.
 */
#include "test.h"
#include "fp_test.h"

#define ONE      0x3f800000
#define ONE_ULP  0x3f800001      /* 1 + 2^-23 */
#define ONE_2ULP 0x3f800002
#define BELOW1   0x3f7fffff      /* 1 - 2^-24 */
#define TWO      0x40000000
#define THREE    0x40400000
#define HALF     0x3f000000
#define MONE     0xbf800000
#define P2M24    0x33800000      /* half an ulp of 1 */
#define P2M25    0x33000000
#define MAXF     0x7f7fffff
#define MMAXF    0xff7fffff
#define INF      0x7f800000
#define MINF     0xff800000
#define QNAN     0x7fc00000
#define QNANP    0xffc00123
#define SNAN     0x7fa00000
#define MINNORM  0x00800000
#define MAXSUB   0x007fffff
#define MINSUB   0x00000001
#define PZERO    0x00000000
#define MZERO    0x80000000
#define NX       FFLAGS_NX
#define UF       FFLAGS_UF
#define OF       FFLAGS_OF
#define DZ       FFLAGS_DZ
#define NV       FFLAGS_NV

/* f1 = an improperly boxed 64-bit pattern */
#define LOAD_UNBOXED(v) li a1, v; fmv.d.x f1, a1

TEST_BEGIN
        FP_ENABLE

/* ---- fadd.s / fsub.s ---- */
        TEST_S_RR(1,  fadd.s, rne, ONE, NX, ONE, P2M24)                  /* tie, even below */
        TEST_S_RR(2,  fadd.s, rtz, ONE, NX, ONE, P2M24)
        TEST_S_RR(3,  fadd.s, rdn, ONE, NX, ONE, P2M24)
        TEST_S_RR(4,  fadd.s, rup, ONE_ULP, NX, ONE, P2M24)
        TEST_S_RR(5,  fadd.s, rmm, ONE_ULP, NX, ONE, P2M24)
        TEST_S_RR(6,  fadd.s, rne, ONE_2ULP, NX, ONE_ULP, P2M24)         /* tie, odd below */
        TEST_S_RR(7,  fadd.s, rdn, ONE_ULP, NX, ONE_ULP, P2M24)
        TEST_S_RR(8,  fadd.s, rdn, 0xbf800001, NX, MONE, 0xb3800000)
        TEST_S_RR(9,  fadd.s, rup, MONE, NX, MONE, 0xb3800000)
        TEST_S_RR(10, fadd.s, rmm, 0xbf800001, NX, MONE, 0xb3800000)
        TEST_S_RR(11, fadd.s, rne, ONE, NX, ONE, 0x2f800000)              /* 2^-32: far below half */
        TEST_S_RR(12, fadd.s, rup, ONE_ULP, NX, ONE, 0x2f800000)
        TEST_S_RR(13, fadd.s, rne, THREE, 0, ONE, TWO)
        TEST_S_RR(14, fadd.s, rne, PZERO, 0, ONE, MONE)
        TEST_S_RR(15, fadd.s, rdn, MZERO, 0, ONE, MONE)
        TEST_S_RR(16, fadd.s, rdn, MZERO, 0, MZERO, PZERO)
        TEST_S_RR(17, fadd.s, rne, INF, OF|NX, MAXF, MAXF)
        TEST_S_RR(18, fadd.s, rtz, MAXF, OF|NX, MAXF, MAXF)
        TEST_S_RR(19, fadd.s, rdn, MAXF, OF|NX, MAXF, MAXF)
        TEST_S_RR(20, fadd.s, rup, INF, OF|NX, MAXF, MAXF)
        TEST_S_RR(21, fadd.s, rmm, INF, OF|NX, MAXF, MAXF)
        TEST_S_RR(22, fadd.s, rdn, MINF, OF|NX, MMAXF, MMAXF)
        TEST_S_RR(23, fadd.s, rup, MMAXF, OF|NX, MMAXF, MMAXF)
        TEST_S_RR(24, fadd.s, rtz, MAXF, NX, MAXF, 0x73000000)            /* MAX + half an ulp */
        TEST_S_RR(25, fadd.s, rne, INF, OF|NX, MAXF, 0x73000000)
        TEST_S_RR(26, fadd.s, rne, QNAN, NV, INF, MINF)
        TEST_S_RR(27, fadd.s, rne, QNAN, 0, QNANP, ONE)
        TEST_S_RR(28, fadd.s, rne, QNAN, NV, ONE, SNAN)
        TEST_S_RR(29, fadd.s, rne, MINNORM, 0, MAXSUB, MINSUB)
        TEST_S_RR(30, fsub.s, rne, ONE, NX, ONE, P2M25)                   /* 1 - 2^-25: tie below 1 */
        TEST_S_RR(31, fsub.s, rtz, BELOW1, NX, ONE, P2M25)
        TEST_S_RR(32, fsub.s, rmm, ONE, NX, ONE, P2M25)
        TEST_S_RR(33, fsub.s, rdn, MZERO, 0, TWO, TWO)
        TEST_S_RR(34, fsub.s, rne, QNAN, NV, INF, INF)

/* ---- fmul.s ---- */
        TEST_S_RR(40, fmul.s, rne, ONE_2ULP, NX, ONE_ULP, ONE_ULP)          /* 1 + 2^-22 + 2^-46 */
        TEST_S_RR(41, fmul.s, rtz, ONE_2ULP, NX, ONE_ULP, ONE_ULP)
        TEST_S_RR(42, fmul.s, rup, 0x3f800003, NX, ONE_ULP, ONE_ULP)
        TEST_S_RR(43, fmul.s, rdn, 0xbf800003, NX, 0xbf800001, ONE_ULP)
        /* (1 + 2^-12)(1 + 2^-12) = 1 + 2^-11 + 2^-24: tie, even below */
        TEST_S_RR(44, fmul.s, rne, 0x3f801000, NX, 0x3f800800, 0x3f800800)
        TEST_S_RR(45, fmul.s, rmm, 0x3f801001, NX, 0x3f800800, 0x3f800800)
        /* tininess after rounding: (1 + 2^-23) * (2^-126 - 2^-149) = 2^-126 (1 - 2^-46) */
        TEST_S_RR(46, fmul.s, rne, MINNORM, NX, ONE_ULP, MAXSUB)
        TEST_S_RR(47, fmul.s, rtz, MAXSUB, UF|NX, ONE_ULP, MAXSUB)
        TEST_S_RR(48, fmul.s, rdn, MAXSUB, UF|NX, ONE_ULP, MAXSUB)
        TEST_S_RR(49, fmul.s, rup, MINNORM, NX, ONE_ULP, MAXSUB)
        TEST_S_RR(50, fmul.s, rmm, MINNORM, NX, ONE_ULP, MAXSUB)
        TEST_S_RR(51, fmul.s, rne, MINNORM, UF|NX, BELOW1, MINNORM)        /* exact at 24 bits: tiny */
        TEST_S_RR(52, fmul.s, rne, PZERO, UF|NX, MINSUB, HALF)
        TEST_S_RR(53, fmul.s, rup, MINSUB, UF|NX, MINSUB, HALF)
        TEST_S_RR(54, fmul.s, rmm, MINSUB, UF|NX, MINSUB, HALF)
        TEST_S_RR(55, fmul.s, rdn, 0x80000001, UF|NX, 0x80000001, HALF)
        TEST_S_RR(56, fmul.s, rne, 0x00400000, 0, MINNORM, HALF)          /* exact subnormal */
        TEST_S_RR(57, fmul.s, rne, INF, OF|NX, MAXF, TWO)
        TEST_S_RR(58, fmul.s, rtz, MAXF, OF|NX, MAXF, TWO)
        TEST_S_RR(59, fmul.s, rne, QNAN, NV, INF, MZERO)
        TEST_S_RR(60, fmul.s, rne, MZERO, 0, PZERO, MONE)

/* ---- fdiv.s / fsqrt.s ---- */
        TEST_S_RR(70, fdiv.s, rne, 0x3eaaaaab, NX, ONE, THREE)
        TEST_S_RR(71, fdiv.s, rtz, 0x3eaaaaaa, NX, ONE, THREE)
        TEST_S_RR(72, fdiv.s, rdn, 0x3eaaaaaa, NX, ONE, THREE)
        TEST_S_RR(73, fdiv.s, rup, 0x3eaaaaab, NX, ONE, THREE)
        TEST_S_RR(74, fdiv.s, rmm, 0x3eaaaaab, NX, ONE, THREE)
        TEST_S_RR(75, fdiv.s, rdn, 0xbeaaaaab, NX, MONE, THREE)
        TEST_S_RR(76, fdiv.s, rne, INF, DZ, ONE, PZERO)
        TEST_S_RR(77, fdiv.s, rne, MINF, DZ, MONE, PZERO)
        TEST_S_RR(78, fdiv.s, rne, QNAN, NV, PZERO, PZERO)
        TEST_S_RR(79, fdiv.s, rne, QNAN, NV, INF, INF)
        TEST_S_RR(80, fdiv.s, rne, PZERO, 0, ONE, INF)
        TEST_S_RR(81, fdiv.s, rne, INF, OF|NX, MAXF, HALF)
        TEST_S_RR(82, fdiv.s, rtz, MAXF, OF|NX, MAXF, HALF)
        /* 2^-126 (1 - 2^-24) (exact at 24 bits: tiny) rounds to the smallest normal: UF */
        TEST_S_RR(83, fdiv.s, rne, MINNORM, UF|NX, 0x0c7fffff, 0x4b800000)
        TEST_S_R(90, fsqrt.s, rne, 0x3fb504f3, NX, TWO)                    /* sqrt(2) rounds down */
        TEST_S_R(91, fsqrt.s, rtz, 0x3fb504f3, NX, TWO)
        TEST_S_R(92, fsqrt.s, rdn, 0x3fb504f3, NX, TWO)
        TEST_S_R(93, fsqrt.s, rup, 0x3fb504f4, NX, TWO)
        TEST_S_R(94, fsqrt.s, rmm, 0x3fb504f3, NX, TWO)
        TEST_S_R(95, fsqrt.s, rne, 0x40400000, 0, 0x41100000)              /* sqrt(9) = 3 */
        TEST_S_R(96, fsqrt.s, rne, QNAN, NV, MONE)
        TEST_S_R(97, fsqrt.s, rne, MZERO, 0, MZERO)
        TEST_S_R(98, fsqrt.s, rne, INF, 0, INF)
        TEST_S_R(99, fsqrt.s, rne, QNAN, NV, SNAN)
        TEST_S_R(100, fsqrt.s, rne, 0x1a3504f3, NX, MINSUB)                 /* sqrt(2^-149) */

/* ---- fused multiply-add ---- */
        /* (1 + 2^-23)^2 - 1 = 2^-22 (1 + 2^-24): a tie */
        TEST_S_RRR(110, fmadd.s, rne, 0x34800000, NX, ONE_ULP, ONE_ULP, MONE)
        TEST_S_RRR(111, fmadd.s, rtz, 0x34800000, NX, ONE_ULP, ONE_ULP, MONE)
        TEST_S_RRR(112, fmadd.s, rdn, 0x34800000, NX, ONE_ULP, ONE_ULP, MONE)
        TEST_S_RRR(113, fmadd.s, rup, 0x34800001, NX, ONE_ULP, ONE_ULP, MONE)
        TEST_S_RRR(114, fmadd.s, rmm, 0x34800001, NX, ONE_ULP, ONE_ULP, MONE)
        TEST_S_RRR(115, fmadd.s, rne, 0x40a00000, 0, TWO, TWO, ONE)         /* 5 */
        TEST_S_RRR(116, fmsub.s, rne, 0x40400000, 0, TWO, TWO, ONE)         /* 3 */
        TEST_S_RRR(117, fnmsub.s, rne, 0xc0400000, 0, TWO, TWO, ONE)        /* -3 */
        TEST_S_RRR(118, fnmadd.s, rne, 0xc0a00000, 0, TWO, TWO, ONE)        /* -5 */
        TEST_S_RRR(119, fnmadd.s, rdn, 0xb4800001, NX, ONE_ULP, ONE_ULP, MONE)
        TEST_S_RRR(120, fmadd.s, rne, QNAN, NV, INF, PZERO, QNAN)          /* inf*0 + qNaN: NV */
        TEST_S_RRR(121, fmadd.s, rne, QNAN, NV, INF, ONE, MINF)
        TEST_S_RRR(122, fmadd.s, rne, QNAN, 0, ONE, ONE, QNANP)
        TEST_S_RRR(123, fmadd.s, rne, QNAN, NV, SNAN, ONE, ONE)
        TEST_S_RRR(124, fmadd.s, rdn, MZERO, 0, TWO, THREE, 0xc0c00000)     /* 6 - 6 */
        TEST_S_RRR(125, fmadd.s, rne, PZERO, 0, TWO, THREE, 0xc0c00000)
        TEST_S_RRR(126, fmadd.s, rne, INF, OF|NX, MAXF, TWO, MONE)
        /* a huge addend makes the double sum inexact: one rounding of the exact value */
        TEST_S_RRR(127, fmadd.s, rne, 0x4e800000, NX, ONE, 0x30800000, 0x4e800000)  /* 2^30 + 2^-30 */
        TEST_S_RRR(130, fmadd.s, rup, 0x4e800001, NX, ONE, 0x30800000, 0x4e800000)
        TEST_S_RRR(131, fmadd.s, rne, 0x4b800000, 0, ONE, ONE, 0x4b7fffff)          /* 2^24 - 1 + 1: exact */
        TEST_S_RRR(128, fmadd.s, rup, 0x3f800001, NX, 0x2f800000, 0x2f800000, ONE) /* 1 + 2^-64 */
        TEST_S_RRR(129, fmadd.s, rne, ONE, NX, 0x2f800000, 0x2f800000, ONE)

/* ---- sign injection, min/max, compares, fclass ---- */
        TEST_S_RR_NORM(140, fsgnj.s, MONE, 0, ONE, 0xc0000000)
        TEST_S_RR_NORM(141, fsgnjn.s, ONE, 0, ONE, 0xc0000000)
        TEST_S_RR_NORM(142, fsgnjx.s, ONE, 0, MONE, 0xc0000000)
        TEST_S_RR_NORM(143, fsgnjn.s, 0xffa00000, 0, SNAN, ONE)           /* no NV, not canonical */
        TEST_S_RR_NORM(150, fmin.s, MZERO, 0, PZERO, MZERO)
        TEST_S_RR_NORM(151, fmax.s, PZERO, 0, MZERO, PZERO)
        TEST_S_RR_NORM(152, fmin.s, ONE, 0, QNANP, ONE)
        TEST_S_RR_NORM(153, fmax.s, ONE, NV, SNAN, ONE)
        TEST_S_RR_NORM(154, fmin.s, QNAN, 0, QNANP, QNAN)
        TEST_S_RR_NORM(155, fmax.s, TWO, 0, ONE, TWO)
        TEST_S_RR_NORM(156, fmin.s, MINF, 0, ONE, MINF)
        TEST_S_CMP(160, feq.s, 1, 0, MZERO, PZERO)
        TEST_S_CMP(161, feq.s, 0, 0, QNAN, QNAN)
        TEST_S_CMP(162, feq.s, 0, NV, SNAN, ONE)
        TEST_S_CMP(163, flt.s, 1, 0, ONE, TWO)
        TEST_S_CMP(164, flt.s, 0, NV, ONE, QNAN)
        TEST_S_CMP(165, fle.s, 1, 0, TWO, TWO)
        TEST_S_CMP(166, fle.s, 0, NV, QNAN, TWO)
        TEST_S_CMP(167, flt.s, 0, 0, PZERO, MZERO)
        TEST_S_CLASS(170, 1 << 0, MINF)
        TEST_S_CLASS(171, 1 << 1, MONE)
        TEST_S_CLASS(172, 1 << 2, 0x807fffff)
        TEST_S_CLASS(173, 1 << 3, MZERO)
        TEST_S_CLASS(174, 1 << 4, PZERO)
        TEST_S_CLASS(175, 1 << 5, MINSUB)
        TEST_S_CLASS(176, 1 << 6, ONE)
        TEST_S_CLASS(177, 1 << 7, INF)
        TEST_S_CLASS(178, 1 << 8, SNAN)
        TEST_S_CLASS(179, 1 << 9, QNAN)

/* ---- conversions to integers ---- */
        TEST_S_TOINT(180, fcvt.w.s, rne, 2, NX, 0x40200000)                  /* 2.5 */
        TEST_S_TOINT(181, fcvt.w.s, rtz, 2, NX, 0x40200000)
        TEST_S_TOINT(182, fcvt.w.s, rdn, 2, NX, 0x40200000)
        TEST_S_TOINT(183, fcvt.w.s, rup, 3, NX, 0x40200000)
        TEST_S_TOINT(184, fcvt.w.s, rmm, 3, NX, 0x40200000)
        TEST_S_TOINT(185, fcvt.w.s, rmm, -3, NX, 0xc0200000)
        TEST_S_TOINT(186, fcvt.w.s, rdn, -3, NX, 0xc0200000)
        TEST_S_TOINT(187, fcvt.w.s, rtz, 0x7fffffff, NV, 0x4f000000)         /* 2^31 */
        TEST_S_TOINT(188, fcvt.w.s, rtz, 0xffffffff80000000, 0, 0xcf000000)  /* -2^31 */
        TEST_S_TOINT(189, fcvt.w.s, rtz, 0xffffffff80000000, NV, 0xcf000001)
        TEST_S_TOINT(190, fcvt.w.s, rtz, 0x7fffffff, NV, QNANP)
        TEST_S_TOINT(191, fcvt.w.s, rtz, 0xffffffff80000000, NV, MINF)
        TEST_S_TOINT(192, fcvt.wu.s, rtz, 0, NV, MONE)
        TEST_S_TOINT(193, fcvt.wu.s, rtz, 0, NX, 0xbf000000)                 /* -0.5 */
        TEST_S_TOINT(194, fcvt.wu.s, rdn, 0, NV, 0xbf000000)
        TEST_S_TOINT(195, fcvt.wu.s, rtz, 0xffffffffffffff00, 0, 0x4f7fffff) /* 2^32 - 256, sign-extended */
        TEST_S_TOINT(196, fcvt.wu.s, rtz, 0xffffffffffffffff, NV, 0x4f800000) /* 2^32 */
        TEST_S_TOINT(197, fcvt.wu.s, rtz, 0xffffffffffffffff, NV, QNAN)
        TEST_S_TOINT(198, fcvt.l.s, rtz, 0x7fffffffffffffff, NV, 0x5f000000)  /* 2^63 */
        TEST_S_TOINT(199, fcvt.l.s, rtz, 0x8000000000000000, 0, 0xdf000000)
        TEST_S_TOINT(200, fcvt.l.s, rtz, 0x7fffff8000000000, 0, 0x5effffff)
        TEST_S_TOINT(201, fcvt.l.s, rne, -2, NX, 0xbfc00000)                  /* -1.5 */
        TEST_S_TOINT(202, fcvt.l.s, rtz, 0x7fffffffffffffff, NV, QNAN)
        TEST_S_TOINT(203, fcvt.lu.s, rtz, 0xffffffffffffffff, NV, 0x5f800000) /* 2^64 */
        TEST_S_TOINT(204, fcvt.lu.s, rtz, 0xffffff0000000000, 0, 0x5f7fffff)
        TEST_S_TOINT(205, fcvt.lu.s, rtz, 0, NV, MONE)
        TEST_S_TOINT(206, fcvt.lu.s, rup, 1, NX, 0x3dcccccd)                  /* 0.1 */
        TEST_S_TOINT(207, fcvt.lu.s, rtz, 0xffffffffffffffff, NV, INF)

/* ---- conversions from integers ---- */
        TEST_S_FROMINT(210, fcvt.s.w, rne, 0x4b800000, NX, 0x1000001)          /* 2^24 + 1: tie */
        TEST_S_FROMINT(211, fcvt.s.w, rtz, 0x4b800000, NX, 0x1000001)
        TEST_S_FROMINT(212, fcvt.s.w, rup, 0x4b800001, NX, 0x1000001)
        TEST_S_FROMINT(213, fcvt.s.w, rmm, 0x4b800001, NX, 0x1000001)
        TEST_S_FROMINT(214, fcvt.s.w, rdn, 0xcb800001, NX, -0x1000001)
        TEST_S_FROMINT(215, fcvt.s.w, rne, MONE, 0, 0x55555555ffffffff)        /* low word only */
        TEST_S_FROMINT(216, fcvt.s.w, rne, 0xcf000000, 0, 0x80000000)
        TEST_S_FROMINT(217, fcvt.s.wu, rne, 0x4f800000, NX, 0xffffffff)
        TEST_S_FROMINT(218, fcvt.s.wu, rtz, 0x4f7fffff, NX, 0xffffffff)
        TEST_S_FROMINT(219, fcvt.s.wu, rne, 0x4f000000, 0, 0x1234567880000000) /* low word 2^31 */
        TEST_S_FROMINT(220, fcvt.s.l, rne, 0x5f000000, NX, 0x7fffffffffffffff)
        TEST_S_FROMINT(221, fcvt.s.l, rtz, 0x5effffff, NX, 0x7fffffffffffffff)
        TEST_S_FROMINT(222, fcvt.s.l, rne, 0xdf000000, 0, 0x8000000000000000)
        TEST_S_FROMINT(223, fcvt.s.l, rne, PZERO, 0, 0)
        TEST_S_FROMINT(224, fcvt.s.lu, rne, 0x5f800000, NX, 0xffffffffffffffff)
        TEST_S_FROMINT(225, fcvt.s.lu, rtz, 0x5f7fffff, NX, 0xffffffffffffffff)
        TEST_S_FROMINT(226, fcvt.s.lu, rmm, 0x5f000001, NX, 0x8000008000000000) /* tie: away */
        TEST_S_FROMINT(227, fcvt.s.lu, rne, 0x5f000000, NX, 0x8000008000000000)  /* tie: even */
        TEST_S_FROMINT(228, fcvt.s.lu, rne, 0x5f000002, NX, 0x8000018000000000)  /* tie: even is up */

/* ---- moves ---- */
        TEST_CASE(230, a0, 0xffffffff89abcdef, li a1, 0x0123456789abcdef; fmv.w.x f5, a1; fmv.x.d a0, f5)  /* boxes */
        TEST_CASE(231, a0, 0xffffffff89abcdef, fmv.x.w a0, f5)                 /* sign-extends */
        TEST_CASE(232, a0, 0x0000000012345678, li a1, 0x12345678; fmv.w.x f5, a1; fmv.x.w a0, f5)
        TEST_CASE(233, a0, 0xffffffff9abcdef0, LOAD_UNBOXED(0x123456789abcdef0); fmv.x.w a0, f1)  /* no unboxing */
        TEST_CASE(234, a0, 0xffffffff7fa00000, li a1, SNAN; fmv.w.x f5, a1; fmv.x.d a0, f5)       /* sNaN kept */
        TEST_CASE(235, a0, 0, csrr a0, fflags)

/* ---- NaN boxing: an improperly boxed operand is the canonical NaN ---- */
        li gp, 240; LOAD_UNBOXED(0x000000003f800000); fadd.s f4, f1, f1; CHECK_S(QNAN, 0)
        li gp, 241; LOAD_UNBOXED(0xfffffffe3f800000); fmul.s f4, f1, f1; CHECK_S(QNAN, 0)
        li gp, 242; LOAD_UNBOXED(0x3ff0000000000000); li a2, MONE; fmv.w.x f2, a2; fsgnj.s f4, f1, f2; CHECK_S(0xffc00000, 0)
        li gp, 243; LOAD_UNBOXED(0x3ff0000000000000); li a2, ONE; fmv.w.x f2, a2; fsgnj.s f4, f2, f1; CHECK_S(ONE, 0)  /* canonical NaN's sign is + */
        li gp, 244; LOAD_UNBOXED(0x3ff0000000000000); fclass.s a0, f1; CHECK_X(1 << 9, 0)
        li gp, 245; LOAD_UNBOXED(0x3ff0000000000000); fcvt.d.s f4, f1; CHECK_D(0x7ff8000000000000, 0)
        li gp, 246; LOAD_UNBOXED(0x3ff0000000000000); li a2, ONE; fmv.w.x f2, a2; feq.s a0, f1, f2; CHECK_X(0, 0)
        li gp, 247; LOAD_UNBOXED(0x3ff0000000000000); li a2, ONE; fmv.w.x f2, a2; flt.s a0, f1, f2; CHECK_X(0, NV)
        li gp, 248; LOAD_UNBOXED(0x3ff0000000000000); li a2, ONE; fmv.w.x f2, a2; fmin.s f4, f1, f2; CHECK_S(ONE, 0)
        li gp, 249; LOAD_UNBOXED(0x000000007fa00000); fsqrt.s f4, f1; CHECK_S(QNAN, 0)   /* boxed sNaN it is not */
        li gp, 250; LOAD_UNBOXED(0x000000004f000000); fcvt.w.s a0, f1, rtz; CHECK_X(0x7fffffff, NV)
        li gp, 251; LOAD_UNBOXED(0x3ff0000000000000); li a2, ONE; fmv.w.x f2, a2; fmv.w.x f3, a2; \
                    fmadd.s f4, f2, f3, f1; CHECK_S(QNAN, 0)
        li gp, 252; li a1, 0x3ff8000000000000; fmv.d.x f1, a1; fcvt.s.d f4, f1; CHECK_S(0x3fc00000, 0)  /* boxes */

/* ---- flw / fsw ---- */
        la s0, fp_data
        TEST_CASE(260, a0, 0xffffffff89abcdef, flw f5, 0(s0); fmv.x.d a0, f5)
        TEST_CASE(261, a0, 0xffffffff01234567, flw f5, 4(s0); fmv.x.d a0, f5)
        TEST_CASE(262, a0, 0x9abcdef0, LOAD_UNBOXED(0x123456789abcdef0); fsw f1, 8(s0); lwu a0, 8(s0))  /* low bits, unboxed */
        TEST_CASE(263, a0, 0x00000000ffffffff, li a1, -1; sd a1, 16(s0); sw zero, 20(s0); fmv.w.x f6, a1; \
                  fsw f6, 16(s0); ld a0, 16(s0))
        TEST_CASE(264, a0, 0xffffffff7fa00000, li a1, SNAN; sw a1, 24(s0); flw f5, 24(s0); fmv.x.d a0, f5)  /* no quieting */
        TEST_CASE(265, a0, 0xffffffff01234567, addi s1, s0, 8; flw f5, -4(s1); fmv.x.d a0, f5)
        TEST_CASE(266, a0, 0, csrr a0, fflags)
TEST_END

        .data
        .align 4
fp_data:
        .dword 0x0123456789abcdef
        .space 32
