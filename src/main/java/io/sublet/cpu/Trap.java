package io.sublet.cpu;

/**
 * A synchronous exception raised while executing an instruction. Each hart owns one instance and
 * re-arms it with {@link #raise}; it has no stack trace, so raising a guest trap allocates nothing
 * and costs little more than a jump to the interpreter's handler.
 */
public final class Trap extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private long cause;
    private long tval;

    Trap() {
        super(null, null, false, false);
    }

    public Trap raise(long cause, long tval) {
        this.cause = cause;
        this.tval = tval;
        return this;
    }

    public long cause() {
        return cause;
    }

    public long tval() {
        return tval;
    }

    @Override
    public String getMessage() {
        return Cause.name(cause) + " (tval 0x" + Long.toHexString(tval) + ")";
    }
}
