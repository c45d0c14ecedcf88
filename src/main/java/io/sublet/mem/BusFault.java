package io.sublet.mem;

/**
 * Raised by the bus when no region answers a physical address, or a device refuses an access. The
 * hart turns it into the guest's access-fault exception; it carries no data (the hart knows the
 * address) and no stack trace, so throwing it costs little and allocates nothing.
 */
public final class BusFault extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public static final BusFault INSTANCE = new BusFault();

    private BusFault() {
        super("no device or memory at this physical address", null, false, false);
    }
}
