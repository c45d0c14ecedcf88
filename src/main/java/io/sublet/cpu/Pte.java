package io.sublet.cpu;

/**
 * Page-table entry bits, identical for Sv39, Sv48 and Sv57:
 * <pre>
 *  63..54    53..10   9..8  7 6 5 4 3 2 1 0
 * +--------+--------+-----+-+-+-+-+-+-+-+-+
 * |reserved|  PPN   | RSW |D|A|G|U|X|W|R|V|
 * +--------+--------+-----+-+-+-+-+-+-+-+-+
 * </pre>
 * Bits 63..54 hold N (Svnapot) and PBMT (Svpbmt), which this hart does not implement, so any of
 * them set makes the walk raise a page fault.
 */
final class Pte {
    static final long V = 1;
    static final long R = 1 << 1;
    static final long W = 1 << 2;
    static final long X = 1 << 3;
    static final long U = 1 << 4;
    static final long G = 1 << 5;
    static final long A = 1 << 6;
    static final long D = 1 << 7;
    static final int PPN_SHIFT = 10;
    static final long PPN_MASK = (1L << 44) - 1;
    static final long RESERVED_HIGH = -1L << 54;

    private Pte() { }

    static long ppn(long pte) {
        return (pte >>> PPN_SHIFT) & PPN_MASK;
    }
}
