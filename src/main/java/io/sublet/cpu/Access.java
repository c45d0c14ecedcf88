package io.sublet.cpu;

/** Kinds of memory access, with the exception each one raises. */
final class Access {
    static final int FETCH = 0;
    static final int LOAD = 1;
    static final int STORE = 2;

    private static final int[] PAGE_FAULT = {Cause.FETCH_PAGE_FAULT, Cause.LOAD_PAGE_FAULT, Cause.STORE_PAGE_FAULT};
    private static final int[] ACCESS_FAULT = {Cause.FETCH_ACCESS, Cause.LOAD_ACCESS, Cause.STORE_ACCESS};
    private static final int[] PMP_PERM = {Pmp.X, Pmp.R, Pmp.W};

    private Access() { }

    static int pageFault(int access) {
        return PAGE_FAULT[access];
    }

    static int accessFault(int access) {
        return ACCESS_FAULT[access];
    }

    static int pmpPerm(int access) {
        return PMP_PERM[access];
    }
}
