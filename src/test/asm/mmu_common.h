/*
 * mmu_common.h - the body of mmu_sv39.S, mmu_sv48.S and mmu_sv57.S.
 *
 * The including file defines SV_LEVELS (3, 4, 5), SV_MODE (satp MODE 8, 9, 10) and VA_BITS
 * (39, 48, 57), then includes test.h and this file.
 *
 * Two page tables are built at run time in M mode:
 *   root_s: the whole image identity mapped by one 1 GiB page (R W X A D, U = 0), so that
 *           the framework (handlers, data, tohost) works unchanged in S mode; plus the
 *           test mappings below at VA_BASE and elsewhere.
 *   root_u: the same image mapping but with U = 1, for the U-mode cases (S cannot execute
 *           from U pages, so S mode is never entered while root_u is active).
 *
 * Spec points (privileged "Supervisor-Level ISA", "Virtual Address Translation Process" and
 * Sv39/Sv48/Sv57): 4 KiB pages and superpages at every level (a superpage whose PPN is not
 * aligned to its size is a page fault); V = 0, W without R, reserved PTE bits 63:54 (no
 * Svpbmt/Svnapot), or a pointer PTE at the last level: page fault; U pages are not
 * accessible from S unless SUM = 1, and never executable from S; S pages are not accessible
 * from U; MXR makes X-only pages readable; MPRV = 1 makes M-mode loads and stores translate
 * and check permissions as the mode in MPP (instruction fetch is unaffected); a store to a
 * page without W is a store page fault (15), a fetch from a page without X an instruction
 * page fault (12), a load a load page fault (13); the A and D bits are set by the hardware
 * (not Svade) on an access that is otherwise permitted - never on one that faults; bits
 * 63:VA_BITS of a VA must equal bit VA_BITS-1 or the access page-faults; stval/mtval is the
 * faulting VA (for a misaligned access or an instruction crossing into a bad page: the
 * address of the portion that faulted; epc still the instruction's start); a PTE change is
 * seen after SFENCE.VMA; writing satp with an unsupported MODE has no effect at all.
 */

#define VA_BASE     0x40000000
#define PAGE(k)     (VA_BASE + (k) * 0x1000)
#define IMAGE       0x80000000
#define RWXAD       (PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D)
#define RWAD        (PTE_V | PTE_R | PTE_W | PTE_A | PTE_D)
#define NONCANON_VA (1 << (VA_BITS - 1))        /* top VA bit set, bits above it clear */
#define HIGH_VA     (-(1 << (VA_BITS - 1)))     /* lowest canonical address of the upper half */
#define MAGIC(k)    (0x5ab1e70000000000 + (k))

/* a0 = the PTE word for va at level (M mode) */
#define PTE_LOAD(va, level) PT_PTE(va, level); ld a0, 0(a0)

/* offset of label from the start of the image (physical 0x8000_0000) */
#define IMG_OFF(reg, label) la reg, label; li t0, IMAGE; sub reg, reg, t0

TEST_BEGIN

/* ---- fill the data pages: page k starts with MAGIC(k) ---- */
        la t0, mmu_pages
        li t1, 0
1:      li t2, MAGIC(0)
        add t2, t2, t1
        slli t3, t1, 12
        add t3, t3, t0
        sd t2, 0(t3)
        addi t1, t1, 1
        li t2, 8
        bne t1, t2, 1b

/* ---- root_u: image as U pages (built first, then root_s stays current) ---- */
        PT_INIT(root_u, SV_LEVELS)
        PT_MAP(IMAGE, IMAGE, RWXAD | PTE_U, 2)
        PT_MAP_LABEL(PAGE(0), mmu_pages, RWAD, 0)                       /* S page */
        PT_MAP_LABEL(PAGE(12), mmu_pages + 0x3000, RWAD | PTE_U, 0)     /* U page */
        PT_MAP_LABEL(PAGE(10), mmu_code, PTE_V | PTE_R | PTE_X | PTE_A, 0)          /* S code */
        PT_MAP_LABEL(PAGE(13), mmu_code, PTE_V | PTE_R | PTE_X | PTE_A | PTE_U, 0)  /* U code */

/* ---- root_s ---- */
        PT_INIT(root_s, SV_LEVELS)
        PT_MAP(IMAGE, IMAGE, RWXAD, 2)
        PT_MAP_LABEL(PAGE(0), mmu_pages, RWAD, 0)
        PT_MAP_LABEL(PAGE(1), mmu_pages + 0x1000, RWAD, 0)
        PT_MAP_LABEL(PAGE(2), mmu_pages, RWAD, 0)                       /* alias of page 0 */
        PT_MAP_LABEL(PAGE(3), mmu_pages + 0x2000, PTE_R | PTE_W | PTE_A | PTE_D, 0)  /* V = 0 */
        PT_MAP_LABEL(PAGE(4), mmu_pages + 0x2000, PTE_V | PTE_W | PTE_A | PTE_D, 0)  /* W without R */
        PT_MAP_LABEL(PAGE(5), mmu_code, PTE_V | PTE_W | PTE_X | PTE_A | PTE_D, 0)    /* W X without R */
        PT_MAP_LABEL(PAGE(6), mmu_pages + 0x2000, PTE_V, 0)             /* pointer at the last level */
        PT_MAP_LABEL(PAGE(7), mmu_pages + 0x2000, RWAD | (1 << 55), 0)  /* reserved bit 55 */
        PT_MAP_LABEL(PAGE(8), mmu_pages + 0x2000, PTE_V | PTE_R | PTE_A, 0)          /* read-only */
        PT_MAP_LABEL(PAGE(9), mmu_code, RWAD, 0)                        /* code, not executable */
        PT_MAP_LABEL(PAGE(10), mmu_code, PTE_V | PTE_R | PTE_X | PTE_A, 0)           /* code, R X */
        PT_MAP_LABEL(PAGE(11), mmu_pages + 0x2000, PTE_V | PTE_X | PTE_A, 0)         /* X only */
        PT_MAP_LABEL(PAGE(12), mmu_pages + 0x3000, RWAD | PTE_U, 0)     /* U page */
        PT_MAP_LABEL(PAGE(13), mmu_code, PTE_V | PTE_R | PTE_X | PTE_A | PTE_U, 0)   /* U code */
        PT_MAP_LABEL(PAGE(14), mmu_pages + 0x4000, PTE_V | PTE_R | PTE_W, 0)         /* A = D = 0 */
        PT_MAP_LABEL(PAGE(15), mmu_pages + 0x5000, PTE_V | PTE_R, 0)                 /* read-only, A = 0 */
        PT_MAP_LABEL(PAGE(16), mmu_code, PTE_V | PTE_R | PTE_X, 0)                   /* code, A = 0 */
        PT_MAP_LABEL(PAGE(17), mmu_pages, RWAD, 0)                      /* remapped by sfence cases */
        PT_MAP_LABEL(PAGE(18), mmu_straddle, PTE_V | PTE_R | PTE_X | PTE_A, 0)       /* PAGE(19) unmapped */
        PT_MAP_LABEL(PAGE(20), mmu_pages + 0x6000, RWAD, 0)             /* PAGE(21) unmapped */
        PT_MAP(0x40200000, IMAGE, RWAD, 1)                              /* 2 MiB superpage */
        PT_MAP(0x40400000, IMAGE + 0x1000, RWAD, 1)                     /* misaligned 2 MiB */
        PT_MAP(0xc0000000, IMAGE, RWAD, 2)                              /* 1 GiB superpage */
        PT_MAP(0x100000000, IMAGE + 0x200000, RWAD, 2)                  /* misaligned 1 GiB */
        PT_MAP_LABEL(HIGH_VA, mmu_pages + 0x1000, RWAD, 0)              /* upper half of the VA space */
#if SV_LEVELS >= 4
        PT_MAP(0x8000000000, 0, RWAD, 3)                                /* 512 GiB superpage at PA 0 */
        PT_MAP(0x10000000000, 0x40000000, RWAD, 3)                      /* misaligned 512 GiB */
#endif
#if SV_LEVELS >= 5
        PT_MAP(0x1000000000000, 0, RWAD, 4)                             /* 256 TiB superpage at PA 0 */
        PT_MAP(0x2000000000000, IMAGE, RWAD, 4)                         /* misaligned 256 TiB */
#endif

/* ---- satp ---- */
        li gp, 1
        SATP_SET(SV_MODE, root_s)
        csrr a0, satp
        la t0, root_s
        srli t0, t0, 12
        li t1, (SV_MODE << 60)
        or t1, t1, t0
        CHECK_EQ(a0, t1)
        li gp, 2                            /* unsupported MODEs: the whole write is ignored */
        li t2, (1 << 60) | 0x12345
        csrw satp, t2
        csrr a0, satp
        CHECK_EQ(a0, t1)
        li gp, 3
        li t2, (15 << 60)
        csrw satp, t2
        csrr a0, satp
        CHECK_EQ(a0, t1)
        li gp, 4
        li t2, (7 << 60)
        csrw satp, t2
        csrr a0, satp
        CHECK_EQ(a0, t1)
        sfence.vma

/* ======== S mode, root_s ======== */
        ENTER_S
        TEST_CASE(5, a0, MAGIC(0), li t0, PAGE(0); ld a0, 0(t0))
        TEST_CASE(6, a0, MAGIC(1), li t0, PAGE(1); ld a0, 0(t0))
        TEST_CASE(7, a0, MAGIC(0), li t0, PAGE(2); ld a0, 0(t0))        /* alias */
        TEST_CASE(8, a0, 0x1234, li t0, PAGE(2); li t1, 0x1234; sd t1, 8(t0); li t0, PAGE(0); ld a0, 8(t0))
        TEST_CASE(9, a0, MAGIC(0), IMG_OFF(t1, mmu_pages); li t0, 0x40200000; add t0, t0, t1; ld a0, 0(t0))   /* 2 MiB */
        TEST_CASE(10, a0, MAGIC(1), IMG_OFF(t1, mmu_pages + 0x1000); li t0, 0xc0000000; add t0, t0, t1; ld a0, 0(t0))  /* 1 GiB */
        TEST_CASE(11, a0, MAGIC(1), li t0, HIGH_VA; ld a0, 0(t0))
        TEST_CASE(12, a0, MAGIC(0), la t1, mmu_pages; li t0, 0xc0000000 - IMAGE; add t0, t0, t1; lw a0, 0(t0); ld a0, 0(t0))
#if SV_LEVELS >= 4
        TEST_CASE(13, a0, MAGIC(1), la t1, mmu_pages + 0x1000; li t0, 0x8000000000; add t0, t0, t1; ld a0, 0(t0))  /* 512 GiB */
#endif
#if SV_LEVELS >= 5
        TEST_CASE(14, a0, MAGIC(0), la t1, mmu_pages; li t0, 0x1000000000000; add t0, t0, t1; ld a0, 0(t0))      /* 256 TiB */
#endif

/* ---- misaligned superpages ---- */
        li t0, 0x40400000 + 0x18
        TEST_TRAP_TVAL_REG(15, CAUSE_LOAD_PAGE_FAULT, TRAP_M_FROM_S, t0, ld a0, 0(t0))
        li t0, 0x100000000 + 0x20
        TEST_TRAP_TVAL_REG(16, CAUSE_STORE_PAGE_FAULT, TRAP_M_FROM_S, t0, sd a0, 0(t0))
#if SV_LEVELS >= 4
        li t0, 0x10000000000 + 0x30
        TEST_TRAP_TVAL_REG(17, CAUSE_LOAD_PAGE_FAULT, TRAP_M_FROM_S, t0, ld a0, 0(t0))
#endif
#if SV_LEVELS >= 5
        li t0, 0x2000000000000 + 0x40
        TEST_TRAP_TVAL_REG(18, CAUSE_LOAD_PAGE_FAULT, TRAP_M_FROM_S, t0, ld a0, 0(t0))
#endif

/* ---- invalid and reserved PTEs ---- */
        li t0, PAGE(3)
        TEST_TRAP_TVAL_REG(19, CAUSE_LOAD_PAGE_FAULT, TRAP_M_FROM_S, t0, ld a0, 0(t0))      /* V = 0 */
        TEST_TRAP_TVAL_REG(20, CAUSE_STORE_PAGE_FAULT, TRAP_M_FROM_S, t0, sd a0, 0(t0))
        li gp, 21
        EXPECT_TRAP_RESUME(2f)
        jalr ra, 0(t0)
2:      CHECK_CAUSE(CAUSE_FETCH_PAGE_FAULT)
        CHECK_EPC_REG(t0)
        CHECK_TVAL_REG(t0)
        li t0, PAGE(4)
        TEST_TRAP_TVAL_REG(22, CAUSE_LOAD_PAGE_FAULT, TRAP_M_FROM_S, t0, ld a0, 0(t0))      /* W without R */
        TEST_TRAP_TVAL_REG(23, CAUSE_STORE_PAGE_FAULT, TRAP_M_FROM_S, t0, sd a0, 0(t0))
        li gp, 24                           /* W X without R: fetch too */
        li t0, PAGE(5)
        EXPECT_TRAP_RESUME(3f)
        jalr ra, 0(t0)
3:      CHECK_CAUSE(CAUSE_FETCH_PAGE_FAULT)
        CHECK_TVAL_REG(t0)
        li t0, PAGE(6)
        TEST_TRAP_TVAL_REG(25, CAUSE_LOAD_PAGE_FAULT, TRAP_M_FROM_S, t0, ld a0, 0(t0))      /* pointer at level 0 */
        li t0, PAGE(7)
        TEST_TRAP_TVAL_REG(26, CAUSE_LOAD_PAGE_FAULT, TRAP_M_FROM_S, t0, ld a0, 0(t0))      /* reserved bit */
        li t0, PAGE(3) + 0x123
        TEST_TRAP_TVAL_REG(27, CAUSE_LOAD_PAGE_FAULT, TRAP_M_FROM_S, t0, lbu a0, 0(t0))     /* tval keeps the offset */

/* ---- permissions: R, W, X ---- */
        li t0, PAGE(8)
        TEST_CASE(28, a0, MAGIC(2), ld a0, 0(t0))
        addi t0, t0, 8
        TEST_TRAP_TVAL_REG(29, CAUSE_STORE_PAGE_FAULT, TRAP_M_FROM_S, t0, sd a0, 0(t0))    /* read-only */
        TEST_TRAP_TVAL_REG(30, CAUSE_STORE_PAGE_FAULT, TRAP_M_FROM_S, t0, amoadd.d a0, a1, (t0))  /* AMO = store */
        li t0, PAGE(3)
        TEST_TRAP_TVAL_REG(32, CAUSE_LOAD_PAGE_FAULT, TRAP_M_FROM_S, t0, lr.d a0, (t0))     /* LR = load */
        li gp, 33                           /* fetch from a page without X */
        li t0, PAGE(9)
        EXPECT_TRAP_RESUME(4f)
        jalr ra, 0(t0)
4:      CHECK_CAUSE(CAUSE_FETCH_PAGE_FAULT)
        CHECK_FROM(TRAP_M_FROM_S)
        CHECK_EPC_REG(t0)
        CHECK_TVAL_REG(t0)
        TEST_CASE(34, a0, 0x5a, li a0, 0; li t0, PAGE(10); jalr ra, 0(t0))   /* executable page at a new VA */
        li t0, PAGE(11)
        TEST_TRAP_TVAL_REG(35, CAUSE_LOAD_PAGE_FAULT, TRAP_M_FROM_S, t0, ld a0, 0(t0))      /* X only, MXR = 0 */
        li t0, MSTATUS_MXR
        csrs sstatus, t0
        TEST_CASE(36, a0, MAGIC(2), li t0, PAGE(11); ld a0, 0(t0))      /* MXR: X-only readable */
        li t0, PAGE(11)
        TEST_TRAP_TVAL_REG(37, CAUSE_STORE_PAGE_FAULT, TRAP_M_FROM_S, t0, sd a0, 0(t0))     /* but not writable */
        li t0, PAGE(4)
        TEST_TRAP_TVAL_REG(38, CAUSE_LOAD_PAGE_FAULT, TRAP_M_FROM_S, t0, ld a0, 0(t0))      /* MXR does not fix W-only */
        li t0, MSTATUS_MXR
        csrc sstatus, t0

/* ---- U pages from S: SUM ---- */
        li t0, PAGE(12)
        TEST_TRAP_TVAL_REG(39, CAUSE_LOAD_PAGE_FAULT, TRAP_M_FROM_S, t0, ld a0, 0(t0))
        TEST_TRAP_TVAL_REG(40, CAUSE_STORE_PAGE_FAULT, TRAP_M_FROM_S, t0, sd a0, 0(t0))
        li t0, MSTATUS_SUM
        csrs sstatus, t0
        TEST_CASE(41, a0, MAGIC(3), li t0, PAGE(12); ld a0, 0(t0))
        TEST_CASE(42, a0, 77, li t0, PAGE(12); li t1, 77; sd t1, 8(t0); ld a0, 8(t0))
        li gp, 43                           /* never executable from S, even with SUM */
        li t0, PAGE(13)
        EXPECT_TRAP_RESUME(5f)
        jalr ra, 0(t0)
5:      CHECK_CAUSE(CAUSE_FETCH_PAGE_FAULT)
        CHECK_TVAL_REG(t0)
        li t0, MSTATUS_SUM
        csrc sstatus, t0

/* ---- non-canonical addresses ---- */
        li t0, NONCANON_VA
        TEST_TRAP_TVAL_REG(44, CAUSE_LOAD_PAGE_FAULT, TRAP_M_FROM_S, t0, ld a0, 0(t0))
        TEST_TRAP_TVAL_REG(45, CAUSE_STORE_PAGE_FAULT, TRAP_M_FROM_S, t0, sd a0, 0(t0))
        li t0, (1 << 62) | VA_BASE          /* low bits fine, bit 62 breaks the sign extension */
        TEST_TRAP_TVAL_REG(46, CAUSE_LOAD_PAGE_FAULT, TRAP_M_FROM_S, t0, ld a0, 0(t0))
        li gp, 47
        li t0, NONCANON_VA
        EXPECT_TRAP_RESUME(6f)
        jalr ra, 0(t0)
6:      CHECK_CAUSE(CAUSE_FETCH_PAGE_FAULT)
        CHECK_TVAL_REG(t0)
#if SV_LEVELS == 3
        li t0, 0x8000000000                 /* a 512 GiB mapping exists only from Sv48 on */
        TEST_TRAP_TVAL_REG(48, CAUSE_LOAD_PAGE_FAULT, TRAP_M_FROM_S, t0, ld a0, 0(t0))
#endif

/* ---- misaligned accesses and instructions crossing into a bad page ---- */
        li t0, PAGE(21)
        li t1, PAGE(20) + 4092
        TEST_TRAP_TVAL_REG(49, CAUSE_LOAD_PAGE_FAULT, TRAP_M_FROM_S, t0, ld a0, 0(t1))      /* tval: the faulting portion */
        TEST_TRAP_TVAL_REG(50, CAUSE_STORE_PAGE_FAULT, TRAP_M_FROM_S, t0, sw a0, 2(t1))
        TEST_CASE(51, a0, 0, li t1, PAGE(20) + 4092; lwu a0, 0(t1))                         /* within the page: fine */
        li gp, 52
        li t0, PAGE(18) + 4094              /* a 32-bit instruction whose second half is unmapped */
        li t1, PAGE(19)
        EXPECT_TRAP_RESUME(7f)
        jalr ra, 0(t0)
7:      CHECK_CAUSE(CAUSE_FETCH_PAGE_FAULT)
        CHECK_EPC_REG(t0)                   /* epc: the start of the instruction */
        CHECK_TVAL_REG(t1)                  /* tval: the part that faulted */

/* ---- hardware-managed A and D bits ---- */
        TEST_CASE(53, a0, MAGIC(4), li t0, PAGE(14); ld a0, 0(t0))      /* A = 0: the load sets it */
        TEST_CASE(54, a0, 99, li t0, PAGE(14); li t1, 99; sd t1, 8(t0); ld a0, 8(t0))
        li t0, PAGE(15) + 8
        TEST_TRAP_TVAL_REG(55, CAUSE_STORE_PAGE_FAULT, TRAP_M_FROM_S, t0, sd a0, 0(t0))     /* read-only, A = 0 */
        TEST_CASE(56, a0, 0x5a, li a0, 0; li t0, PAGE(16); jalr ra, 0(t0))                  /* fetch with A = 0 */
        ECALL_TO_M
        li gp, 57                           /* (checked from M: the PTEs in memory) */
        PTE_LOAD(PAGE(14), 0)
        andi a1, a0, PTE_A | PTE_D
        CHECK(a1, PTE_A | PTE_D)
        li gp, 58
        PTE_LOAD(PAGE(15), 0)
        andi a1, a0, PTE_A | PTE_D
        CHECK(a1, 0)                        /* the faulting store set neither */
        li gp, 59
        PTE_LOAD(PAGE(16), 0)
        andi a1, a0, PTE_A | PTE_D
        CHECK(a1, PTE_A)                    /* fetch: A only */
        li gp, 60                           /* a load alone sets A, not D */
        PT_MAP_LABEL(PAGE(14), mmu_pages + 0x4000, PTE_V | PTE_R | PTE_W, 0)
        sfence.vma
        ENTER_S
        li t0, PAGE(14)
        ld a0, 0(t0)
        ECALL_TO_M
        PTE_LOAD(PAGE(14), 0)
        andi a1, a0, PTE_A | PTE_D
        CHECK(a1, PTE_A)
        li gp, 61                           /* a store to a page with A = 1, D = 0 sets D */
        ENTER_S
        li t0, PAGE(14)
        sb zero, 100(t0)
        ECALL_TO_M
        PTE_LOAD(PAGE(14), 0)
        andi a1, a0, PTE_A | PTE_D
        CHECK(a1, PTE_A | PTE_D)

/* ---- SFENCE.VMA makes PTE changes visible ---- */
        ENTER_S
        TEST_CASE(62, a0, MAGIC(0), li t0, PAGE(17); ld a0, 0(t0))
        ECALL_TO_M
        PT_MAP_LABEL(PAGE(17), mmu_pages + 0x1000, RWAD, 0)
        sfence.vma
        ENTER_S
        TEST_CASE(63, a0, MAGIC(1), li t0, PAGE(17); ld a0, 0(t0))
        ECALL_TO_M
        PT_MAP_LABEL(PAGE(17), mmu_pages + 0x2000, RWAD, 0)
        ENTER_S
        li t0, PAGE(17)
        sfence.vma t0, zero                 /* by address, from S */
        TEST_CASE(64, a0, MAGIC(2), li t0, PAGE(17); ld a0, 0(t0))
        ECALL_TO_M
        PT_MAP_LABEL(PAGE(17), mmu_pages, RWAD & ~PTE_V, 0)             /* unmap */
        ENTER_S
        sfence.vma
        li t0, PAGE(17)
        TEST_TRAP_TVAL_REG(65, CAUSE_LOAD_PAGE_FAULT, TRAP_M_FROM_S, t0, ld a0, 0(t0))

/* ---- page faults delegated to S: scause/stval ---- */
        ECALL_TO_M
        li t0, (1 << CAUSE_LOAD_PAGE_FAULT) | (1 << CAUSE_STORE_PAGE_FAULT) | (1 << CAUSE_FETCH_PAGE_FAULT)
        csrw medeleg, t0
        ENTER_S
        li t0, PAGE(3) + 0x40
        TEST_TRAP_TVAL_REG(66, CAUSE_LOAD_PAGE_FAULT, TRAP_S_FROM_S, t0, ld a0, 0(t0))
        TEST_TRAP_TVAL_REG(67, CAUSE_STORE_PAGE_FAULT, TRAP_S_FROM_S, t0, sd a0, 0(t0))
        li gp, 68
        csrr a0, stval
        CHECK_EQ(a0, t0)
        li gp, 69
        li t0, PAGE(9)
        EXPECT_TRAP_RESUME(8f)
        jalr ra, 0(t0)
8:      CHECK_CAUSE(CAUSE_FETCH_PAGE_FAULT)
        CHECK_FROM(TRAP_S_FROM_S)
        CHECK_TVAL_REG(t0)
        ECALL_TO_M
        csrw medeleg, zero

/* ======== M mode with MPRV ======== */
        /* After each access under MPRV, MPRV is cleared before anything touches memory: the
         * framework's own data is not mapped for U, and a trap's mret leaves MPP = U. */
#define MPRV_ON(mpp) li t0, MSTATUS_MPP; csrc mstatus, t0; li t0, MSTATUS_MPRV | ((mpp) << 11); csrs mstatus, t0
#define MPRV_OFF     li t0, MSTATUS_MPRV; csrc mstatus, t0
        li gp, 70                           /* MPP = S: loads translate */
        li t1, PAGE(1)
        MPRV_ON(PRV_S)
        ld a0, 0(t1)
        MPRV_OFF
        CHECK(a0, MAGIC(1))
        li gp, 71                           /* stores too */
        li t1, PAGE(0)
        li a1, 0xabc
        MPRV_ON(PRV_S)
        sd a1, 16(t1)
        MPRV_OFF
        la t0, mmu_pages
        ld a0, 16(t0)
        CHECK(a0, 0xabc)
        li gp, 72                           /* a fault under MPRV: taken from M, tval = VA */
        li t1, PAGE(3)
        EXPECT_TRAP
        MPRV_ON(PRV_S)
        ld a0, 0(t1)
        MPRV_OFF
        CHECK_CAUSE(CAUSE_LOAD_PAGE_FAULT)
        CHECK_FROM(TRAP_M_FROM_M)
        CHECK_TVAL_REG(t1)
        li gp, 73                           /* MPP = S: a U page needs SUM */
        li t1, PAGE(12)
        EXPECT_TRAP
        MPRV_ON(PRV_S)
        ld a0, 0(t1)
        MPRV_OFF
        CHECK_CAUSE(CAUSE_LOAD_PAGE_FAULT)
        li gp, 74
        li t1, PAGE(12)
        li t0, MSTATUS_SUM
        csrs mstatus, t0
        MPRV_ON(PRV_S)
        ld a0, 0(t1)
        MPRV_OFF
        li t0, MSTATUS_SUM
        csrc mstatus, t0
        CHECK(a0, MAGIC(3))
        li gp, 75                           /* MPP = U: U page fine, S page faults */
        csrr s5, satp
        SATP_SET(SV_MODE, root_u)
        li t1, PAGE(12)
        MPRV_ON(PRV_U)
        ld a0, 0(t1)
        MPRV_OFF
        CHECK(a0, MAGIC(3))
        li gp, 76
        li t1, PAGE(0)
        EXPECT_TRAP
        MPRV_ON(PRV_U)
        ld a0, 0(t1)
        MPRV_OFF
        CHECK_CAUSE(CAUSE_LOAD_PAGE_FAULT)
        CHECK_TVAL_REG(t1)
        li gp, 77                           /* MPRV does not affect M-mode fetch, nor M with MPP = M */
        li t0, MSTATUS_MPRV | MSTATUS_MPP
        csrs mstatus, t0
        la t1, mmu_pages
        ld a0, 0(t1)                        /* physical address, untranslated */
        MPRV_OFF
        CHECK(a0, MAGIC(0))
        li gp, 78                           /* MXR under MPRV */
        csrw satp, s5
        sfence.vma
        li t1, PAGE(11)
        li t0, MSTATUS_MXR
        csrs mstatus, t0
        MPRV_ON(PRV_S)
        ld a0, 0(t1)
        MPRV_OFF
        li t0, MSTATUS_MXR
        csrc mstatus, t0
        CHECK(a0, MAGIC(2))

/* ======== U mode, root_u ======== */
        SATP_SET(SV_MODE, root_u)
        ENTER_U
        TEST_CASE(79, a0, MAGIC(3), li t0, PAGE(12); ld a0, 0(t0))      /* U page */
        li t0, PAGE(0)
        TEST_TRAP_TVAL_REG(80, CAUSE_LOAD_PAGE_FAULT, TRAP_M_FROM_U, t0, ld a0, 0(t0))      /* S page from U */
        TEST_TRAP_TVAL_REG(81, CAUSE_STORE_PAGE_FAULT, TRAP_M_FROM_U, t0, sd a0, 0(t0))
        TEST_CASE(82, a0, 0x5a, li a0, 0; li t0, PAGE(13); jalr ra, 0(t0))                  /* U code */
        li gp, 83
        li t0, PAGE(10)                     /* S code from U */
        EXPECT_TRAP_RESUME(9f)
        jalr ra, 0(t0)
9:      CHECK_CAUSE(CAUSE_FETCH_PAGE_FAULT)
        CHECK_FROM(TRAP_M_FROM_U)
        CHECK_TVAL_REG(t0)
        li t0, NONCANON_VA
        TEST_TRAP_TVAL_REG(84, CAUSE_LOAD_PAGE_FAULT, TRAP_M_FROM_U, t0, ld a0, 0(t0))
        ECALL_TO_M
        csrw satp, zero
        sfence.vma
        TEST_CASE(85, a0, MAGIC(0), la t0, mmu_pages; ld a0, 0(t0))     /* back to Bare */

TEST_END

/* Executed through several mappings: must start its page. */
        .balign 4096
mmu_code:
        li a0, 0x5a
        ret
        .balign 4096

        .data
        .align 12
mmu_pages:
        .space 8 * 4096
mmu_straddle:                               /* a page whose last 2 bytes start a 32-bit instruction */
        .space 4094
        .half 0x0513                        /* low half of addi a0, zero, ... */

        .bss
        .align 12
root_s: .space 4096
root_u: .space 4096
