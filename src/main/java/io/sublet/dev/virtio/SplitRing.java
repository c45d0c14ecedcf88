package io.sublet.dev.virtio;

/**
 * Layout of a split virtqueue in guest memory (virtio 1.2 §2.7): the descriptor table, the available
 * ring (driver area) and the used ring (device area). All fields are little-endian. The device reads
 * the first two and writes only the used ring.
 *
 * <pre>
 *  Descriptor table, 16-byte aligned, queue size entries (an indirect table has the same entries)
 *   0                   8           12      14      16
 *   +-------------------+-----------+-------+-------+
 *   | addr (le64)       | len (le32)| flags | next  |      flags: 1 NEXT, 2 WRITE (device writes it),
 *   +-------------------+-----------+-------+-------+             4 INDIRECT (addr/len is a table)
 *
 *  Available ring, 2-byte aligned, 6 + 2 * size bytes
 *   0       2       4                              4 + 2*size
 *   +-------+-------+-------+-------+-- ... --+-------+------------+
 *   | flags |  idx  |ring[0]|ring[1]|         |  ...  | used_event |    flags: 1 NO_INTERRUPT
 *   +-------+-------+-------+-------+-- ... --+-------+------------+
 *
 *  Used ring, 4-byte aligned, 6 + 8 * size bytes
 *   0       2       4                 12                      4 + 8*size
 *   +-------+-------+--------+--------+-- ... --+-------------+
 *   | flags |  idx  | id     | len    |         | avail_event |         flags: 1 NO_NOTIFY
 *   +-------+-------+--------+--------+-- ... --+-------------+
 *                    ring[0] (le32, le32) ...
 * </pre>
 *
 * {@code idx} fields are free-running 16-bit counters; entry {@code i} lives in slot {@code i % size}.
 * The event fields exist in memory whatever the features; they mean something only with EVENT_IDX.
 */
public final class SplitRing {
    public static final int DESC_SIZE = 16;
    public static final int DESC_ADDR = 0;
    public static final int DESC_LEN = 8;
    public static final int DESC_FLAGS = 12;
    public static final int DESC_NEXT = 14;
    public static final int DESC_F_NEXT = 1;
    public static final int DESC_F_WRITE = 2;
    public static final int DESC_F_INDIRECT = 4;

    public static final int AVAIL_FLAGS = 0;
    public static final int AVAIL_IDX = 2;
    public static final int AVAIL_RING = 4;
    public static final int AVAIL_F_NO_INTERRUPT = 1;

    public static final int USED_FLAGS = 0;
    public static final int USED_IDX = 2;
    public static final int USED_RING = 4;
    public static final int USED_ELEM_SIZE = 8;
    public static final int USED_ELEM_ID = 0;
    public static final int USED_ELEM_LEN = 4;
    public static final int USED_F_NO_NOTIFY = 1;

    public static final int DESC_ALIGN = 16;
    public static final int AVAIL_ALIGN = 2;
    public static final int USED_ALIGN = 4;

    private SplitRing() {
    }

    public static long descTableSize(final int size) {
        return (long) DESC_SIZE * size;
    }

    public static long availSize(final int size) {
        return 6L + 2L * size;
    }

    public static long usedSize(final int size) {
        return 6L + (long) USED_ELEM_SIZE * size;
    }

    /** Offset of {@code used_event} in the available ring. */
    public static int usedEventOffset(final int size) {
        return AVAIL_RING + 2 * size;
    }

    /** Offset of {@code avail_event} in the used ring. */
    public static int availEventOffset(final int size) {
        return USED_RING + USED_ELEM_SIZE * size;
    }

    /**
     * True when an index moving from {@code oldIdx} to {@code newIdx} passes the event index
     * {@code event}, all modulo 2^16: the test both sides of EVENT_IDX use to decide on a notification.
     */
    public static boolean needEvent(final int event, final int newIdx, final int oldIdx) {
        return ((newIdx - event - 1) & 0xffff) < ((newIdx - oldIdx) & 0xffff);
    }
}
