/*
 * rv64i_loadstore.S - loads and stores of every width, FENCE, FENCE.I.
 *
 * Spec points: LB/LH/LW sign-extend, LBU/LHU/LWU zero-extend, LD; stores write exactly
 * their width; offsets are sign-extended 12-bit; memory is little-endian. Sublet's hart
 * performs misaligned loads and stores in hardware (the spec allows either that or a
 * trap; the platform contract says no trap), also when they cross a page boundary.
 * A load to x0 still happens but the value is discarded. FENCE.I makes stores to
 * instruction memory visible to later instruction fetches of the same hart.
 */
#include "test.h"

TEST_BEGIN

/* ---- loads of every width at every offset 0..9 of ld_data (misaligned ones included) ---- */
        la s0, ld_data
        TEST_CASE(1, a0, 0x0000000000000011, lb a0, 0(s0))
        TEST_CASE(2, a0, 0x0000000000000022, lb a0, 1(s0))
        TEST_CASE(3, a0, 0x0000000000000033, lb a0, 2(s0))
        TEST_CASE(4, a0, 0x0000000000000044, lb a0, 3(s0))
        TEST_CASE(5, a0, 0x0000000000000055, lb a0, 4(s0))
        TEST_CASE(6, a0, 0x0000000000000066, lb a0, 5(s0))
        TEST_CASE(7, a0, 0x0000000000000077, lb a0, 6(s0))
        TEST_CASE(8, a0, 0xffffffffffffff88, lb a0, 7(s0))
        TEST_CASE(9, a0, 0xffffffffffffff88, lb a0, 8(s0))
        TEST_CASE(10, a0, 0xffffffffffffff99, lb a0, 9(s0))
        TEST_CASE(11, a0, 0x0000000000000011, lbu a0, 0(s0))
        TEST_CASE(12, a0, 0x0000000000000022, lbu a0, 1(s0))
        TEST_CASE(13, a0, 0x0000000000000033, lbu a0, 2(s0))
        TEST_CASE(14, a0, 0x0000000000000044, lbu a0, 3(s0))
        TEST_CASE(15, a0, 0x0000000000000055, lbu a0, 4(s0))
        TEST_CASE(16, a0, 0x0000000000000066, lbu a0, 5(s0))
        TEST_CASE(17, a0, 0x0000000000000077, lbu a0, 6(s0))
        TEST_CASE(18, a0, 0x0000000000000088, lbu a0, 7(s0))
        TEST_CASE(19, a0, 0x0000000000000088, lbu a0, 8(s0))
        TEST_CASE(20, a0, 0x0000000000000099, lbu a0, 9(s0))
        TEST_CASE(21, a0, 0x0000000000002211, lh a0, 0(s0))
        TEST_CASE(22, a0, 0x0000000000003322, lh a0, 1(s0))
        TEST_CASE(23, a0, 0x0000000000004433, lh a0, 2(s0))
        TEST_CASE(24, a0, 0x0000000000005544, lh a0, 3(s0))
        TEST_CASE(25, a0, 0x0000000000006655, lh a0, 4(s0))
        TEST_CASE(26, a0, 0x0000000000007766, lh a0, 5(s0))
        TEST_CASE(27, a0, 0xffffffffffff8877, lh a0, 6(s0))
        TEST_CASE(28, a0, 0xffffffffffff8888, lh a0, 7(s0))
        TEST_CASE(29, a0, 0xffffffffffff9988, lh a0, 8(s0))
        TEST_CASE(30, a0, 0xffffffffffffaa99, lh a0, 9(s0))
        TEST_CASE(31, a0, 0x0000000000002211, lhu a0, 0(s0))
        TEST_CASE(32, a0, 0x0000000000003322, lhu a0, 1(s0))
        TEST_CASE(33, a0, 0x0000000000004433, lhu a0, 2(s0))
        TEST_CASE(34, a0, 0x0000000000005544, lhu a0, 3(s0))
        TEST_CASE(35, a0, 0x0000000000006655, lhu a0, 4(s0))
        TEST_CASE(36, a0, 0x0000000000007766, lhu a0, 5(s0))
        TEST_CASE(37, a0, 0x0000000000008877, lhu a0, 6(s0))
        TEST_CASE(38, a0, 0x0000000000008888, lhu a0, 7(s0))
        TEST_CASE(39, a0, 0x0000000000009988, lhu a0, 8(s0))
        TEST_CASE(40, a0, 0x000000000000aa99, lhu a0, 9(s0))
        TEST_CASE(41, a0, 0x0000000044332211, lw a0, 0(s0))
        TEST_CASE(42, a0, 0x0000000055443322, lw a0, 1(s0))
        TEST_CASE(43, a0, 0x0000000066554433, lw a0, 2(s0))
        TEST_CASE(44, a0, 0x0000000077665544, lw a0, 3(s0))
        TEST_CASE(45, a0, 0xffffffff88776655, lw a0, 4(s0))
        TEST_CASE(46, a0, 0xffffffff88887766, lw a0, 5(s0))
        TEST_CASE(47, a0, 0xffffffff99888877, lw a0, 6(s0))
        TEST_CASE(48, a0, 0xffffffffaa998888, lw a0, 7(s0))
        TEST_CASE(49, a0, 0xffffffffbbaa9988, lw a0, 8(s0))
        TEST_CASE(50, a0, 0xffffffffccbbaa99, lw a0, 9(s0))
        TEST_CASE(51, a0, 0x0000000044332211, lwu a0, 0(s0))
        TEST_CASE(52, a0, 0x0000000055443322, lwu a0, 1(s0))
        TEST_CASE(53, a0, 0x0000000066554433, lwu a0, 2(s0))
        TEST_CASE(54, a0, 0x0000000077665544, lwu a0, 3(s0))
        TEST_CASE(55, a0, 0x0000000088776655, lwu a0, 4(s0))
        TEST_CASE(56, a0, 0x0000000088887766, lwu a0, 5(s0))
        TEST_CASE(57, a0, 0x0000000099888877, lwu a0, 6(s0))
        TEST_CASE(58, a0, 0x00000000aa998888, lwu a0, 7(s0))
        TEST_CASE(59, a0, 0x00000000bbaa9988, lwu a0, 8(s0))
        TEST_CASE(60, a0, 0x00000000ccbbaa99, lwu a0, 9(s0))
        TEST_CASE(61, a0, 0x8877665544332211, ld a0, 0(s0))
        TEST_CASE(62, a0, 0x8888776655443322, ld a0, 1(s0))
        TEST_CASE(63, a0, 0x9988887766554433, ld a0, 2(s0))
        TEST_CASE(64, a0, 0xaa99888877665544, ld a0, 3(s0))
        TEST_CASE(65, a0, 0xbbaa998888776655, ld a0, 4(s0))
        TEST_CASE(66, a0, 0xccbbaa9988887766, ld a0, 5(s0))
        TEST_CASE(67, a0, 0xddccbbaa99888877, ld a0, 6(s0))
        TEST_CASE(68, a0, 0xeeddccbbaa998888, ld a0, 7(s0))
        TEST_CASE(69, a0, 0xffeeddccbbaa9988, ld a0, 8(s0))
        TEST_CASE(70, a0, 0x7fffeeddccbbaa99, ld a0, 9(s0))
/* ---- sign vs zero extension at the 0x7f/0x80 boundary ---- */
        TEST_CASE(71, a0, 0x000000000000007f, lb a0, 16(s0))
        TEST_CASE(72, a0, 0xffffffffffffff80, lb a0, 17(s0))
        TEST_CASE(73, a0, 0x0000000000000000, lb a0, 20(s0))
        TEST_CASE(74, a0, 0xffffffffffffffff, lb a0, 21(s0))
        TEST_CASE(75, a0, 0x000000000000007f, lbu a0, 16(s0))
        TEST_CASE(76, a0, 0x0000000000000080, lbu a0, 17(s0))
        TEST_CASE(77, a0, 0x0000000000000000, lbu a0, 20(s0))
        TEST_CASE(78, a0, 0x00000000000000ff, lbu a0, 21(s0))
        TEST_CASE(79, a0, 0xffffffffffff807f, lh a0, 16(s0))
        TEST_CASE(80, a0, 0x0000000000000180, lh a0, 17(s0))
        TEST_CASE(81, a0, 0xffffffffffffff00, lh a0, 20(s0))
        TEST_CASE(82, a0, 0xffffffffffff80ff, lh a0, 21(s0))
        TEST_CASE(83, a0, 0x000000000000807f, lhu a0, 16(s0))
        TEST_CASE(84, a0, 0x0000000000000180, lhu a0, 17(s0))
        TEST_CASE(85, a0, 0x000000000000ff00, lhu a0, 20(s0))
        TEST_CASE(86, a0, 0x00000000000080ff, lhu a0, 21(s0))
        TEST_CASE(87, a0, 0xfffffffffe01807f, lw a0, 16(s0))
        TEST_CASE(88, a0, 0x0000000000fe0180, lw a0, 17(s0))
        TEST_CASE(89, a0, 0x000000007f80ff00, lw a0, 20(s0))
        TEST_CASE(90, a0, 0x00000000fe01807f, lwu a0, 16(s0))
        TEST_CASE(91, a0, 0x0000000000fe0180, lwu a0, 17(s0))
        TEST_CASE(92, a0, 0x000000007f80ff00, lwu a0, 20(s0))
        TEST_CASE(93, a0, 0x7f80ff00fe01807f, ld a0, 16(s0))

/* ---- negative and extreme offsets ---- */
        la s1, ld_data + 8
        TEST_CASE(94, a0, 0xffffffffffffff88, lb a0, -1(s1))
        TEST_CASE(95, a0, 0x8877665544332211, ld a0, -8(s1))
        TEST_CASE(96, a0, 0xffffffff88776655, lw a0, -4(s1))
        TEST_CASE(97, a0, 0x0000000000008877, lhu a0, -2(s1))
        la s2, ld_data + 2048               /* offset -2048 reaches ld_data */
        TEST_CASE(98, a0, 0x8877665544332211, ld a0, -2048(s2))
        la s2, ld_data - 2047               /* offset +2047 reaches ld_data */
        TEST_CASE(99, a0, 0x0000000000000011, lbu a0, 2047(s2))
        TEST_CASE(100, a0, 0xffeeddccbbaa9988, la s2, ld_data - 2039; ld a0, 2047(s2))

/* ---- rd == rs1; load into x0 ---- */
        TEST_CASE(101, a0, 0x8877665544332211, la a0, ld_data; ld a0, 0(a0))
        TEST_CASE(102, a0, 0, la a1, ld_data; lw x0, 0(a1); mv a0, x0)
        TEST_CASE(103, a0, 0, la a1, ld_data; ld x0, 3(a1); mv a0, x0)

/* ---- stores write exactly their width ---- */
#define FILL(label, v) la s3, label; li t0, v; sd t0, 0(s3); sd t0, 8(s3); sd t0, 16(s3)
        FILL(st_data, -1)
        TEST_CASE(104, a0, 0xffffffff00ffffff, sb zero, 3(s3); ld a0, 0(s3))
        TEST_CASE(105, a0, 0xffffffff5affffff, li a1, 0x123456785a; sb a1, 3(s3); ld a0, 0(s3))
        TEST_CASE(106, a0, 0xbeefffff5affffff, li a1, 0xdeadbeef; sh a1, 6(s3); ld a0, 0(s3))
        TEST_CASE(107, a0, 0xffffffffffffffff, ld a0, 8(s3))            /* next dword untouched */
        TEST_CASE(108, a0, 0xbeefffff12345678, li a1, 0xffffffff12345678; sw a1, 0(s3); ld a0, 0(s3))
        TEST_CASE(109, a0, 0x0123456789abcdef, li a1, 0x0123456789abcdef; sd a1, 8(s3); ld a0, 8(s3))
        TEST_CASE(110, a0, 0xffffffffffffffff, ld a0, 16(s3))
        TEST_CASE(111, a0, 0xffffffffffffffef, lb a0, 8(s3))            /* little-endian */
        TEST_CASE(112, a0, 0x0000000000000001, lbu a0, 15(s3))
        TEST_CASE(113, a0, 0xffffffff89abcdef, lw a0, 8(s3))
        TEST_CASE(114, a0, 0x0000000001234567, lwu a0, 12(s3))
        TEST_CASE(115, a0, 0x0000000000000055, li a1, 0x55; sb a1, -1(s3); lbu a0, -1(s3))  /* negative offset */
        TEST_CASE(116, a0, 0x00000000000000aa, li a1, 0xaa; addi s4, s3, 2047; sb a1, -2047(s4); lbu a0, 0(s3))

/* ---- misaligned stores of every width (performed, not trapped) ---- */
        FILL(st_data, 0)
        TEST_CASE(117, a0, 0x0000000000aabb00, li a1, 0xaabb; sh a1, 1(s3); ld a0, 0(s3))
        TEST_CASE(118, a0, 0xdd00000000aabb00, li a1, 0xccdd; sh a1, 7(s3); ld a0, 0(s3))     /* crosses a dword */
        TEST_CASE(119, a0, 0x00000000000000cc, ld a0, 8(s3))
        FILL(st_data, 0)
        TEST_CASE(120, a0, 0x0011223344000000, li a1, 0x11223344; sw a1, 3(s3); ld a0, 0(s3))
        TEST_CASE(121, a0, 0x1122334444000000, li a1, 0x11223344; sw a1, 4(s3); ld a0, 0(s3))     /* aligned over misaligned */
        FILL(st_data, 0)
        TEST_CASE(122, a0, 0x5566778800000000, li a1, 0x1122334455667788; sw a1, 4(s3); ld a0, 0(s3))
        TEST_CASE(123, a0, 0x3344556677880000, li a1, 0x1122334455667788; sw zero, 4(s3); sd a1, 2(s3); ld a0, 0(s3))
        TEST_CASE(124, a0, 0x0000000000001122, ld a0, 8(s3))
        FILL(st_data, 0)
        TEST_CASE(125, a0, 0x8800000000000000, li a1, 0x1122334455667788; sd a1, 7(s3); ld a0, 0(s3))
        TEST_CASE(126, a0, 0x0011223344556677, ld a0, 8(s3))
        TEST_CASE(127, a0, 0x1122334455667788, ld a0, 7(s3))            /* misaligned load reads it back */
        TEST_CASE(128, a0, 0x0000000055667788, lwu a0, 7(s3))
        TEST_CASE(129, a0, 0x0000000000007788, lh a0, 7(s3))
        TEST_CASE(130, a0, 0x3344556677880000, ld a0, 5(s3))
        TEST_CASE(131, a0, 0x0000000000000000, ld a0, 15(s3))

/* ---- misaligned accesses crossing a 4 KiB page boundary ---- */
        la s5, cross_pages
        li t0, 4096
        add s5, s5, t0                      /* s5 = first byte of the second page */
        li t0, 0x0706050403020100
        sd t0, -8(s5)
        li t0, 0x0f0e0d0c0b0a0908
        sd t0, 0(s5)
        TEST_CASE(132, a0, 0x0b0a090807060504, ld a0, -4(s5))
        TEST_CASE(133, a0, 0x0807060504030201, ld a0, -7(s5))
        TEST_CASE(134, a0, 0x0e0d0c0b0a090807, ld a0, -1(s5))
        TEST_CASE(135, a0, 0x0000000009080706, lwu a0, -2(s5))
        TEST_CASE(136, a0, 0x000000000a090807, lw a0, -1(s5))
        TEST_CASE(137, a0, 0x0000000000000807, lh a0, -1(s5))
        TEST_CASE(138, a0, 0x0000000000000807, lhu a0, -1(s5))
        TEST_CASE(139, a0, 0x0a09080706050403, li a1, -1; sd a1, -3(s5); li a1, 0x0a09080706050403; sd a1, -5(s5); ld a0, -5(s5))
        TEST_CASE(140, a0, 0x0706050403020100, ld a0, -8(s5))            /* bytes before -5 untouched */
        TEST_CASE(141, a0, 0x0f0e0dffff0a0908, ld a0, 0(s5))
        TEST_CASE(142, a0, 0xffffffff99887766, li a1, 0x99887766; sw a1, -2(s5); lw a0, -2(s5))
        TEST_CASE(143, a0, 0x000000000000aabb, li a1, 0xaabb; sh a1, -1(s5); lhu a0, -1(s5))
        TEST_CASE(144, a0, 0x00000000000000aa, lbu a0, 0(s5))

/* ---- FENCE variants execute as ordering no-ops on one hart ---- */
        TEST_CASE(145, a0, 3, li a0, 3; fence; fence rw, rw; fence iorw, iorw; fence r, w; fence.tso; fence w, r)

/* ---- FENCE.I: stores to code become visible to instruction fetch ---- */
        /* Build `li a0, <v>; ret` in code_buf, run it, rewrite it, run it again. The second
         * run must see the new code (an emulator's decoded-instruction cache must drop it). */
        li gp, 146
        la s6, code_buf
        li t0, 0x00100513                   /* addi a0, zero, 1 */
        sw t0, 0(s6)
        li t0, 0x00008067                   /* jalr zero, 0(ra) */
        sw t0, 4(s6)
        fence.i
        li a0, 0
        jalr ra, 0(s6)
        CHECK(a0, 1)
        li gp, 147
        li t0, 0x00200513                   /* addi a0, zero, 2 */
        sw t0, 0(s6)
        fence.i
        jalr ra, 0(s6)
        CHECK(a0, 2)
        li gp, 148                          /* rewrite with byte stores only */
        li t0, 0x70
        sb t0, 2(s6)                        /* 0x00700513: addi a0, zero, 7 */
        fence.i
        jalr ra, 0(s6)
        CHECK(a0, 7)
        li gp, 149                          /* rewrite with two halfword stores */
        li t0, 0x0513
        sh t0, 0(s6)
        li t0, 0x02a0                       /* 0x02a00513: addi a0, zero, 42 */
        sh t0, 2(s6)
        fence.i
        jalr ra, 0(s6)
        CHECK(a0, 42)

TEST_END

        .data
        .align 4
ld_data:
        .byte 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88
        .byte 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff
        .byte 0x7f, 0x80, 0x01, 0xfe, 0x00, 0xff, 0x80, 0x7f
        .align 4
        .dword 0                            /* st_data - 8 .. */
st_data:
        .dword 0, 0, 0, 0
        .align 4
code_buf:
        .word 0, 0, 0, 0
        .align 12
cross_pages:
        .space 8192
