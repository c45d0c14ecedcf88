/*
 * fp_test.h - floating-point helpers for rv64f.S and rv64d.S, on top of test.h (include test.h first).
 *
 * The start-up code of test.h leaves mstatus.FS = Off, so a test enables the FPU with FP_ENABLE
 * before its first FP instruction.
 *
 * Registers: operands go through a1..a3 into f1..f3 (ft1..ft3), the result comes back in f4; the
 * check macros read the result into a0 and fflags into a4. Values are raw bit patterns; single-
 * precision operands are written as 32-bit patterns and NaN-boxed by fmv.w.x; single results are
 * compared as 32-bit patterns, and their NaN boxing (upper 32 bits all ones) is checked too.
 */
#ifndef SUBLET_FP_TEST_H
#define SUBLET_FP_TEST_H

#define MSTATUS_FS_INITIAL (1 << 13)
#define MSTATUS_FS_CLEAN   (2 << 13)
#define MSTATUS_FS_DIRTY   (3 << 13)

#define FFLAGS_NV 0x10
#define FFLAGS_DZ 0x08
#define FFLAGS_OF 0x04
#define FFLAGS_UF 0x02
#define FFLAGS_NX 0x01

/* rm field values (assembler syntax: rne rtz rdn rup rmm dyn) */
#define RM_RNE 0
#define RM_RTZ 1
#define RM_RDN 2
#define RM_RUP 3
#define RM_RMM 4

/* mstatus.FS = Initial, fcsr = 0 */
#define FP_ENABLE \
        li t0, MSTATUS_FS; \
        csrc mstatus, t0; \
        li t0, MSTATUS_FS_INITIAL; \
        csrs mstatus, t0; \
        csrw fcsr, zero

/* 64-bit patterns into f1..f3 */
#define LOAD_D3(a, b, c) \
        li a1, a; fmv.d.x f1, a1; \
        li a2, b; fmv.d.x f2, a2; \
        li a3, c; fmv.d.x f3, a3
/* 32-bit patterns into f1..f3, NaN-boxed */
#define LOAD_S3(a, b, c) \
        li a1, a; fmv.w.x f1, a1; \
        li a2, b; fmv.w.x f2, a2; \
        li a3, c; fmv.w.x f3, a3

/* the double in f4 must be `expected` and fflags exactly `flags` (then fflags is cleared) */
#define CHECK_D(expected, flags) \
        fmv.x.d a0, f4; \
        csrrw a4, fflags, zero; \
        CHECK(a0, expected); \
        CHECK(a4, flags)

/* the single in f4 must be `expected` (32-bit pattern), properly NaN-boxed, with fflags = flags */
#define CHECK_S(expected, flags) \
        fmv.x.d a0, f4; \
        csrrw a4, fflags, zero; \
        srai a5, a0, 32; \
        CHECK(a5, -1); \
        slli a0, a0, 32; \
        srli a0, a0, 32; \
        CHECK(a0, expected); \
        CHECK(a4, flags)

/* integer result in a0 and fflags */
#define CHECK_X(expected, flags) \
        csrrw a4, fflags, zero; \
        CHECK(a0, expected); \
        CHECK(a4, flags)

/* f4 = inst(f1, f2) with static rounding mode rm */
#define TEST_D_RR(n, inst, rm, expected, flags, a, b) \
        li gp, n; LOAD_D3(a, b, 0); inst f4, f1, f2, rm; CHECK_D(expected, flags)
#define TEST_S_RR(n, inst, rm, expected, flags, a, b) \
        li gp, n; LOAD_S3(a, b, 0); inst f4, f1, f2, rm; CHECK_S(expected, flags)
/* two operands, no rounding mode (sign injection, min/max) */
#define TEST_D_RR_NORM(n, inst, expected, flags, a, b) \
        li gp, n; LOAD_D3(a, b, 0); inst f4, f1, f2; CHECK_D(expected, flags)
#define TEST_S_RR_NORM(n, inst, expected, flags, a, b) \
        li gp, n; LOAD_S3(a, b, 0); inst f4, f1, f2; CHECK_S(expected, flags)
/* f4 = inst(f1) with rounding mode (fsqrt, fcvt.s.d, fcvt.d.s) */
#define TEST_D_R(n, inst, rm, expected, flags, a) \
        li gp, n; LOAD_D3(a, 0, 0); inst f4, f1, rm; CHECK_D(expected, flags)
#define TEST_S_R(n, inst, rm, expected, flags, a) \
        li gp, n; LOAD_S3(a, 0, 0); inst f4, f1, rm; CHECK_S(expected, flags)
/* f4 = inst(f1, f2, f3) */
#define TEST_D_RRR(n, inst, rm, expected, flags, a, b, c) \
        li gp, n; LOAD_D3(a, b, c); inst f4, f1, f2, f3, rm; CHECK_D(expected, flags)
#define TEST_S_RRR(n, inst, rm, expected, flags, a, b, c) \
        li gp, n; LOAD_S3(a, b, c); inst f4, f1, f2, f3, rm; CHECK_S(expected, flags)
/* a0 = inst(f1, f2): comparisons */
#define TEST_D_CMP(n, inst, expected, flags, a, b) \
        li gp, n; LOAD_D3(a, b, 0); inst a0, f1, f2; CHECK_X(expected, flags)
#define TEST_S_CMP(n, inst, expected, flags, a, b) \
        li gp, n; LOAD_S3(a, b, 0); inst a0, f1, f2; CHECK_X(expected, flags)
/* a0 = fclass(f1) */
#define TEST_D_CLASS(n, expected, a) \
        li gp, n; LOAD_D3(a, 0, 0); fclass.d a0, f1; CHECK_X(expected, 0)
#define TEST_S_CLASS(n, expected, a) \
        li gp, n; LOAD_S3(a, 0, 0); fclass.s a0, f1; CHECK_X(expected, 0)
/* a0 = inst(f1) with rounding mode: conversions to integers */
#define TEST_D_TOINT(n, inst, rm, expected, flags, a) \
        li gp, n; LOAD_D3(a, 0, 0); inst a0, f1, rm; CHECK_X(expected, flags)
#define TEST_S_TOINT(n, inst, rm, expected, flags, a) \
        li gp, n; LOAD_S3(a, 0, 0); inst a0, f1, rm; CHECK_X(expected, flags)
/* f4 = inst(a1) with rounding mode: conversions from integers */
#define TEST_D_FROMINT(n, inst, rm, expected, flags, x) \
        li gp, n; li a1, x; inst f4, a1, rm; CHECK_D(expected, flags)
#define TEST_S_FROMINT(n, inst, rm, expected, flags, x) \
        li gp, n; li a1, x; inst f4, a1, rm; CHECK_S(expected, flags)

/* Encodings the assembler refuses: an OP-FP / R4 instruction word with a raw rm field. */
#define OPFP(funct7, rs2, rs1, rm, rd) \
        .word (((funct7) << 25) | ((rs2) << 20) | ((rs1) << 15) | ((rm) << 12) | ((rd) << 7) | 0x53)

#endif /* SUBLET_FP_TEST_H */
