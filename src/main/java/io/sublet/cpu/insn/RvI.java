package io.sublet.cpu.insn;

/**
 * Pure semantics of the RV64I computational instructions. The interpreter calls these, and the
 * translator will emit calls to the same methods, so the two cannot disagree.
 */
public final class RvI {
    private RvI() { }

    public static long sll(long a, long b) {
        return a << (b & 63);
    }

    public static long srl(long a, long b) {
        return a >>> (b & 63);
    }

    public static long sra(long a, long b) {
        return a >> (b & 63);
    }

    public static long slt(long a, long b) {
        return a < b ? 1 : 0;
    }

    public static long sltu(long a, long b) {
        return Long.compareUnsigned(a, b) < 0 ? 1 : 0;
    }

    /** The W forms compute on the low 32 bits and sign-extend the 32-bit result. */
    public static long addw(long a, long b) {
        return (int) (a + b);
    }

    public static long subw(long a, long b) {
        return (int) (a - b);
    }

    public static long sllw(long a, long b) {
        return (int) a << (b & 31);
    }

    public static long srlw(long a, long b) {
        return (int) a >>> (b & 31);
    }

    public static long sraw(long a, long b) {
        return (int) a >> (b & 31);
    }

    public static boolean bltu(long a, long b) {
        return Long.compareUnsigned(a, b) < 0;
    }

    public static boolean bgeu(long a, long b) {
        return Long.compareUnsigned(a, b) >= 0;
    }
}
