package io.sublet.dev.virtio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * virtio-blk (device id 2, virtio 1.2 §5.2): one request queue over a {@link BlockBackend}.
 *
 * <pre>
 *  request: readable  | type le32 | reserved le32 | sector le64 | data (OUT, DISCARD, WRITE_ZEROES) |
 *           writable  | data (IN, GET_ID) | status u8 |
 *  discard / write-zeroes segment (16 bytes): sector le64 | num_sectors le32 | flags le32 (bit 0 unmap)
 *
 *  configuration space (offset: field)
 *   0 capacity le64 (512-byte sectors)    8 size_max le32 (0, not offered)   12 seg_max le32
 *  16 geometry (0, not offered)          20 blk_size le32 = 512              24 topology (0, not offered)
 *  32 writeback u8 (0)                   34 num_queues le16 (0, no MQ)
 *  36 max_discard_sectors le32           40 max_discard_seg le32             44 discard_sector_alignment le32
 *  48 max_write_zeroes_sectors le32      52 max_write_zeroes_seg le32        56 write_zeroes_may_unmap u8 = 1
 * </pre>
 *
 * Features: SEG_MAX (queue size - 2, so a whole request always fits one chain), BLK_SIZE, FLUSH, and
 * either RO (read-only backend) or DISCARD and WRITE_ZEROES. Status per request:
 * <ul>
 * <li>OUT, DISCARD and WRITE_ZEROES on a read-only device: IOERR, nothing written (§5.2.6.2).
 * <li>DISCARD and WRITE_ZEROES not negotiated, GET_LIFETIME, SECURE_ERASE, unknown types, unknown segment
 *     flags, and the unmap flag on DISCARD: UNSUPP.
 * <li>A missing or short header, data not a multiple of 512 bytes (IN, OUT) or of 16 (segments), more
 *     segments or sectors than the configuration allows, any sector beyond capacity, an IOException or
 *     other failure from the backend: IOERR.
 * </ul>
 * A request without a writable byte for its status cannot be answered; that alone puts the device
 * into NEEDS_RESET. FLUSH calls {@link BlockBackend#flush()} (on a read-only disk there is nothing to make
 * durable, and it succeeds at once); when the driver did not accept FLUSH,
 * every write is flushed before it completes (write-through, as §5.2.6.2 requires of a device that
 * offered FLUSH). Each request is read from the guest once (header and segments copied before use), so a
 * guest changing them meanwhile cannot get a range past the checks to the backend. The used length is
 * the run of bytes written from the start of the writable area (data, then the status byte when it
 * directly follows).
 */
public final class VirtioBlk extends VirtioDevice {
    public static final int QUEUE_SIZE = 256;
    public static final int SECTOR_SIZE = 512;
    public static final int ID_BYTES = 20;

    public static final long F_SIZE_MAX = 1L << 1;
    public static final long F_SEG_MAX = 1L << 2;
    public static final long F_GEOMETRY = 1L << 4;
    public static final long F_RO = 1L << 5;
    public static final long F_BLK_SIZE = 1L << 6;
    public static final long F_FLUSH = 1L << 9;
    public static final long F_TOPOLOGY = 1L << 10;
    public static final long F_CONFIG_WCE = 1L << 11;
    public static final long F_MQ = 1L << 12;
    public static final long F_DISCARD = 1L << 13;
    public static final long F_WRITE_ZEROES = 1L << 14;

    public static final int T_IN = 0;
    public static final int T_OUT = 1;
    public static final int T_FLUSH = 4;
    public static final int T_GET_ID = 8;
    public static final int T_GET_LIFETIME = 10;
    public static final int T_DISCARD = 11;
    public static final int T_WRITE_ZEROES = 13;
    public static final int T_SECURE_ERASE = 14;

    public static final int S_OK = 0;
    public static final int S_IOERR = 1;
    public static final int S_UNSUPP = 2;

    public static final int HEADER_SIZE = 16;
    public static final int SEGMENT_SIZE = 16;
    public static final int SEGMENT_F_UNMAP = 1;

    public static final int CONFIG_CAPACITY = 0;
    public static final int CONFIG_SEG_MAX = 12;
    public static final int CONFIG_BLK_SIZE = 20;
    public static final int CONFIG_MAX_DISCARD_SECTORS = 36;
    public static final int CONFIG_MAX_DISCARD_SEG = 40;
    public static final int CONFIG_DISCARD_SECTOR_ALIGNMENT = 44;
    public static final int CONFIG_MAX_WRITE_ZEROES_SECTORS = 48;
    public static final int CONFIG_MAX_WRITE_ZEROES_SEG = 52;
    public static final int CONFIG_WRITE_ZEROES_MAY_UNMAP = 56;
    public static final int CONFIG_SIZE = 60;

    /** Largest discard, in sectors (2 GiB): punching a hole costs little whatever its size. */
    public static final int MAX_DISCARD_SECTORS = 1 << 22;
    /** Largest write-zeroes, in sectors (32 MiB): without unmap it is real writing on the hart's thread. */
    public static final int MAX_WRITE_ZEROES_SECTORS = 1 << 16;
    public static final int MAX_SEGMENTS = 32;
    /** Discard granularity advertised, in sectors: 4 KiB, the host's hole-punching unit. */
    public static final int DISCARD_ALIGNMENT_SECTORS = 8;

    /** Replaced only with the guest paused ({@link #replaceBackend}); read under the transport's lock. */
    private BlockBackend backend;
    private final boolean readOnly;
    private final long capacity;
    private final byte[] id;

    // Per-request scratch, reused.
    private final long[] segSector = new long[MAX_SEGMENTS];
    private final long[] segCount = new long[MAX_SEGMENTS];
    private final boolean[] segUnmap = new boolean[MAX_SEGMENTS];
    private final byte[] segBytes = new byte[SEGMENT_SIZE];
    private final ByteBuffer segView = ByteBuffer.wrap(segBytes).order(ByteOrder.LITTLE_ENDIAN);
    private final ReadInto readInto = new ReadInto();
    private final WriteFrom writeFrom = new WriteFrom();
    private long flushes;

    public VirtioBlk(final BlockBackend backend) {
        super(Virtio.ID_BLOCK, new int[] {QUEUE_SIZE}, CONFIG_SIZE);
        this.backend = backend;
        this.readOnly = backend.readOnly();
        this.capacity = backend.size() / SECTOR_SIZE;
        this.id = idBytes(backend);
        config.putLong(CONFIG_CAPACITY, capacity);
        config.putInt(CONFIG_SEG_MAX, QUEUE_SIZE - 2);
        config.putInt(CONFIG_BLK_SIZE, SECTOR_SIZE);
        if (!readOnly) {
            config.putInt(CONFIG_MAX_DISCARD_SECTORS, MAX_DISCARD_SECTORS);
            config.putInt(CONFIG_MAX_DISCARD_SEG, MAX_SEGMENTS);
            config.putInt(CONFIG_DISCARD_SECTOR_ALIGNMENT, DISCARD_ALIGNMENT_SECTORS);
            config.putInt(CONFIG_MAX_WRITE_ZEROES_SECTORS, MAX_WRITE_ZEROES_SECTORS);
            config.putInt(CONFIG_MAX_WRITE_ZEROES_SEG, MAX_SEGMENTS);
            config.put(CONFIG_WRITE_ZEROES_MAY_UNMAP, (byte) 1);
        }
    }

    private static byte[] idBytes(final BlockBackend backend) {
        final byte[] ascii = String.valueOf(backend.id()).getBytes(StandardCharsets.US_ASCII);
        final byte[] padded = new byte[ID_BYTES];
        System.arraycopy(ascii, 0, padded, 0, Math.min(ascii.length, ID_BYTES));
        return padded;
    }

    public BlockBackend backend() {
        synchronized (lock()) {
            return backend;
        }
    }

    /**
     * Puts another backend with the same contents, size and read-only-ness behind the device, such as a
     * copy-on-write overlay over the old one when a running machine is cloned; the guest sees no change
     * (the serial number stays). Call it with the guest paused.
     */
    public void replaceBackend(final BlockBackend next) {
        if (next.size() != capacity * SECTOR_SIZE || next.readOnly() != readOnly) {
            throw new IllegalArgumentException("a replacement disk must have the same size and read-only setting");
        }
        synchronized (lock()) {
            backend = next;
        }
    }

    /** Capacity in 512-byte sectors. */
    public long capacity() {
        return capacity;
    }

    /** FLUSH requests and write-through flushes that reached the backend. */
    public long flushes() {
        synchronized (lock()) {
            return flushes;
        }
    }

    @Override
    protected long deviceFeatures() {
        final long common = F_SEG_MAX | F_BLK_SIZE | F_FLUSH;
        return readOnly ? common | F_RO : common | F_DISCARD | F_WRITE_ZEROES;
    }

    @Override
    protected void onNotify(final int queue) {
        final Virtqueue q = queue(queue);
        while (q.pop()) {
            final int used = handle(q.chain());
            if (used < 0) {
                return; // unanswerable: the device needs a reset
            }
            q.push(used);
        }
    }

    /** Handles one request; returns the used length, or -1 after failing the device. */
    private int handle(final DescriptorChain c) {
        countRequest();
        final long writable = c.writableLength();
        if (writable < 1) {
            fail("virtio-blk request without a writable status byte");
            return -1;
        }
        final long statusAt = writable - 1;
        if (c.readableLength() < HEADER_SIZE) {
            return finish(c, statusAt, S_IOERR, 0);
        }
        final int type = c.readInt(0);
        final long sector = c.readLong(8);
        try {
            switch (type) {
                case T_IN:
                    return read(c, sector, statusAt);
                case T_OUT:
                    return write(c, sector, statusAt);
                case T_FLUSH:
                    if (!readOnly) {
                        backend.flush();
                        flushes++;
                    }
                    return finish(c, statusAt, S_OK, 0);
                case T_GET_ID:
                    return getId(c, statusAt);
                case T_DISCARD:
                    return discardOrZero(c, statusAt, false);
                case T_WRITE_ZEROES:
                    return discardOrZero(c, statusAt, true);
                default:
                    return finish(c, statusAt, S_UNSUPP, 0);
            }
        } catch (GuestMemory.OutOfRange e) {
            throw e; // not the backend's failure: the transport fails the device
        } catch (IOException | RuntimeException e) {
            return finish(c, statusAt, S_IOERR, 0); // the backend failed this request, not the VMM
        }
    }

    private int getId(final DescriptorChain c, final long statusAt) {
        final int n = c.write(0, id, 0, (int) Math.min(ID_BYTES, statusAt));
        countToGuest(n);
        return finish(c, statusAt, S_OK, n);
    }

    private int read(final DescriptorChain c, final long sector, final long statusAt) throws IOException {
        final long length = statusAt;
        if (length % SECTOR_SIZE != 0 || !inRange(sector, length / SECTOR_SIZE)) {
            return finish(c, statusAt, S_IOERR, 0);
        }
        readInto.position = sector * SECTOR_SIZE;
        c.forEachWritable(0, length, readInto);
        countToGuest(length);
        return finish(c, statusAt, S_OK, length);
    }

    private int write(final DescriptorChain c, final long sector, final long statusAt) throws IOException {
        final long length = c.readableLength() - HEADER_SIZE;
        if (readOnly || length % SECTOR_SIZE != 0 || !inRange(sector, length / SECTOR_SIZE)) {
            return finish(c, statusAt, S_IOERR, 0);
        }
        writeFrom.position = sector * SECTOR_SIZE;
        c.forEachReadable(HEADER_SIZE, length, writeFrom);
        countFromGuest(length);
        writeThrough();
        return finish(c, statusAt, S_OK, 0);
    }

    private int discardOrZero(final DescriptorChain c, final long statusAt, final boolean zero) throws IOException {
        if (readOnly) {
            return finish(c, statusAt, S_IOERR, 0);
        }
        if (!negotiated(zero ? F_WRITE_ZEROES : F_DISCARD)) {
            return finish(c, statusAt, S_UNSUPP, 0);
        }
        final long length = c.readableLength() - HEADER_SIZE;
        if (length <= 0 || length % SEGMENT_SIZE != 0 || length / SEGMENT_SIZE > MAX_SEGMENTS) {
            return finish(c, statusAt, S_IOERR, 0);
        }
        final int segments = (int) (length / SEGMENT_SIZE);
        final long maxSectors = zero ? MAX_WRITE_ZEROES_SECTORS : MAX_DISCARD_SECTORS;
        boolean unsupported = false;
        boolean outOfRange = false;
        for (int i = 0; i < segments; i++) {
            c.read(HEADER_SIZE + (long) i * SEGMENT_SIZE, segBytes, 0, SEGMENT_SIZE);
            final ByteBuffer seg = segView;
            segSector[i] = seg.getLong(0);
            segCount[i] = seg.getInt(8) & 0xffff_ffffL;
            final int flags = seg.getInt(12);
            segUnmap[i] = (flags & SEGMENT_F_UNMAP) != 0;
            unsupported |= (flags & ~SEGMENT_F_UNMAP) != 0 || (!zero && segUnmap[i]);
            outOfRange |= segCount[i] > maxSectors || !inRange(segSector[i], segCount[i]);
        }
        if (unsupported) {
            return finish(c, statusAt, S_UNSUPP, 0);
        }
        if (outOfRange) {
            return finish(c, statusAt, S_IOERR, 0);
        }
        for (int i = 0; i < segments; i++) {
            if (segCount[i] == 0) {
                continue;
            }
            final long offset = segSector[i] * SECTOR_SIZE;
            final long bytes = segCount[i] * SECTOR_SIZE;
            if (zero) {
                backend.writeZeroes(offset, bytes, segUnmap[i]);
            } else {
                backend.discard(offset, bytes);
            }
        }
        writeThrough();
        return finish(c, statusAt, S_OK, 0);
    }

    /** Without a negotiated FLUSH, a completed write must already be stable (§5.2.6.2, case 1). */
    private void writeThrough() throws IOException {
        if (!negotiated(F_FLUSH)) {
            backend.flush();
            flushes++;
        }
    }

    /** {@code [sector, sector + count)} lies within the disk; sector is an unsigned guest value. */
    private boolean inRange(final long sector, final long count) {
        return sector >= 0 && count >= 0 && count <= capacity && sector <= capacity - count;
    }

    /**
     * Writes the status byte and returns the used length: the {@code prefix} bytes written from the start
     * of the writable area, plus the status byte when it directly follows them.
     */
    private int finish(final DescriptorChain c, final long statusAt, final int status, final long prefix) {
        c.writeByte(statusAt, status);
        if (status != S_OK) {
            countError();
        }
        final long used = prefix == statusAt ? prefix + 1 : prefix;
        return (int) Math.min(used, 0xffff_ffffL);
    }

    /** Backend reads into the guest's buffer, one window at a time. */
    private final class ReadInto implements DescriptorChain.Window {
        long position;

        @Override
        public void accept(final ByteBuffer window) throws IOException {
            final int n = window.remaining();
            backend.read(position, window);
            position += n;
        }
    }

    /** Backend writes from the guest's buffer, one window at a time. */
    private final class WriteFrom implements DescriptorChain.Window {
        long position;

        @Override
        public void accept(final ByteBuffer window) throws IOException {
            final int n = window.remaining();
            backend.write(position, window);
            position += n;
        }
    }
}
