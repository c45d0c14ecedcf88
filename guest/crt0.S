/* Start-up for Sublet's bare-metal guest programs.
 * Entered in M mode at the ELF entry with every register 0.
 * Hart 0 sets up gp/sp, clears .bss, installs a trap handler and calls
 * main(); main's return value becomes the HTIF exit status.
 * Any other hart parks in a wfi loop. */

    .section .text.init, "ax", @progbits
    .globl _start
_start:
    csrr    t0, mhartid
    bnez    t0, park

    .option push
    .option norelax
    la      gp, __global_pointer$
    .option pop
    la      sp, __stack_top

    la      t0, __bss_start
    la      t1, __bss_end
1:  bgeu    t0, t1, 2f
    sd      zero, 0(t0)
    addi    t0, t0, 8
    j       1b
2:
    la      t0, trap_entry
    csrw    mtvec, t0

#ifdef __riscv_flen
    /* FP variants: turn the FPU on (mstatus.FS = Initial) and clear fcsr. */
    li      t0, (1 << 13)
    csrs    mstatus, t0
    csrw    fcsr, zero
#endif

    li      a0, 0
    li      a1, 0
    call    main
    call    exit            /* does not return */

park:
    wfi
    j       park

/* Unexpected trap: report mcause/mepc/mtval from C, exit with status 3. */
    .text
    .balign 4
trap_entry:
    la      sp, __stack_top
    csrr    a0, mcause
    csrr    a1, mepc
    csrr    a2, mtval
    call    guest_trap
1:  j       1b
