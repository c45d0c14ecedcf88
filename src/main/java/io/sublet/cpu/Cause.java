package io.sublet.cpu;

/** mcause/scause values: exception codes, and interrupt codes with {@link #INTERRUPT} set. */
public final class Cause {
    public static final long INTERRUPT = 1L << 63;

    public static final int FETCH_MISALIGNED = 0;
    public static final int FETCH_ACCESS = 1;
    public static final int ILLEGAL_INSTRUCTION = 2;
    public static final int BREAKPOINT = 3;
    public static final int LOAD_MISALIGNED = 4;
    public static final int LOAD_ACCESS = 5;
    public static final int STORE_MISALIGNED = 6;
    public static final int STORE_ACCESS = 7;
    public static final int ECALL_U = 8;
    public static final int ECALL_S = 9;
    public static final int ECALL_M = 11;
    public static final int FETCH_PAGE_FAULT = 12;
    public static final int LOAD_PAGE_FAULT = 13;
    public static final int STORE_PAGE_FAULT = 15;

    /** Interrupt numbers, which are also their bit positions in mip and mie. */
    public static final int SSI = 1;
    public static final int MSI = 3;
    public static final int STI = 5;
    public static final int MTI = 7;
    public static final int SEI = 9;
    public static final int MEI = 11;

    private static final String[] EXCEPTIONS = {
        "instruction address misaligned", "instruction access fault", "illegal instruction", "breakpoint",
        "load address misaligned", "load access fault", "store/AMO address misaligned", "store/AMO access fault",
        "environment call from U-mode", "environment call from S-mode", "reserved (10)",
        "environment call from M-mode", "instruction page fault", "load page fault", "reserved (14)",
        "store/AMO page fault",
    };

    private Cause() { }

    public static String name(long cause) {
        final int code = (int) (cause & 63);
        if (cause < 0) {
            switch (code) {
                case SSI: return "supervisor software interrupt";
                case MSI: return "machine software interrupt";
                case STI: return "supervisor timer interrupt";
                case MTI: return "machine timer interrupt";
                case SEI: return "supervisor external interrupt";
                case MEI: return "machine external interrupt";
                default: return "interrupt " + code;
            }
        }
        return cause < EXCEPTIONS.length ? EXCEPTIONS[(int) cause] : "exception " + cause;
    }
}
