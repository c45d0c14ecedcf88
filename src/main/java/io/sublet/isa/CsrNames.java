package io.sublet.isa;

/**
 * Names of the standard CSRs, for the disassembler: the unprivileged counters and FP/vector CSRs, and the
 * supervisor, hypervisor, machine and debug CSRs of the privileged spec (version 1.12 plus the ratified
 * Sstc, Sscofpmf, Smstateen, Smepmp and AIA extensions). Knowing a name says nothing about whether Sublet
 * implements the CSR; that is {@code cpu}'s business.
 */
public final class CsrNames {
    private static final String[] NAMES = new String[4096];

    static {
        name(0x001, "fflags");
        name(0x002, "frm");
        name(0x003, "fcsr");
        name(0x008, "vstart");
        name(0x009, "vxsat");
        name(0x00A, "vxrm");
        name(0x00F, "vcsr");
        name(0x015, "seed");
        name(0xC00, "cycle");
        name(0xC01, "time");
        name(0xC02, "instret");
        series(0xC03, "hpmcounter", 3, 31, "");
        name(0xC20, "vl");
        name(0xC21, "vtype");
        name(0xC22, "vlenb");
        name(0xC80, "cycleh");
        name(0xC81, "timeh");
        name(0xC82, "instreth");
        series(0xC83, "hpmcounter", 3, 31, "h");

        name(0x100, "sstatus");
        name(0x104, "sie");
        name(0x105, "stvec");
        name(0x106, "scounteren");
        name(0x10A, "senvcfg");
        series(0x10C, "sstateen", 0, 3, "");
        name(0x114, "sieh");
        name(0x140, "sscratch");
        name(0x141, "sepc");
        name(0x142, "scause");
        name(0x143, "stval");
        name(0x144, "sip");
        name(0x14D, "stimecmp");
        name(0x150, "siselect");
        name(0x151, "sireg");
        name(0x154, "siph");
        name(0x15C, "stopei");
        name(0x15D, "stimecmph");
        name(0x180, "satp");
        name(0x5A8, "scontext");
        name(0xDA0, "scountovf");
        name(0xDB0, "stopi");

        name(0x200, "vsstatus");
        name(0x204, "vsie");
        name(0x205, "vstvec");
        name(0x214, "vsieh");
        name(0x240, "vsscratch");
        name(0x241, "vsepc");
        name(0x242, "vscause");
        name(0x243, "vstval");
        name(0x244, "vsip");
        name(0x24D, "vstimecmp");
        name(0x250, "vsiselect");
        name(0x251, "vsireg");
        name(0x254, "vsiph");
        name(0x25C, "vstopei");
        name(0x25D, "vstimecmph");
        name(0x280, "vsatp");
        name(0x600, "hstatus");
        name(0x602, "hedeleg");
        name(0x603, "hideleg");
        name(0x604, "hie");
        name(0x605, "htimedelta");
        name(0x606, "hcounteren");
        name(0x607, "hgeie");
        name(0x608, "hvien");
        name(0x609, "hvictl");
        name(0x60A, "henvcfg");
        series(0x60C, "hstateen", 0, 3, "");
        name(0x613, "hidelegh");
        name(0x615, "htimedeltah");
        name(0x618, "hvienh");
        name(0x61A, "henvcfgh");
        series(0x61C, "hstateen", 0, 3, "h");
        name(0x643, "htval");
        name(0x644, "hip");
        name(0x645, "hvip");
        name(0x646, "hviprio1");
        name(0x647, "hviprio2");
        name(0x64A, "htinst");
        name(0x655, "hviph");
        name(0x656, "hviprio1h");
        name(0x657, "hviprio2h");
        name(0x680, "hgatp");
        name(0x6A8, "hcontext");
        name(0xE12, "hgeip");
        name(0xEB0, "vstopi");

        name(0xF11, "mvendorid");
        name(0xF12, "marchid");
        name(0xF13, "mimpid");
        name(0xF14, "mhartid");
        name(0xF15, "mconfigptr");
        name(0x300, "mstatus");
        name(0x301, "misa");
        name(0x302, "medeleg");
        name(0x303, "mideleg");
        name(0x304, "mie");
        name(0x305, "mtvec");
        name(0x306, "mcounteren");
        name(0x308, "mvien");
        name(0x309, "mvip");
        name(0x30A, "menvcfg");
        series(0x30C, "mstateen", 0, 3, "");
        name(0x310, "mstatush");
        name(0x313, "midelegh");
        name(0x314, "mieh");
        name(0x318, "mvienh");
        name(0x319, "mviph");
        name(0x31A, "menvcfgh");
        series(0x31C, "mstateen", 0, 3, "h");
        name(0x320, "mcountinhibit");
        series(0x323, "mhpmevent", 3, 31, "");
        name(0x340, "mscratch");
        name(0x341, "mepc");
        name(0x342, "mcause");
        name(0x343, "mtval");
        name(0x344, "mip");
        name(0x34A, "mtinst");
        name(0x34B, "mtval2");
        name(0x350, "miselect");
        name(0x351, "mireg");
        name(0x354, "miph");
        name(0x35C, "mtopei");
        series(0x3A0, "pmpcfg", 0, 15, "");
        series(0x3B0, "pmpaddr", 0, 63, "");
        series(0x723, "mhpmevent", 3, 31, "h");
        name(0x747, "mseccfg");
        name(0x757, "mseccfgh");
        name(0x7A0, "tselect");
        name(0x7A1, "tdata1");
        name(0x7A2, "tdata2");
        name(0x7A3, "tdata3");
        name(0x7A4, "tinfo");
        name(0x7A5, "tcontrol");
        name(0x7A8, "mcontext");
        name(0x7AA, "mscontext");
        name(0x7B0, "dcsr");
        name(0x7B1, "dpc");
        name(0x7B2, "dscratch0");
        name(0x7B3, "dscratch1");
        name(0xB00, "mcycle");
        name(0xB02, "minstret");
        series(0xB03, "mhpmcounter", 3, 31, "");
        name(0xB80, "mcycleh");
        name(0xB82, "minstreth");
        series(0xB83, "mhpmcounter", 3, 31, "h");
        name(0xFB0, "mtopi");
    }

    private CsrNames() {
    }

    /** The standard name of CSR {@code csr} (0..4095), or {@code null} if it has none. */
    public static String name(final int csr) {
        return NAMES[csr & 0xFFF];
    }

    /** The name, or the number as {@code 0x...} hex when it has none (GNU objdump's spelling). */
    public static String format(final int csr) {
        final String name = NAMES[csr & 0xFFF];
        return name != null ? name : "0x" + Integer.toHexString(csr & 0xFFF);
    }

    private static void name(final int csr, final String name) {
        if (NAMES[csr] != null) {
            throw new IllegalStateException("CSR 0x" + Integer.toHexString(csr) + " named twice");
        }
        NAMES[csr] = name;
    }

    private static void series(final int first, final String prefix, final int from, final int to,
                               final String suffix) {
        for (int i = from; i <= to; i++) {
            name(first + i - from, prefix + i + suffix);
        }
    }
}
