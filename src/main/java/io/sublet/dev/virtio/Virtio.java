package io.sublet.dev.virtio;

/**
 * Numbers shared by every virtio device and transport (OASIS virtio 1.2): device ids, device status
 * bits, reserved (transport) feature bits and the interrupt status bits of virtio-mmio.
 *
 * <pre>
 *  device status (one byte)           bit  set by
 *    ACKNOWLEDGE   guest found the device     0   driver
 *    DRIVER        guest knows how to drive   1   driver
 *    DRIVER_OK     driver is ready            2   driver
 *    FEATURES_OK   features negotiated        3   driver, kept only if the device accepts the features
 *    NEEDS_RESET   device hit an error        6   device; only a reset (status 0) clears it
 *    FAILED        driver gave up             7   driver
 *
 *  feature bits 0..23, 41, 42, 50..: device type; 24..40, 43: transport and rings
 *    28 INDIRECT_DESC   29 EVENT_IDX   32 VERSION_1   34 RING_PACKED   35 IN_ORDER   38 NOTIFICATION_DATA
 *    40 RING_RESET
 * </pre>
 */
public final class Virtio {
    public static final int ID_NONE = 0;
    public static final int ID_NET = 1;
    public static final int ID_BLOCK = 2;
    public static final int ID_CONSOLE = 3;
    public static final int ID_ENTROPY = 4;

    public static final int STATUS_ACKNOWLEDGE = 1;
    public static final int STATUS_DRIVER = 2;
    public static final int STATUS_DRIVER_OK = 4;
    public static final int STATUS_FEATURES_OK = 8;
    public static final int STATUS_NEEDS_RESET = 0x40;
    public static final int STATUS_FAILED = 0x80;

    public static final long F_INDIRECT_DESC = 1L << 28;
    public static final long F_EVENT_IDX = 1L << 29;
    public static final long F_VERSION_1 = 1L << 32;
    public static final long F_ACCESS_PLATFORM = 1L << 33;
    public static final long F_RING_PACKED = 1L << 34;
    public static final long F_IN_ORDER = 1L << 35;
    public static final long F_NOTIFICATION_DATA = 1L << 38;
    public static final long F_RING_RESET = 1L << 40;

    /** InterruptStatus bit: a buffer was used in at least one virtqueue. */
    public static final int INT_USED_BUFFER = 1;
    /** InterruptStatus bit: the configuration space changed (or the device needs a reset). */
    public static final int INT_CONFIG_CHANGE = 2;

    /** The largest queue size the split ring allows. */
    public static final int MAX_QUEUE_SIZE = 32768;

    private Virtio() {
    }
}
