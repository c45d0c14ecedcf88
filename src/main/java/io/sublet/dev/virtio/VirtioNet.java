package io.sublet.dev.virtio;

import io.sublet.net.Ethernet;
import io.sublet.net.FrameQueue;
import io.sublet.net.NetBackend;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * virtio-net (device id 1, virtio 1.2 §5.1): one receive and one transmit queue between the guest and
 * a {@link NetBackend}, with the MAC address and link status in configuration space and mergeable
 * receive buffers.
 *
 * <pre>
 *  every buffer starts with struct virtio_net_hdr (12 bytes with VERSION_1)
 *   0 flags u8   1 gso_type u8   2 hdr_len le16   4 gso_size le16   6 csum_start le16   8 csum_offset le16
 *  10 num_buffers le16 (receive: how many buffers this frame spans; 1 without MRG_RXBUF)
 *
 *  configuration space
 *   0 mac[6]   6 status le16 (bit 0 LINK_UP)   8 max_virtqueue_pairs le16 (1; MQ is not offered)
 * </pre>
 *
 * Features: MAC, STATUS, MRG_RXBUF. No checksum or segmentation offloads: passt's 65,520-byte MTU
 * already lets the guest send and receive 64 KiB frames, which is what TSO would buy, and the guest's
 * checksum loop costs little next to its per-frame work; so every frame is a plain Ethernet frame with a
 * zero header, which the stream backends want anyway.
 *
 * <p>Receive: frames the backend queued are copied into the guest's receive buffers when the driver
 * adds some (its notification) and between execution slices ({@link VirtioMmio#update()}). With
 * MRG_RXBUF a frame spans as many buffers as it needs; they are published together with num_buffers
 * set, and when the ring has too few buffers for it yet, the frame waits in the backend (nothing is
 * lost; the backend slows its peer down). A frame larger than the whole ring can hold, or, without
 * MRG_RXBUF, than one buffer, is dropped and counted. A receive buffer with a device-readable part, or
 * (MRG_RXBUF) one shorter than the header, breaks the protocol: NEEDS_RESET.
 *
 * <p>Transmit: each chain is the header and one frame; the frame is copied into the backend's send
 * buffer and the chain used at once. When the backend has no room the chains stay in the ring until it
 * has (the backend's listener wakes the machine). A transmit buffer with a device-writable part is a
 * protocol error (NEEDS_RESET); a frame shorter than an Ethernet header or longer than
 * {@link Ethernet#MAX_FRAME}, or asking for segmentation that was never offered, is dropped, counted,
 * and its chain used.
 */
public final class VirtioNet extends VirtioDevice {
    public static final int RECEIVEQ = 0;
    public static final int TRANSMITQ = 1;
    public static final int QUEUE_SIZE = 256;

    public static final long F_CSUM = 1L;
    public static final long F_GUEST_CSUM = 1L << 1;
    public static final long F_MTU = 1L << 3;
    public static final long F_MAC = 1L << 5;
    public static final long F_GUEST_TSO4 = 1L << 7;
    public static final long F_HOST_TSO4 = 1L << 11;
    public static final long F_MRG_RXBUF = 1L << 15;
    public static final long F_STATUS = 1L << 16;
    public static final long F_CTRL_VQ = 1L << 17;
    public static final long F_GUEST_ANNOUNCE = 1L << 21;
    public static final long F_MQ = 1L << 22;

    public static final int HEADER_SIZE = 12;
    public static final int HDR_GSO_TYPE = 1;
    public static final int HDR_NUM_BUFFERS = 10;
    public static final int GSO_NONE = 0;

    public static final int CONFIG_MAC = 0;
    public static final int CONFIG_STATUS = 6;
    public static final int CONFIG_MAX_PAIRS = 8;
    public static final int CONFIG_SIZE = 10;
    public static final int STATUS_LINK_UP = 1;

    private static final int WAIT = 0;
    private static final int DELIVERED = 1;
    private static final int DROPPED = 2;
    private static final int FAILED = 3;

    private final NetBackend backend;
    private final long mac;
    private final byte[] header = new byte[HEADER_SIZE];
    private final Copy copy = new Copy();
    private final Gather gather = new Gather();

    // Guarded by the transport's lock.
    private boolean linkUp;
    private long framesToGuest;
    private long framesFromGuest;
    private long droppedToGuest;
    private long droppedFromGuest;

    /** @param mac the card's address, in the low 48 bits (see {@link Ethernet}) */
    public VirtioNet(final NetBackend backend, final long mac) {
        super(Virtio.ID_NET, new int[] {QUEUE_SIZE, QUEUE_SIZE}, CONFIG_SIZE);
        this.backend = backend;
        this.mac = mac;
        for (int i = 0; i < 6; i++) {
            config.put(CONFIG_MAC + i, (byte) (mac >>> (40 - 8 * i)));
        }
        config.putShort(CONFIG_MAX_PAIRS, (short) 1);
        linkUp = backend.linkUp();
        config.putShort(CONFIG_STATUS, (short) (linkUp ? STATUS_LINK_UP : 0));
    }

    public NetBackend backend() {
        return backend;
    }

    public long mac() {
        return mac;
    }

    /** Frames dropped by the device: too large for the guest's buffers, malformed from the guest or the backend. */
    public long dropped() {
        synchronized (lock()) {
            return droppedToGuest + droppedFromGuest;
        }
    }

    /** Frames the backend had for the guest that the device dropped (too short, or larger than the buffers). */
    public long droppedToGuest() {
        synchronized (lock()) {
            return droppedToGuest;
        }
    }

    /** Frames the guest sent that the device dropped (malformed). */
    public long droppedFromGuest() {
        synchronized (lock()) {
            return droppedFromGuest;
        }
    }

    /** Frames delivered into the guest's receive buffers. */
    public long framesToGuest() {
        synchronized (lock()) {
            return framesToGuest;
        }
    }

    /** Frames handed to the backend. */
    public long framesFromGuest() {
        synchronized (lock()) {
            return framesFromGuest;
        }
    }

    // ---- snapshots ----

    /**
     * The card's own state: its MAC (le64) and the link status the driver was last told (u8). Frames waiting
     * in the backend are not state: like a cable unplugged and plugged in, a restore loses them, as it loses
     * the backend's connections (passt, sockets) themselves.
     */
    @Override
    protected byte[] saveState() {
        final ByteBuffer b = ByteBuffer.allocate(9).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putLong(mac).put((byte) (linkUp ? 1 : 0));
        return b.array();
    }

    /**
     * Checks the saved MAC against this card's (the guest's stack knows it), and takes the saved link status
     * as what the driver knows: when the new backend's link differs, the next update tells the driver.
     */
    @Override
    protected void restoreState(final byte[] state) {
        if (state.length != 9) {
            throw new IllegalArgumentException("virtio-net state of " + state.length + " bytes, expected 9");
        }
        final ByteBuffer b = ByteBuffer.wrap(state).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        final long saved = b.getLong();
        if (saved != mac) {
            throw new IllegalArgumentException("virtio-net: the snapshot's card has MAC " + Ethernet.formatMac(saved)
                    + ", this one " + Ethernet.formatMac(mac));
        }
        final int link = b.get();
        if (link != 0 && link != 1) {
            throw new IllegalArgumentException("virtio-net: link status " + link + " in the snapshot");
        }
        linkUp = link == 1;
        config.putShort(CONFIG_STATUS, (short) (linkUp ? STATUS_LINK_UP : 0));
    }

    // ---- device side (transport lock held) ----

    @Override
    protected long deviceFeatures() {
        return F_MAC | F_STATUS | F_MRG_RXBUF;
    }

    @Override
    protected void onNotify(final int queue) {
        if (queue == RECEIVEQ) {
            receive();
        } else if (queue == TRANSMITQ) {
            transmit();
        }
    }

    @Override
    protected int onUpdate() {
        refreshLink(true);
        int work = receive();
        if (queue(TRANSMITQ).hasAvailable()) {
            work += transmit();
        }
        return work;
    }

    @Override
    protected long readConfig(final int offset, final int size) {
        refreshLink(false);
        return super.readConfig(offset, size);
    }

    /** Mirrors the backend's link into the status field; a change is announced to a running driver. */
    private void refreshLink(final boolean announce) {
        final boolean up = backend.linkUp();
        if (up == linkUp) {
            return;
        }
        linkUp = up;
        config.putShort(CONFIG_STATUS, (short) (up ? STATUS_LINK_UP : 0));
        if (announce && transport() != null) {
            configChanged();
        }
    }

    // ---- receive ----

    /** Moves waiting frames into the guest's receive buffers; returns the frames delivered. */
    private int receive() {
        final FrameQueue in = backend.received();
        final Virtqueue q = queue(RECEIVEQ);
        int delivered = 0;
        ByteBuffer frame;
        while ((frame = in.peek()) != null) {
            final int len = frame.remaining();
            final int outcome = len < Ethernet.HEADER ? DROPPED : deliver(q, frame, len);
            if (outcome == WAIT || outcome == FAILED) {
                break;
            }
            in.release();
            if (outcome == DELIVERED) {
                delivered++;
                framesToGuest++;
                countRequest();
                countToGuest(len);
            } else {
                droppedToGuest++;
                countError();
            }
        }
        if (delivered > 0) {
            q.publishUsed();
        }
        return delivered;
    }

    /** One frame into as many buffers as it needs (one without MRG_RXBUF); see the class comment. */
    private int deliver(final Virtqueue q, final ByteBuffer frame, final int len) {
        final boolean mergeable = negotiated(F_MRG_RXBUF);
        final long total = (long) HEADER_SIZE + len;
        long done = 0;
        int buffers = 0;
        int pushed = 0;
        long numLow = -1;
        long numHigh = -1;
        frame.position(0);
        while (done < total) {
            if (!q.pop()) {
                q.discardDeferred(pushed);
                q.unpop(buffers);
                if (transport().needsReset()) {
                    return FAILED;
                }
                return buffers >= q.size() ? DROPPED : WAIT; // all the ring would not hold it: never fits
            }
            final DescriptorChain c = q.chain();
            if (c.readableSegments() != 0) {
                fail("virtio-net receive buffer with a device-readable part");
                return FAILED;
            }
            buffers++;
            long at = 0;
            if (buffers == 1) {
                if (c.writableLength() < HEADER_SIZE) {
                    if (mergeable) {
                        fail("virtio-net receive buffer of " + c.writableLength() + " bytes, shorter than the header");
                        return FAILED;
                    }
                    return undo(q, buffers, pushed);
                }
                header[HDR_NUM_BUFFERS] = 1;
                c.write(0, header, 0, HEADER_SIZE);
                numLow = writableAddress(c, HDR_NUM_BUFFERS);
                numHigh = writableAddress(c, HDR_NUM_BUFFERS + 1);
                at = HEADER_SIZE;
                done = HEADER_SIZE;
            }
            final long n = Math.min(c.writableLength() - at, total - done);
            if (!mergeable && n < total - done) {
                return undo(q, buffers, pushed); // one buffer per frame, and this one is too small
            }
            if (n > 0) {
                copy.from = frame;
                try {
                    c.forEachWritable(at, n, copy);
                } catch (IOException e) {
                    throw new IllegalStateException(e); // Copy does no I/O
                }
            }
            done += n;
            q.pushDeferred((int) (at + n));
            pushed++;
        }
        if (buffers > 1) {
            final GuestMemory mem = q.memory();
            mem.putU8(numLow, buffers & 0xff);
            mem.putU8(numHigh, buffers >>> 8);
        }
        return DELIVERED;
    }

    private static int undo(final Virtqueue q, final int buffers, final int pushed) {
        q.discardDeferred(pushed);
        q.unpop(buffers);
        return DROPPED;
    }

    /** The guest address of byte {@code offset} of a chain's writable area. */
    private static long writableAddress(final DescriptorChain c, final long offset) {
        long skip = offset;
        for (int s = c.readableSegments(); s < c.segments(); s++) {
            if (skip < c.length(s)) {
                return c.address(s) + skip;
            }
            skip -= c.length(s);
        }
        throw new IllegalStateException("offset " + offset + " beyond a checked header"); // the caller checked the length
    }

    // ---- transmit ----

    /** Sends what the guest queued while the backend has room; returns the frames sent. */
    private int transmit() {
        final Virtqueue q = queue(TRANSMITQ);
        int sent = 0;
        while (q.hasAvailable()) {
            final ByteBuffer out = backend.sendBuffer();
            if (out == null) {
                break; // the backend's listener wakes the machine when it has room
            }
            if (!q.pop()) {
                break;
            }
            final DescriptorChain c = q.chain();
            if (c.writableSegments() != 0) {
                countError();
                fail("virtio-net transmit buffer with a device-writable part");
                break;
            }
            final long len = c.readableLength() - HEADER_SIZE;
            countRequest();
            if (len < Ethernet.HEADER || len > Ethernet.MAX_FRAME || gsoType(c) != GSO_NONE) {
                droppedFromGuest++;
                countError();
                q.push(0);
                continue;
            }
            out.clear();
            try {
                gather.to = out;
                c.forEachReadable(HEADER_SIZE, len, gather);
            } catch (IOException e) {
                throw new IllegalStateException(e); // Gather does no I/O
            }
            backend.send();
            framesFromGuest++;
            countFromGuest(len);
            q.push(0);
            sent++;
        }
        return sent;
    }

    private static int gsoType(final DescriptorChain c) {
        return (c.readInt(0) >>> 8) & 0xff;
    }

    /** Collects the guest's frame pieces into the backend's send buffer. */
    private static final class Gather implements DescriptorChain.Window {
        ByteBuffer to;

        @Override
        public void accept(final ByteBuffer window) {
            to.put(window);
        }
    }

    /** Copies the next bytes of a frame into the guest's buffer pieces. */
    private static final class Copy implements DescriptorChain.Window {
        ByteBuffer from;

        @Override
        public void accept(final ByteBuffer window) {
            final int n = window.remaining();
            final int limit = from.limit();
            from.limit(from.position() + n);
            window.put(from);
            from.limit(limit);
        }
    }
}
