/*
 * rv64d.S - D extension: every instruction, every rounding mode, every exception flag, and the
 * hart state around them (fcsr/frm/fflags, mstatus.FS and SD, reserved rounding modes).
 *
 * Spec points (unprivileged "F" and "D" chapters, privileged "mstatus"):
 *  - rounding modes RNE RTZ RDN RUP RMM, static or dynamic (rm = 7 reads frm); rm = 5, 6 and a
 *    dynamic frm of 5..7 are illegal instructions. fcsr = frm << 5 | fflags, upper bits zero.
 *  - flags: NV DZ OF UF NX accrue; UF needs tiny *and* inexact, tininess after rounding (a result
 *    that rounds up to the smallest normal from below raises no UF); overflow to MAX or inf
 *    depending on the mode; an exact tiny result raises nothing.
 *  - every NaN result is the canonical NaN 0x7ff8000000000000; a signalling NaN operand raises
 *    NV; FMA raises NV for inf*0 even with a quiet NaN addend.
 *  - fmin/fmax: -0 < +0, one NaN operand gives the other, signalling NaN raises NV; feq is quiet,
 *    flt/fle signal on any NaN; fsgnj* never canonicalize.
 *  - fcvt to integers saturate (NaN -> the maximum) with NV only; W results are sign-extended.
 *  - mstatus.FS = Off makes FP instructions and the FP CSRs illegal; changing FP state sets
 *    FS = Dirty and SD; FS is writable through mstatus and sstatus.
 */
#include "test.h"
#include "fp_test.h"

#define ONE      0x3ff0000000000000
#define ONE_ULP  0x3ff0000000000001      /* 1 + 2^-52 */
#define ONE_2ULP 0x3ff0000000000002
#define BELOW1   0x3fefffffffffffff      /* 1 - 2^-53 */
#define TWO      0x4000000000000000
#define THREE    0x4008000000000000
#define HALF     0x3fe0000000000000
#define MONE     0xbff0000000000000
#define P2M53    0x3ca0000000000000      /* 2^-53: half an ulp of 1 */
#define P2M54    0x3c90000000000000
#define MAXD     0x7fefffffffffffff
#define MMAXD    0xffefffffffffffff
#define INF      0x7ff0000000000000
#define MINF     0xfff0000000000000
#define QNAN     0x7ff8000000000000
#define QNANP    0xfff8000000000123      /* quiet, with payload and sign */
#define SNAN     0x7ff4000000000000
#define MINNORM  0x0010000000000000
#define MAXSUB   0x000fffffffffffff
#define MINSUB   0x0000000000000001
#define PZERO    0x0000000000000000
#define MZERO    0x8000000000000000
#define NX       FFLAGS_NX
#define UF       FFLAGS_UF
#define OF       FFLAGS_OF
#define DZ       FFLAGS_DZ
#define NV       FFLAGS_NV

TEST_BEGIN
        FP_ENABLE

/* ---- fadd.d: a tie (1 + half an ulp) in every mode, signs, odd ties, above/below half ---- */
        TEST_D_RR(1,  fadd.d, rne, ONE, NX, ONE, P2M53)
        TEST_D_RR(2,  fadd.d, rtz, ONE, NX, ONE, P2M53)
        TEST_D_RR(3,  fadd.d, rdn, ONE, NX, ONE, P2M53)
        TEST_D_RR(4,  fadd.d, rup, ONE_ULP, NX, ONE, P2M53)
        TEST_D_RR(5,  fadd.d, rmm, ONE_ULP, NX, ONE, P2M53)
        TEST_D_RR(6,  fadd.d, rne, MONE, NX, MONE, 0xbca0000000000000)
        TEST_D_RR(7,  fadd.d, rtz, MONE, NX, MONE, 0xbca0000000000000)
        TEST_D_RR(8,  fadd.d, rdn, 0xbff0000000000001, NX, MONE, 0xbca0000000000000)
        TEST_D_RR(9,  fadd.d, rup, MONE, NX, MONE, 0xbca0000000000000)
        TEST_D_RR(10, fadd.d, rmm, 0xbff0000000000001, NX, MONE, 0xbca0000000000000)
        TEST_D_RR(11, fadd.d, rne, ONE_2ULP, NX, ONE_ULP, P2M53)     /* tie, odd: to even is up */
        TEST_D_RR(12, fadd.d, rtz, ONE_ULP, NX, ONE_ULP, P2M53)
        TEST_D_RR(13, fadd.d, rmm, ONE_2ULP, NX, ONE_ULP, P2M53)
        TEST_D_RR(14, fadd.d, rne, ONE_ULP, NX, ONE, 0x3ca8000000000000)  /* 0.75 ulp */
        TEST_D_RR(15, fadd.d, rtz, ONE, NX, ONE, 0x3ca8000000000000)
        TEST_D_RR(16, fadd.d, rne, ONE, NX, ONE, 0x3c98000000000000)      /* 0.375 ulp */
        TEST_D_RR(17, fadd.d, rup, ONE_ULP, NX, ONE, 0x3c98000000000000)
        TEST_D_RR(18, fadd.d, rne, THREE, 0, ONE, TWO)                    /* exact */
/* exact zeros: +0 except when rounding down */
        TEST_D_RR(19, fadd.d, rne, PZERO, 0, ONE, MONE)
        TEST_D_RR(20, fadd.d, rdn, MZERO, 0, ONE, MONE)
        TEST_D_RR(21, fadd.d, rup, PZERO, 0, ONE, MONE)
        TEST_D_RR(22, fadd.d, rdn, MZERO, 0, PZERO, MZERO)
        TEST_D_RR(23, fadd.d, rne, PZERO, 0, PZERO, MZERO)
        TEST_D_RR(24, fadd.d, rne, MZERO, 0, MZERO, MZERO)
        TEST_D_RR(25, fadd.d, rdn, PZERO, 0, PZERO, PZERO)
/* overflow: to infinity or to MAX by mode and sign */
        TEST_D_RR(26, fadd.d, rne, INF, OF|NX, MAXD, MAXD)
        TEST_D_RR(27, fadd.d, rtz, MAXD, OF|NX, MAXD, MAXD)
        TEST_D_RR(28, fadd.d, rdn, MAXD, OF|NX, MAXD, MAXD)
        TEST_D_RR(29, fadd.d, rup, INF, OF|NX, MAXD, MAXD)
        TEST_D_RR(30, fadd.d, rmm, INF, OF|NX, MAXD, MAXD)
        TEST_D_RR(31, fadd.d, rne, MINF, OF|NX, MMAXD, MMAXD)
        TEST_D_RR(32, fadd.d, rtz, MMAXD, OF|NX, MMAXD, MMAXD)
        TEST_D_RR(33, fadd.d, rdn, MINF, OF|NX, MMAXD, MMAXD)
        TEST_D_RR(34, fadd.d, rup, MMAXD, OF|NX, MMAXD, MMAXD)
/* MAX + half an ulp: overflow only where the unbounded result exceeds MAX */
        TEST_D_RR(35, fadd.d, rne, INF, OF|NX, MAXD, 0x7c90000000000000)
        TEST_D_RR(36, fadd.d, rtz, MAXD, NX, MAXD, 0x7c90000000000000)
        TEST_D_RR(37, fadd.d, rup, INF, OF|NX, MAXD, 0x7c90000000000000)
        TEST_D_RR(38, fadd.d, rmm, INF, OF|NX, MAXD, 0x7c90000000000000)
        TEST_D_RR(39, fadd.d, rne, MAXD, NX, MAXD, 0x7c80000000000000)     /* a quarter ulp */
        TEST_D_RR(40, fadd.d, rup, INF, OF|NX, MAXD, 0x7c80000000000000)
/* infinities and NaNs */
        TEST_D_RR(41, fadd.d, rne, QNAN, NV, INF, MINF)
        TEST_D_RR(42, fadd.d, rne, INF, 0, INF, MAXD)
        TEST_D_RR(43, fadd.d, rne, QNAN, 0, QNANP, ONE)                   /* quiet NaN: canonical, no NV */
        TEST_D_RR(44, fadd.d, rne, QNAN, NV, SNAN, ONE)
        TEST_D_RR(45, fadd.d, rne, QNAN, NV, QNAN, SNAN)
        TEST_D_RR(46, fadd.d, rne, MAXSUB + 1, 0, MAXSUB, MINSUB)          /* subnormal sum: exact */

/* ---- fsub.d ---- */
        TEST_D_RR(50, fsub.d, rne, ONE, NX, ONE, P2M54)                   /* 1 - 2^-54: a tie below 1 */
        TEST_D_RR(51, fsub.d, rtz, BELOW1, NX, ONE, P2M54)
        TEST_D_RR(52, fsub.d, rdn, BELOW1, NX, ONE, P2M54)
        TEST_D_RR(53, fsub.d, rup, ONE, NX, ONE, P2M54)
        TEST_D_RR(54, fsub.d, rmm, ONE, NX, ONE, P2M54)
        TEST_D_RR(55, fsub.d, rne, PZERO, 0, ONE, ONE)
        TEST_D_RR(56, fsub.d, rdn, MZERO, 0, ONE, ONE)
        TEST_D_RR(57, fsub.d, rne, QNAN, NV, INF, INF)
        TEST_D_RR(58, fsub.d, rne, MONE, 0, ONE, TWO)

/* ---- fmul.d ---- */
        TEST_D_RR(60, fmul.d, rne, ONE_2ULP, NX, ONE_ULP, ONE_ULP)          /* 1 + 2^-51 + 2^-104 */
        TEST_D_RR(61, fmul.d, rtz, ONE_2ULP, NX, ONE_ULP, ONE_ULP)
        TEST_D_RR(62, fmul.d, rdn, ONE_2ULP, NX, ONE_ULP, ONE_ULP)
        TEST_D_RR(63, fmul.d, rup, 0x3ff0000000000003, NX, ONE_ULP, ONE_ULP)
        TEST_D_RR(64, fmul.d, rmm, ONE_2ULP, NX, ONE_ULP, ONE_ULP)
        /* (1 + 2^-26)(1 + 2^-27) = 1 + 3*2^-27 + 2^-53: an exact tie, even below */
        TEST_D_RR(65, fmul.d, rne, 0x3ff0000006000000, NX, 0x3ff0000004000000, 0x3ff0000002000000)
        TEST_D_RR(66, fmul.d, rmm, 0x3ff0000006000001, NX, 0x3ff0000004000000, 0x3ff0000002000000)
        TEST_D_RR(67, fmul.d, rup, 0x3ff0000006000001, NX, 0x3ff0000004000000, 0x3ff0000002000000)
        TEST_D_RR(68, fmul.d, rdn, 0x3ff0000006000000, NX, 0x3ff0000004000000, 0x3ff0000002000000)
        TEST_D_RR(69, fmul.d, rdn, 0xbff0000006000001, NX, 0xbff0000004000000, 0x3ff0000002000000)
/* underflow: (1 + 2^-52) * (2^-1022 - 2^-1074) = 2^-1022 (1 - 2^-104): rounds up to the smallest
 * normal in RNE/RUP/RMM, so it is not tiny after rounding - NX only; RTZ/RDN stay subnormal: UF */
        TEST_D_RR(70, fmul.d, rne, MINNORM, NX, ONE_ULP, MAXSUB)
        TEST_D_RR(71, fmul.d, rtz, MAXSUB, UF|NX, ONE_ULP, MAXSUB)
        TEST_D_RR(72, fmul.d, rdn, MAXSUB, UF|NX, ONE_ULP, MAXSUB)
        TEST_D_RR(73, fmul.d, rup, MINNORM, NX, ONE_ULP, MAXSUB)
        TEST_D_RR(74, fmul.d, rmm, MINNORM, NX, ONE_ULP, MAXSUB)
/* (1 - 2^-53) * 2^-1022: exactly representable with an unbounded exponent, so tiny */
        TEST_D_RR(75, fmul.d, rne, MINNORM, UF|NX, BELOW1, MINNORM)
/* half the smallest subnormal: a tie between 0 and MINSUB */
        TEST_D_RR(76, fmul.d, rne, PZERO, UF|NX, MINSUB, HALF)
        TEST_D_RR(77, fmul.d, rtz, PZERO, UF|NX, MINSUB, HALF)
        TEST_D_RR(78, fmul.d, rup, MINSUB, UF|NX, MINSUB, HALF)
        TEST_D_RR(79, fmul.d, rmm, MINSUB, UF|NX, MINSUB, HALF)
        TEST_D_RR(80, fmul.d, rdn, 0x8000000000000001, UF|NX, 0x8000000000000001, HALF)
        TEST_D_RR(81, fmul.d, rne, MZERO, UF|NX, 0x8000000000000001, HALF)
        TEST_D_RR(82, fmul.d, rne, 0x0008000000000000, 0, MINNORM, HALF)   /* exact subnormal: no UF */
        TEST_D_RR(83, fmul.d, rne, INF, OF|NX, MAXD, TWO)
        TEST_D_RR(84, fmul.d, rtz, MAXD, OF|NX, MAXD, TWO)
        TEST_D_RR(85, fmul.d, rne, QNAN, NV, INF, PZERO)
        TEST_D_RR(86, fmul.d, rne, MINF, 0, INF, MONE)
        TEST_D_RR(87, fmul.d, rne, MZERO, 0, PZERO, MONE)

/* ---- fdiv.d ---- */
        TEST_D_RR(90, fdiv.d, rne, 0x3fd5555555555555, NX, ONE, THREE)
        TEST_D_RR(91, fdiv.d, rtz, 0x3fd5555555555555, NX, ONE, THREE)
        TEST_D_RR(92, fdiv.d, rdn, 0x3fd5555555555555, NX, ONE, THREE)
        TEST_D_RR(93, fdiv.d, rup, 0x3fd5555555555556, NX, ONE, THREE)
        TEST_D_RR(94, fdiv.d, rmm, 0x3fd5555555555555, NX, ONE, THREE)
        TEST_D_RR(95, fdiv.d, rdn, 0xbfd5555555555556, NX, MONE, THREE)
        TEST_D_RR(96, fdiv.d, rup, 0xbfd5555555555555, NX, MONE, THREE)
        TEST_D_RR(97, fdiv.d, rne, 0x3fe5555555555555, NX, TWO, THREE)
        TEST_D_RR(98, fdiv.d, rne, INF, DZ, ONE, PZERO)
        TEST_D_RR(99, fdiv.d, rne, MINF, DZ, ONE, MZERO)
        TEST_D_RR(100, fdiv.d, rne, QNAN, NV, PZERO, PZERO)
        TEST_D_RR(101, fdiv.d, rne, QNAN, NV, INF, MINF)
        TEST_D_RR(102, fdiv.d, rne, MZERO, 0, ONE, MINF)
        TEST_D_RR(103, fdiv.d, rne, INF, 0, INF, PZERO)                     /* inf / 0: no DZ */
        TEST_D_RR(104, fdiv.d, rne, INF, OF|NX, MAXD, HALF)
        TEST_D_RR(105, fdiv.d, rdn, MAXD, OF|NX, MAXD, HALF)
        TEST_D_RR(106, fdiv.d, rne, THREE, 0, 0x4018000000000000, TWO)      /* 6/2 exact */
        /* -2^-1022 / 2^53 = -2^-1075: halfway between -0 and -MINSUB */
        TEST_D_RR(107, fdiv.d, rmm, 0x8000000000000001, UF|NX, 0x8010000000000000, 0x4340000000000000)
        TEST_D_RR(108, fdiv.d, rne, MZERO, UF|NX, 0x8010000000000000, 0x4340000000000000)

/* ---- fsqrt.d ---- */
        TEST_D_R(110, fsqrt.d, rne, 0x3ff6a09e667f3bcd, NX, TWO)            /* sqrt(2) rounds up */
        TEST_D_R(111, fsqrt.d, rtz, 0x3ff6a09e667f3bcc, NX, TWO)
        TEST_D_R(112, fsqrt.d, rdn, 0x3ff6a09e667f3bcc, NX, TWO)
        TEST_D_R(113, fsqrt.d, rup, 0x3ff6a09e667f3bcd, NX, TWO)
        TEST_D_R(114, fsqrt.d, rmm, 0x3ff6a09e667f3bcd, NX, TWO)
        TEST_D_R(115, fsqrt.d, rne, TWO, 0, 0x4010000000000000)
        TEST_D_R(116, fsqrt.d, rne, 0x1e60000000000000, 0, MINSUB)           /* sqrt(2^-1074) = 2^-537 */
        TEST_D_R(117, fsqrt.d, rne, QNAN, NV, MONE)
        TEST_D_R(118, fsqrt.d, rne, MZERO, 0, MZERO)
        TEST_D_R(119, fsqrt.d, rne, INF, 0, INF)
        TEST_D_R(120, fsqrt.d, rne, QNAN, NV, MINF)
        TEST_D_R(121, fsqrt.d, rne, QNAN, NV, SNAN)
        TEST_D_R(122, fsqrt.d, rne, QNAN, 0, QNANP)

/* ---- fused multiply-add: one rounding ---- */
        /* (1+2^-52)^2 - 1 = 2^-51 (1 + 2^-53): a tie */
        TEST_D_RRR(130, fmadd.d, rne, 0x3cc0000000000000, NX, ONE_ULP, ONE_ULP, MONE)
        TEST_D_RRR(131, fmadd.d, rtz, 0x3cc0000000000000, NX, ONE_ULP, ONE_ULP, MONE)
        TEST_D_RRR(132, fmadd.d, rdn, 0x3cc0000000000000, NX, ONE_ULP, ONE_ULP, MONE)
        TEST_D_RRR(133, fmadd.d, rup, 0x3cc0000000000001, NX, ONE_ULP, ONE_ULP, MONE)
        TEST_D_RRR(134, fmadd.d, rmm, 0x3cc0000000000001, NX, ONE_ULP, ONE_ULP, MONE)
        TEST_D_RRR(135, fmadd.d, rne, 0x4014000000000000, 0, TWO, TWO, ONE)       /* 5 */
        TEST_D_RRR(136, fmsub.d, rne, 0x4008000000000000, 0, TWO, TWO, ONE)       /* 3 */
        TEST_D_RRR(137, fnmsub.d, rne, 0xc008000000000000, 0, TWO, TWO, ONE)      /* -4 + 1 */
        TEST_D_RRR(138, fnmadd.d, rne, 0xc014000000000000, 0, TWO, TWO, ONE)      /* -4 - 1 */
        TEST_D_RRR(139, fmsub.d, rup, 0x3cc0000000000001, NX, ONE_ULP, ONE_ULP, ONE)
        TEST_D_RRR(140, fnmadd.d, rdn, 0xbcc0000000000001, NX, ONE_ULP, ONE_ULP, MONE)
        TEST_D_RRR(141, fnmsub.d, rup, 0xbcc0000000000000, NX, ONE_ULP, ONE_ULP, ONE)
        TEST_D_RRR(142, fmadd.d, rne, QNAN, NV, INF, PZERO, QNAN)          /* inf*0 + qNaN: NV */
        TEST_D_RRR(143, fmadd.d, rne, QNAN, NV, PZERO, INF, ONE)
        TEST_D_RRR(144, fmadd.d, rne, QNAN, NV, INF, ONE, MINF)
        TEST_D_RRR(145, fmadd.d, rne, QNAN, 0, ONE, ONE, QNANP)
        TEST_D_RRR(146, fmadd.d, rne, QNAN, NV, ONE, ONE, SNAN)
        TEST_D_RRR(147, fmadd.d, rne, PZERO, 0, TWO, THREE, 0xc018000000000000)   /* 6 - 6 */
        TEST_D_RRR(148, fmadd.d, rdn, MZERO, 0, TWO, THREE, 0xc018000000000000)
        TEST_D_RRR(149, fmadd.d, rdn, MZERO, 0, MONE, PZERO, PZERO)         /* -0 + +0 */
        TEST_D_RRR(150, fmadd.d, rne, MZERO, 0, MONE, PZERO, MZERO)
        TEST_D_RRR(151, fmadd.d, rne, INF, OF|NX, MAXD, TWO, MONE)
        TEST_D_RRR(152, fmadd.d, rtz, MAXD, OF|NX, MAXD, TWO, MONE)
        TEST_D_RRR(153, fmadd.d, rne, MINNORM, NX, ONE_ULP, MAXSUB, PZERO)   /* tininess after rounding */
        TEST_D_RRR(154, fmadd.d, rtz, MAXSUB, UF|NX, ONE_ULP, MAXSUB, PZERO)

/* ---- sign injection: bit operations, NaNs untouched ---- */
        TEST_D_RR_NORM(160, fsgnj.d, MONE, 0, ONE, 0xc000000000000000)
        TEST_D_RR_NORM(161, fsgnjn.d, ONE, 0, ONE, 0xc000000000000000)
        TEST_D_RR_NORM(162, fsgnjx.d, ONE, 0, MONE, 0xc000000000000000)
        TEST_D_RR_NORM(163, fsgnjx.d, MONE, 0, MONE, TWO)
        TEST_D_RR_NORM(164, fsgnjn.d, 0xfff4000000000001, 0, 0x7ff4000000000001, ONE)  /* sNaN: no NV, no canonical */
        TEST_D_RR_NORM(165, fsgnj.d, 0xfff8000000000123, 0, QNANP, MONE)

/* ---- fmin.d / fmax.d ---- */
        TEST_D_RR_NORM(170, fmin.d, MZERO, 0, PZERO, MZERO)
        TEST_D_RR_NORM(171, fmin.d, MZERO, 0, MZERO, PZERO)
        TEST_D_RR_NORM(172, fmax.d, PZERO, 0, MZERO, PZERO)
        TEST_D_RR_NORM(173, fmax.d, PZERO, 0, PZERO, MZERO)
        TEST_D_RR_NORM(174, fmin.d, ONE, 0, ONE, TWO)
        TEST_D_RR_NORM(175, fmax.d, TWO, 0, ONE, TWO)
        TEST_D_RR_NORM(176, fmin.d, MINF, 0, MINF, MAXD)
        TEST_D_RR_NORM(177, fmin.d, ONE, 0, QNANP, ONE)                    /* one quiet NaN: the other */
        TEST_D_RR_NORM(178, fmax.d, ONE, 0, ONE, QNANP)
        TEST_D_RR_NORM(179, fmin.d, ONE, NV, SNAN, ONE)                    /* signalling: NV */
        TEST_D_RR_NORM(180, fmax.d, ONE, NV, ONE, SNAN)
        TEST_D_RR_NORM(181, fmax.d, QNAN, 0, QNANP, QNANP)                 /* both: canonical */
        TEST_D_RR_NORM(182, fmin.d, QNAN, NV, SNAN, QNANP)

/* ---- compares ---- */
        TEST_D_CMP(190, feq.d, 1, 0, ONE, ONE)
        TEST_D_CMP(191, feq.d, 0, 0, ONE, TWO)
        TEST_D_CMP(192, feq.d, 1, 0, MZERO, PZERO)
        TEST_D_CMP(193, feq.d, 0, 0, QNAN, ONE)                             /* quiet */
        TEST_D_CMP(194, feq.d, 0, NV, SNAN, ONE)
        TEST_D_CMP(195, feq.d, 0, 0, QNAN, QNAN)
        TEST_D_CMP(196, flt.d, 1, 0, ONE, TWO)
        TEST_D_CMP(197, flt.d, 0, 0, TWO, ONE)
        TEST_D_CMP(198, flt.d, 0, 0, MZERO, PZERO)
        TEST_D_CMP(199, flt.d, 0, NV, QNAN, ONE)                            /* signalling */
        TEST_D_CMP(200, flt.d, 1, 0, MINF, MMAXD)
        TEST_D_CMP(201, fle.d, 1, 0, MZERO, PZERO)
        TEST_D_CMP(202, fle.d, 1, 0, ONE, ONE)
        TEST_D_CMP(203, fle.d, 0, 0, TWO, ONE)
        TEST_D_CMP(204, fle.d, 0, NV, ONE, QNAN)
        TEST_D_CMP(205, fle.d, 0, NV, SNAN, SNAN)

/* ---- fclass.d: one bit per class ---- */
        TEST_D_CLASS(210, 1 << 0, MINF)
        TEST_D_CLASS(211, 1 << 1, MONE)
        TEST_D_CLASS(212, 1 << 2, 0x800fffffffffffff)
        TEST_D_CLASS(213, 1 << 3, MZERO)
        TEST_D_CLASS(214, 1 << 4, PZERO)
        TEST_D_CLASS(215, 1 << 5, MINSUB)
        TEST_D_CLASS(216, 1 << 6, ONE)
        TEST_D_CLASS(217, 1 << 7, INF)
        TEST_D_CLASS(218, 1 << 8, SNAN)
        TEST_D_CLASS(219, 1 << 9, QNAN)
        TEST_D_CLASS(220, 1 << 9, QNANP)
        TEST_D_CLASS(221, 1 << 6, MINNORM)

/* ---- fcvt.w.d / fcvt.wu.d ---- */
        TEST_D_TOINT(230, fcvt.w.d, rne, 2, NX, 0x4004000000000000)          /* 2.5 */
        TEST_D_TOINT(231, fcvt.w.d, rtz, 2, NX, 0x4004000000000000)
        TEST_D_TOINT(232, fcvt.w.d, rdn, 2, NX, 0x4004000000000000)
        TEST_D_TOINT(233, fcvt.w.d, rup, 3, NX, 0x4004000000000000)
        TEST_D_TOINT(234, fcvt.w.d, rmm, 3, NX, 0x4004000000000000)
        TEST_D_TOINT(235, fcvt.w.d, rne, -2, NX, 0xc004000000000000)         /* -2.5 */
        TEST_D_TOINT(236, fcvt.w.d, rtz, -2, NX, 0xc004000000000000)
        TEST_D_TOINT(237, fcvt.w.d, rdn, -3, NX, 0xc004000000000000)
        TEST_D_TOINT(238, fcvt.w.d, rup, -2, NX, 0xc004000000000000)
        TEST_D_TOINT(239, fcvt.w.d, rmm, -3, NX, 0xc004000000000000)
        TEST_D_TOINT(240, fcvt.w.d, rne, 4, NX, 0x400c000000000000)          /* 3.5: tie to even 4 */
        TEST_D_TOINT(241, fcvt.w.d, rne, 1, 0, ONE)
        TEST_D_TOINT(242, fcvt.w.d, rtz, 0x7fffffff, NV, 0x41e0000000000000) /* 2^31 */
        TEST_D_TOINT(243, fcvt.w.d, rtz, 0xffffffff80000000, 0, 0xc1e0000000000000)  /* -2^31 exact */
        TEST_D_TOINT(244, fcvt.w.d, rtz, 0xffffffff80000000, NX, 0xc1e0000000100000) /* -2^31 - 0.5 */
        TEST_D_TOINT(245, fcvt.w.d, rdn, 0xffffffff80000000, NV, 0xc1e0000000100000)
        TEST_D_TOINT(246, fcvt.w.d, rne, 0xffffffff80000000, NX, 0xc1e0000000100000)
        TEST_D_TOINT(247, fcvt.w.d, rmm, 0xffffffff80000000, NV, 0xc1e0000000100000)
        TEST_D_TOINT(248, fcvt.w.d, rtz, 0x7fffffff, NX, 0x41dfffffffe00000)  /* 2^31 - 0.5 */
        TEST_D_TOINT(249, fcvt.w.d, rne, 0x7fffffff, NV, 0x41dfffffffe00000)  /* rounds to 2^31 */
        TEST_D_TOINT(250, fcvt.w.d, rtz, 0x7fffffff, NV, QNAN)
        TEST_D_TOINT(251, fcvt.w.d, rtz, 0x7fffffff, NV, INF)
        TEST_D_TOINT(252, fcvt.w.d, rtz, 0xffffffff80000000, NV, MINF)
        TEST_D_TOINT(253, fcvt.w.d, rtz, 0x7fffffff, NV, QNANP)              /* any NaN: the maximum */
        TEST_D_TOINT(254, fcvt.wu.d, rtz, 0, NV, MONE)
        TEST_D_TOINT(255, fcvt.wu.d, rtz, 0, NX, 0xbfe0000000000000)          /* -0.5 truncates to 0 */
        TEST_D_TOINT(256, fcvt.wu.d, rdn, 0, NV, 0xbfe0000000000000)          /* ... rounds down to -1 */
        TEST_D_TOINT(257, fcvt.wu.d, rtz, 0xffffffffffffffff, 0, 0x41efffffffe00000)  /* 2^32-1, sign-extended */
        TEST_D_TOINT(258, fcvt.wu.d, rtz, 0xffffffffffffffff, NV, 0x41f0000000000000) /* 2^32 */
        TEST_D_TOINT(259, fcvt.wu.d, rtz, 0xffffffffffffffff, NV, QNAN)
        TEST_D_TOINT(260, fcvt.wu.d, rtz, 0xffffffffb2d05e00, 0, 0x41e65a0bc0000000)  /* 3e9 */
        TEST_D_TOINT(261, fcvt.wu.d, rtz, 0, NV, MINF)

/* ---- fcvt.l.d / fcvt.lu.d ---- */
        TEST_D_TOINT(270, fcvt.l.d, rtz, 0x7fffffffffffffff, NV, 0x43e0000000000000)  /* 2^63 */
        TEST_D_TOINT(271, fcvt.l.d, rtz, 0x8000000000000000, 0, 0xc3e0000000000000)  /* -2^63 */
        TEST_D_TOINT(272, fcvt.l.d, rtz, 0x7ffffffffffffc00, 0, 0x43dfffffffffffff)
        TEST_D_TOINT(273, fcvt.l.d, rtz, 0x8000000000000000, NV, MINF)
        TEST_D_TOINT(274, fcvt.l.d, rtz, 0x7fffffffffffffff, NV, QNAN)
        TEST_D_TOINT(275, fcvt.l.d, rne, 2, NX, 0x3ff8000000000000)             /* 1.5 */
        TEST_D_TOINT(276, fcvt.l.d, rtz, -1, NX, 0xbff8000000000000)
        TEST_D_TOINT(277, fcvt.l.d, rdn, -2, NX, 0xbff8000000000000)
        TEST_D_TOINT(278, fcvt.l.d, rmm, -2, NX, 0xbff8000000000000)
        TEST_D_TOINT(279, fcvt.l.d, rup, 1, NX, 0x3fb999999999999a)             /* 0.1 */
        TEST_D_TOINT(280, fcvt.lu.d, rtz, 0xffffffffffffffff, NV, 0x43f0000000000000) /* 2^64 */
        TEST_D_TOINT(281, fcvt.lu.d, rtz, 0xfffffffffffff800, 0, 0x43efffffffffffff)
        TEST_D_TOINT(282, fcvt.lu.d, rtz, 0, NV, MONE)
        TEST_D_TOINT(283, fcvt.lu.d, rup, 0, NX, 0xbfeccccccccccccd)           /* -0.9 rounds up to -0 */
        TEST_D_TOINT(284, fcvt.lu.d, rtz, 0xffffffffffffffff, NV, QNAN)
        TEST_D_TOINT(285, fcvt.lu.d, rtz, 0x8000000000000000, 0, 0x43e0000000000000)

/* ---- fcvt.d.w / .wu / .l / .lu: only the low word of the 32-bit sources counts ---- */
        li gp, 290; li a1, 0x12345678ffffffff; fcvt.d.w f4, a1; CHECK_D(MONE, 0)
        li gp, 291; li a1, 0x12345678ffffffff; fcvt.d.wu f4, a1; CHECK_D(0x41efffffffe00000, 0)
        li gp, 292; li a1, 0x80000000; fcvt.d.w f4, a1; CHECK_D(0xc1e0000000000000, 0)
        TEST_D_FROMINT(293, fcvt.d.l, rne, 0x4340000000000000, NX, 0x20000000000001)   /* 2^53+1: tie */
        TEST_D_FROMINT(294, fcvt.d.l, rtz, 0x4340000000000000, NX, 0x20000000000001)
        TEST_D_FROMINT(295, fcvt.d.l, rdn, 0x4340000000000000, NX, 0x20000000000001)
        TEST_D_FROMINT(296, fcvt.d.l, rup, 0x4340000000000001, NX, 0x20000000000001)
        TEST_D_FROMINT(297, fcvt.d.l, rmm, 0x4340000000000001, NX, 0x20000000000001)
        TEST_D_FROMINT(298, fcvt.d.l, rdn, 0xc340000000000001, NX, -0x20000000000001)
        TEST_D_FROMINT(299, fcvt.d.l, rup, 0xc340000000000000, NX, -0x20000000000001)
        TEST_D_FROMINT(300, fcvt.d.l, rne, 0x43e0000000000000, NX, 0x7fffffffffffffff)
        TEST_D_FROMINT(301, fcvt.d.l, rtz, 0x43dfffffffffffff, NX, 0x7fffffffffffffff)
        TEST_D_FROMINT(302, fcvt.d.l, rne, 0xc3e0000000000000, 0, 0x8000000000000000)
        TEST_D_FROMINT(303, fcvt.d.l, rne, PZERO, 0, 0)
        TEST_D_FROMINT(304, fcvt.d.lu, rne, 0x43f0000000000000, NX, 0xffffffffffffffff)
        TEST_D_FROMINT(305, fcvt.d.lu, rtz, 0x43efffffffffffff, NX, 0xffffffffffffffff)
        TEST_D_FROMINT(306, fcvt.d.lu, rne, 0x43e0000000000000, 0, 0x8000000000000000)

/* ---- fcvt.s.d / fcvt.d.s ---- */
        TEST_D_R(310, fcvt.s.d, rne, 0xffffffff3eaaaaab, NX, 0x3fd5555555555555)   /* 1/3 */
        TEST_D_R(311, fcvt.s.d, rtz, 0xffffffff3eaaaaaa, NX, 0x3fd5555555555555)
        TEST_D_R(312, fcvt.s.d, rdn, 0xffffffff3eaaaaaa, NX, 0x3fd5555555555555)
        TEST_D_R(313, fcvt.s.d, rup, 0xffffffff3eaaaaab, NX, 0x3fd5555555555555)
        TEST_D_R(314, fcvt.s.d, rmm, 0xffffffff3eaaaaab, NX, 0x3fd5555555555555)
        TEST_D_R(315, fcvt.s.d, rne, 0xffffffff7f800000, OF|NX, 0x47f0000000000000) /* 2^128 */
        TEST_D_R(316, fcvt.s.d, rtz, 0xffffffff7f7fffff, OF|NX, 0x47f0000000000000)
        /* 2^-126 (1 - 2^-25): rounds up to the smallest normal (not tiny) in RNE/RUP/RMM */
        TEST_D_R(317, fcvt.s.d, rne, 0xffffffff00800000, NX, 0x380ffffff0000000)
        TEST_D_R(318, fcvt.s.d, rtz, 0xffffffff007fffff, UF|NX, 0x380ffffff0000000)
        TEST_D_R(319, fcvt.s.d, rup, 0xffffffff00800000, NX, 0x380ffffff0000000)
        /* 2^-126 (1 - 2^-24) is exact at 24 bits: tiny, rounds to the smallest normal: UF */
        TEST_D_R(320, fcvt.s.d, rne, 0xffffffff00800000, UF|NX, 0x380fffffe0000000)
        TEST_D_R(321, fcvt.s.d, rne, 0xffffffff7fc00000, NV, 0x7ff0000000000001)   /* sNaN */
        TEST_D_R(322, fcvt.s.d, rne, 0xffffffff7fc00000, 0, QNANP)
        TEST_D_R(323, fcvt.s.d, rne, 0xffffffff80000000, UF|NX, 0x8000000000000001) /* -MINSUB: -0 */
        TEST_D_R(324, fcvt.s.d, rdn, 0xffffffff80000001, UF|NX, 0x8000000000000001)
        TEST_D_R(325, fcvt.s.d, rne, 0xffffffffff800000, 0, MINF)
        li gp, 326; LOAD_S3(0x3fc00000, 0, 0); fcvt.d.s f4, f1; CHECK_D(0x3ff8000000000000, 0)
        li gp, 327; LOAD_S3(0x7f800001, 0, 0); fcvt.d.s f4, f1; CHECK_D(QNAN, NV)
        li gp, 328; LOAD_S3(0x00000001, 0, 0); fcvt.d.s f4, f1; CHECK_D(0x36a0000000000000, 0)  /* 2^-149 */
        li gp, 329; LOAD_S3(0xff800000, 0, 0); fcvt.d.s f4, f1; CHECK_D(MINF, 0)
        li gp, 330; li a1, 0x3ff0000000000000; fmv.d.x f1, a1; fcvt.d.s f4, f1; CHECK_D(QNAN, 0)  /* not NaN-boxed */

/* ---- moves ---- */
        TEST_CASE(340, a0, 0x0123456789abcdef, li a1, 0x0123456789abcdef; fmv.d.x f7, a1; fmv.x.d a0, f7)
        TEST_CASE(341, a0, SNAN, li a1, SNAN; fmv.d.x f7, a1; fmv.x.d a0, f7)   /* bits unchanged */
        TEST_CASE(342, a4, 0, csrr a4, fflags)

/* ---- dynamic rounding mode, fcsr / frm / fflags ---- */
        li gp, 350
        LOAD_D3(ONE, P2M53, 0)
        fsrmi a5, RM_RUP                    /* returns the old frm */
        CHECK(a5, 0)
        fadd.d f4, f1, f2                   /* dyn */
        CHECK_D(ONE_ULP, NX)
        li gp, 351
        fsrmi RM_RDN
        fadd.d f4, f1, f2, dyn
        CHECK_D(ONE, NX)
        li gp, 352
        fsrmi RM_RMM
        fadd.d f4, f1, f2
        CHECK_D(ONE_ULP, NX)
        csrr a0, fcsr
        CHECK(a0, RM_RMM << 5)
        li gp, 353
        fsrmi RM_RNE
        fadd.d f4, f1, f2, rup              /* a static mode wins over frm */
        CHECK_D(ONE_ULP, NX)
        /* flags accrue until cleared */
        TEST_CASE(354, a0, NV|DZ|NX, LOAD_D3(ONE, PZERO, P2M53); fdiv.d f4, f1, f2; fadd.d f4, f1, f3; fdiv.d f4, f2, f2; csrr a0, fflags)
        TEST_CASE(355, a0, NV|DZ|NX, csrr a0, fcsr)
        TEST_CASE(356, a0, NV|DZ|NX, fsflagsi a0, 0)       /* swap: returns the old flags */
        TEST_CASE(357, a0, 0, csrr a0, fflags)
        TEST_CASE(358, a0, 0x1f, li a1, -1; csrw fflags, a1; csrr a0, fflags)     /* 5 bits */
        TEST_CASE(359, a0, 0x1f, csrr a0, fcsr)
        TEST_CASE(360, a0, 7, li a1, -1; csrw frm, a1; csrr a0, frm)               /* 3 bits */
        TEST_CASE(361, a0, 0xff, csrr a0, fcsr)
        TEST_CASE(362, a0, 0xa5, li a1, 0xffffffffffffffa5; csrw fcsr, a1; csrr a0, fcsr) /* upper bits read 0 */
        TEST_CASE(363, a0, 5, csrr a0, frm)
        TEST_CASE(364, a0, 5, csrr a0, fflags)
/* frm 5..7 are storable, but an instruction using them is illegal */
        csrwi frm, 5
        TEST_ILLEGAL(365, TRAP_M_FROM_M, fadd.d f4, f1, f2)
        TEST_ILLEGAL(366, TRAP_M_FROM_M, fsqrt.d f4, f1)
        TEST_ILLEGAL(367, TRAP_M_FROM_M, fcvt.w.d a0, f1)
        csrwi frm, 6
        TEST_ILLEGAL(368, TRAP_M_FROM_M, fmadd.d f4, f1, f2, f3)
        csrwi frm, 7
        TEST_ILLEGAL(369, TRAP_M_FROM_M, fcvt.d.l f4, a1)
        TEST_ILLEGAL(370, TRAP_M_FROM_M, OPFP(0x69, 0, 11, 7, 4))    /* fcvt.d.w, rm = dyn */
        TEST_NO_TRAP(371, fadd.d f4, f1, f2, rne; fsgnj.d f4, f1, f2; feq.d a0, f1, f2)  /* no dynamic rm used */
        csrw fcsr, zero
/* static rm 5 and 6 are reserved */
        TEST_ILLEGAL(372, TRAP_M_FROM_M, OPFP(0x01, 2, 1, 5, 4))     /* fadd.d rm=5 */
        TEST_ILLEGAL(373, TRAP_M_FROM_M, OPFP(0x01, 2, 1, 6, 4))     /* fadd.d rm=6 */
        TEST_ILLEGAL(374, TRAP_M_FROM_M, OPFP(0x2d, 0, 1, 5, 4))     /* fsqrt.d rm=5 */
        TEST_ILLEGAL(375, TRAP_M_FROM_M, OPFP(0x61, 2, 1, 6, 10))    /* fcvt.l.d rm=6 */
        TEST_ILLEGAL(376, TRAP_M_FROM_M, OPFP(0x20, 1, 1, 5, 4))     /* fcvt.s.d rm=5 */
        TEST_ILLEGAL(377, TRAP_M_FROM_M, .word (1 << 27) | (3 << 20) | (2 << 15) | (5 << 12) | (4 << 7) | 0x43 | (1 << 25))  /* fmadd.d rm=5 */
        csrr a0, fflags
        TEST_CASE(378, a0, 0, csrr a0, fflags)

/* ---- loads and stores ---- */
        la s0, fp_data
        TEST_CASE(380, a0, 0x0123456789abcdef, fld f5, 0(s0); fmv.x.d a0, f5)
        TEST_CASE(381, a0, 0xfedcba9876543210, fld f5, 8(s0); fmv.x.d a0, f5)
        TEST_CASE(382, a0, 0x0123456789abcdef, li a1, 0x0123456789abcdef; fmv.d.x f6, a1; fsd f6, 16(s0); ld a0, 16(s0))
        TEST_CASE(383, a0, 0xffffffff89abcdef, flw f5, 0(s0); fmv.x.d a0, f5)       /* NaN-boxed */
        TEST_CASE(384, a0, 0xffffffff76543210, flw f5, 8(s0); fmv.x.d a0, f5)
        TEST_CASE(385, a0, 0x1111111189abcdef, li a1, -1; sd a1, 24(s0); li a1, 0x11111111; sw a1, 28(s0); \
                  fsw f6, 24(s0); ld a0, 24(s0))                                       /* fsw writes 32 bits */
        la s1, fp_data + 8
        TEST_CASE(387, a0, 0x0123456789abcdef, fld f5, -8(s1); fmv.x.d a0, f5)      /* negative offset */
        /* compressed: c.fld/c.fsd (rs1', rd' in x8..x15 / f8..f15), c.fldsp/c.fsdsp */
        .option push
        .option rvc
        TEST_CASE(388, a0, 0xfedcba9876543210, c.fld f8, 8(s0); fmv.x.d a0, f8)
        TEST_CASE(389, a0, 0xfedcba9876543210, c.fsd f8, 32(s0); ld a0, 32(s0))
        mv s2, sp
        mv sp, s0
        TEST_CASE(390, a0, 0x0123456789abcdef, c.fldsp f20, 0(sp); fmv.x.d a0, f20)
        TEST_CASE(391, a0, 0x0123456789abcdef, c.fsdsp f20, 40(sp); ld a0, 40(s0))
        mv sp, s2
        .option pop
        TEST_CASE(392, a0, 0x7ff4000000000000, li a1, SNAN; sd a1, 48(s0); fld f5, 48(s0); fsd f5, 56(s0); ld a0, 56(s0))  /* no quieting */

/* ---- mstatus.FS and SD ---- */
        /* Initial -> Dirty on an FP register write, SD follows */
        li t0, MSTATUS_FS; csrc mstatus, t0; li t0, MSTATUS_FS_INITIAL; csrs mstatus, t0
        TEST_CASE(400, a0, 1, csrr a0, mstatus; srli a0, a0, 13; andi a0, a0, 3)
        TEST_CASE(401, a0, 0, csrr a0, mstatus; srli a0, a0, 63)
        TEST_CASE(402, a0, 3, fadd.d f4, f1, f2; csrr a0, mstatus; srli a0, a0, 13; andi a0, a0, 3)
        TEST_CASE(403, a0, 1, csrr a0, mstatus; srli a0, a0, 63)
        TEST_CASE(404, a0, 1, csrr a0, sstatus; srli a0, a0, 63)
        TEST_CASE(405, a0, 3, csrr a0, sstatus; srli a0, a0, 13; andi a0, a0, 3)
        /* Clean -> Dirty: a load, an fflags write, a flag raised by a compare */
        li t0, MSTATUS_FS; csrc mstatus, t0; li t0, MSTATUS_FS_CLEAN; csrs mstatus, t0
        TEST_CASE(406, a0, 0, csrr a0, mstatus; srli a0, a0, 63)
        TEST_CASE(407, a0, 3, fld f5, 0(s0); csrr a0, mstatus; srli a0, a0, 13; andi a0, a0, 3)
        li t0, MSTATUS_FS; csrc mstatus, t0; li t0, MSTATUS_FS_CLEAN; csrs mstatus, t0
        TEST_CASE(408, a0, 3, csrwi fflags, 0; csrr a0, mstatus; srli a0, a0, 13; andi a0, a0, 3)
        li t0, MSTATUS_FS; csrc mstatus, t0; li t0, MSTATUS_FS_CLEAN; csrs mstatus, t0
        TEST_CASE(409, a0, 3, LOAD_D3(SNAN, ONE, 0); li t0, MSTATUS_FS; csrc mstatus, t0; li t0, MSTATUS_FS_CLEAN; \
                  csrs mstatus, t0; feq.d a1, f1, f2; csrr a0, mstatus; srli a0, a0, 13; andi a0, a0, 3)
        csrw fflags, zero
        /* Off: every FP instruction and FP CSR access is illegal; state is kept */
        li a1, 0x4045000000000000
        fmv.d.x f9, a1
        li t0, MSTATUS_FS; csrc mstatus, t0
        TEST_ILLEGAL(410, TRAP_M_FROM_M, fadd.d f4, f1, f2)
        TEST_ILLEGAL(411, TRAP_M_FROM_M, fld f5, 0(s0))
        TEST_ILLEGAL(412, TRAP_M_FROM_M, fsd f5, 0(s0))
        TEST_ILLEGAL(413, TRAP_M_FROM_M, fmv.x.d a0, f9)
        TEST_ILLEGAL(414, TRAP_M_FROM_M, fmv.d.x f9, a0)
        TEST_ILLEGAL(415, TRAP_M_FROM_M, fcvt.d.l f4, a1)
        TEST_ILLEGAL(416, TRAP_M_FROM_M, feq.d a0, f1, f2)
        TEST_ILLEGAL(417, TRAP_M_FROM_M, fmadd.d f4, f1, f2, f3)
        TEST_ILLEGAL(418, TRAP_M_FROM_M, csrr a0, fcsr)
        TEST_ILLEGAL(419, TRAP_M_FROM_M, csrw frm, zero)
        TEST_ILLEGAL(420, TRAP_M_FROM_M, csrr a0, fflags)
        TEST_ILLEGAL(421, TRAP_M_FROM_M, flw f5, 0(s0))
        .option push
        .option rvc
        li gp, 422
        EXPECT_TRAP
9050:   c.fld f8, 0(s0)
        CHECK_CAUSE(CAUSE_ILLEGAL)
        CHECK_TVAL_INSN16(9050b)
        .option pop
        TEST_CASE(423, a0, 0, csrr a0, mstatus; srli a0, a0, 13; andi a0, a0, 3)
        li t0, MSTATUS_FS_INITIAL; csrs mstatus, t0
        TEST_CASE(424, a0, 0x4045000000000000, fmv.x.d a0, f9)        /* registers kept while Off */
        /* S mode writes FS through sstatus; U mode needs FS too */
        li t0, MSTATUS_FS; csrc mstatus, t0
        ENTER_S
        TEST_ILLEGAL(425, TRAP_M_FROM_S, fadd.d f4, f1, f2)
        li t0, MSTATUS_FS_INITIAL; csrs sstatus, t0
        TEST_CASE(426, a0, 0x4045000000000000, fmv.x.d a0, f9)
        S_ENTER_U
        TEST_CASE(427, a0, 0x4045000000000000, fadd.d f4, f9, f9; fmv.x.d a0, f9)
        TEST_CASE(428, a0, 0, csrr a0, fflags)                        /* U mode may access fcsr */
        ECALL_TO_M
        TEST_CASE(429, a0, 3, csrr a0, mstatus; srli a0, a0, 13; andi a0, a0, 3)
        li t0, MSTATUS_FS; csrc mstatus, t0
        ENTER_U
        TEST_ILLEGAL(430, TRAP_M_FROM_U, fmv.x.d a0, f9)
        ECALL_TO_M
TEST_END

        .data
        .align 4
fp_data:
        .dword 0x0123456789abcdef, 0xfedcba9876543210
        .space 64
