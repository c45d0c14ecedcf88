package io.sublet.cpu;

/**
 * Everything about a hart that a snapshot keeps: registers, pc, privilege, every CSR, PMP, the LR
 * reservation, the software-pending interrupt bits and whether it sleeps in WFI. Derived state is not
 * part of it (TLBs, decoded instructions, the interrupt lines devices drive: the restored devices drive
 * them again). {@link Hart#restore} checks it as strictly as guest input: a value no guest could have
 * produced through the CSR rules is refused with its name.
 *
 * @param x            integer registers, 32 (x[0] is 0)
 * @param f            FP registers as raw bits, 32
 * @param pmpCfg       configuration byte of each of the {@value Pmp#ENTRIES} entries
 * @param pmpAddr      pmpaddr of each entry
 * @param reservation  RAM index reserved by LR, or -1
 * @param retiredTotal instructions retired since reset (deterministic time is derived from it)
 */
public record HartState(long[] x, long[] f, long pc, int priv, int fflags, int frm,
                        long mstatus, long medeleg, long mideleg, long mie, long mipSoftware,
                        long mtvec, long mepc, long mcause, long mtval, long mscratch,
                        int mcounteren, int scounteren, int mcountinhibit, long menvcfg, long senvcfg,
                        long stvec, long sepc, long scause, long stval, long sscratch, long satp,
                        long mcycle, long minstret, int[] pmpCfg, long[] pmpAddr,
                        long reservation, boolean waitingForInterrupt, long retiredTotal) {

    /** Throws IllegalArgumentException naming the first field no hart could hold. */
    void check(final long ramSize) {
        require(x.length == 32 && f.length == 32, "register files must hold 32 registers each");
        require(x[0] == 0, "x0 must be zero");
        require((pc & 1) == 0, "pc must be 2-byte aligned");
        require(priv == Priv.M || priv == Priv.S || priv == Priv.U, "privilege " + priv + " is not M, S or U");
        require((fflags & ~io.sublet.cpu.insn.FpFlags.ALL) == 0, "fflags has bits beyond the five flags");
        require(frm >= 0 && frm <= 7, "frm must be 0..7");
        final long legal = MStatus.M_WRITABLE | MStatus.SD | MStatus.XLEN_FIELDS;
        require((mstatus & ~legal) == 0 && (mstatus & MStatus.XLEN_FIELDS) == MStatus.XLEN_FIELDS,
                "mstatus has bits a guest cannot set");
        require(((mstatus >>> MStatus.MPP_SHIFT) & 3) != 2, "mstatus.MPP is 2, not a mode");
        require(((mstatus & MStatus.SD) != 0) == ((mstatus & MStatus.FS) == MStatus.FS),
                "mstatus.SD does not match FS");
        require((medeleg & ~Csrs.DELEGABLE_EXCEPTIONS) == 0, "medeleg delegates an exception that cannot be");
        require((mideleg & ~Csrs.S_INTERRUPTS) == 0, "mideleg delegates a machine interrupt");
        require((mie & ~Csrs.ALL_INTERRUPTS) == 0, "mie enables an interrupt that does not exist");
        require((mipSoftware & ~Csrs.MIP_WRITABLE) == 0, "software-pending bits outside SSIP, STIP, SEIP");
        require((mtvec & 3) < 2 && (stvec & 3) < 2, "a trap vector has a reserved mode");
        require((mepc & 1) == 0 && (sepc & 1) == 0, "an exception pc is odd");
        require((mcountinhibit & ~0b101) == 0, "mcountinhibit has bits beyond CY and IR");
        require((menvcfg & ~Csrs.ENVCFG_FIOM) == 0 && (senvcfg & ~Csrs.ENVCFG_FIOM) == 0, "envcfg has unknown bits");
        final long mode = satp >>> Csrs.SATP_MODE_SHIFT;
        require(mode == Csrs.SATP_BARE ? satp == 0
                : (mode == Csrs.SATP_SV39 || mode == Csrs.SATP_SV48 || mode == Csrs.SATP_SV57)
                        && (satp & ~((0xfL << Csrs.SATP_MODE_SHIFT) | Csrs.SATP_ASID_MASK | Csrs.SATP_PPN_MASK)) == 0,
                "satp holds an unsupported mode");
        require(pmpCfg.length == Pmp.ENTRIES && pmpAddr.length == Pmp.ENTRIES, "PMP must have " + Pmp.ENTRIES
                + " entries");
        for (int e = 0; e < Pmp.ENTRIES; e++) {
            final int c = pmpCfg[e];
            require((c & ~0x9f) == 0 && !((c & Pmp.W) != 0 && (c & Pmp.R) == 0), "pmpcfg of entry " + e + " is not legal");
            require((pmpAddr[e] & ~Pmp.ADDR_MASK) == 0, "pmpaddr of entry " + e + " is wider than 54 bits");
        }
        require(reservation == -1 || (reservation >= 0 && reservation < ramSize), "the LR reservation is outside RAM");
        require(retiredTotal >= 0, "retired instruction count is negative");
    }

    private static void require(final boolean ok, final String problem) {
        if (!ok) {
            throw new IllegalArgumentException("hart state: " + problem);
        }
    }
}
