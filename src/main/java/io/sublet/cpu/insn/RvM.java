package io.sublet.cpu.insn;

/** Pure semantics of the M extension, including the spec's results for division by zero and overflow. */
public final class RvM {
    private RvM() { }

    public static long mulh(long a, long b) {
        return Math.multiplyHigh(a, b);
    }

    public static long mulhu(long a, long b) {
        // Unsigned high product from the signed one: each negative operand added the other one times 2^64.
        return Math.multiplyHigh(a, b) + ((a >> 63) & b) + ((b >> 63) & a);
    }

    public static long mulhsu(long a, long b) {
        return Math.multiplyHigh(a, b) + ((b >> 63) & a);
    }

    public static long div(long a, long b) {
        if (b == 0) {
            return -1;
        }
        if (a == Long.MIN_VALUE && b == -1) {
            return a;
        }
        return a / b;
    }

    public static long divu(long a, long b) {
        return b == 0 ? -1 : Long.divideUnsigned(a, b);
    }

    public static long rem(long a, long b) {
        if (b == 0) {
            return a;
        }
        if (a == Long.MIN_VALUE && b == -1) {
            return 0;
        }
        return a % b;
    }

    public static long remu(long a, long b) {
        return b == 0 ? a : Long.remainderUnsigned(a, b);
    }

    public static long mulw(long a, long b) {
        return (int) a * (int) b;
    }

    public static long divw(long a, long b) {
        final int x = (int) a;
        final int y = (int) b;
        if (y == 0) {
            return -1;
        }
        if (x == Integer.MIN_VALUE && y == -1) {
            return x;
        }
        return x / y;
    }

    public static long divuw(long a, long b) {
        final int y = (int) b;
        return y == 0 ? -1 : Integer.divideUnsigned((int) a, y);
    }

    public static long remw(long a, long b) {
        final int x = (int) a;
        final int y = (int) b;
        if (y == 0) {
            return x;
        }
        if (x == Integer.MIN_VALUE && y == -1) {
            return 0;
        }
        return x % y;
    }

    public static long remuw(long a, long b) {
        final int y = (int) b;
        return y == 0 ? (int) a : Integer.remainderUnsigned((int) a, y);
    }
}
