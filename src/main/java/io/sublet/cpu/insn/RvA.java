package io.sublet.cpu.insn;

/** The combining functions of the AMOs: new memory value from the old one and the register operand. */
public final class RvA {
    private RvA() { }

    public static long minu(long a, long b) {
        return Long.compareUnsigned(a, b) <= 0 ? a : b;
    }

    public static long maxu(long a, long b) {
        return Long.compareUnsigned(a, b) >= 0 ? a : b;
    }

    public static int minuw(int a, int b) {
        return Integer.compareUnsigned(a, b) <= 0 ? a : b;
    }

    public static int maxuw(int a, int b) {
        return Integer.compareUnsigned(a, b) >= 0 ? a : b;
    }
}
