package io.sublet.dev.virtio;

import io.sublet.dev.HostInput;
import io.sublet.dev.HostOutput;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * virtio-console (device id 3, virtio 1.2 §5.3) with a single port: queue 0 receives (host to guest),
 * queue 1 transmits (guest to host). Without MULTIPORT, Linux makes port 0 a console, {@code hvc0}, so
 * {@code console=hvc0} on the kernel command line puts the guest's console here.
 *
 * <pre>
 *  configuration space
 *   0 cols le16    2 rows le16    (valid with SIZE, offered when the host gave a size)
 *   4 max_nr_ports le32 = 1       (MULTIPORT is not offered)
 *   8 emerg_wr le32               (EMERG_WRITE: a write outputs its low byte, at any time, even before
 *                                  the driver set anything up)
 * </pre>
 *
 * <p>Output: the transmit queue is drained when the driver notifies it, into the machine's
 * {@link HostOutput}, a bounded buffer a host thread writes to the terminal. A transmit buffer is used
 * (returned to the driver) once all of it is in that buffer. When the terminal does not drain and the
 * buffer has no room for the next transmit buffer, the device leaves it in the ring, unused, and looks
 * again on {@link VirtioMmio#update()}: the guest sees a busy console (Linux spins until its buffer is
 * used) while the hart keeps running. A transmit buffer larger than the whole host buffer is cut to its
 * size, the rest counted in {@link #transmitLost()}.
 *
 * <p>Input: host threads call {@link #offer} or {@link #receive} as with the UART, which never wait;
 * bytes wait in a bounded {@link HostInput} queue ({@link #DEFAULT_HOST_QUEUE} bytes unless given) and
 * move into the guest's receive buffers when the driver has some: on {@link VirtioMmio#update()}, which
 * the machine calls between execution slices, and when the driver adds receive buffers. When the guest
 * does not read, its receive buffers and then the queue fill, and what arrives after that is dropped
 * and counted ({@link #inputDropped()}); virtio-console has no way to tell the guest, so it sees a gap.
 *
 * <p>A transmit buffer the device would have to write, or a receive buffer it would have to read,
 * breaks the protocol and puts the device into NEEDS_RESET.
 */
public final class VirtioConsole extends VirtioDevice {
    public static final int RECEIVEQ = 0;
    public static final int TRANSMITQ = 1;
    public static final int QUEUE_SIZE = 64;
    public static final int DEFAULT_HOST_QUEUE = 4096;

    public static final long F_SIZE = 1L;
    public static final long F_MULTIPORT = 1L << 1;
    public static final long F_EMERG_WRITE = 1L << 2;

    public static final int CONFIG_COLS = 0;
    public static final int CONFIG_ROWS = 2;
    public static final int CONFIG_MAX_NR_PORTS = 4;
    public static final int CONFIG_EMERG_WR = 8;
    public static final int CONFIG_SIZE = 12;

    private static final int CHUNK = 4096;

    private final HostOutput out;
    private final HostInput hostInput;
    private final boolean sized;

    // Guarded by the transport's lock.
    private final byte[] rx = new byte[CHUNK];
    private final byte[] tx = new byte[CHUNK];
    private final Output output = new Output();
    /** A transmit buffer waits for room in the host output. */
    private boolean transmitWaiting;
    private long transmitLost;

    /** A console of unknown size (SIZE not offered), with the default host input queue. */
    public VirtioConsole(final HostOutput out) {
        this(out, DEFAULT_HOST_QUEUE, 0, 0);
    }

    /**
     * @param hostQueue how many input bytes may wait for the guest before more are dropped
     * @param cols      terminal width, or 0 when unknown (then rows is ignored and SIZE not offered)
     */
    public VirtioConsole(final HostOutput out, final int hostQueue, final int cols, final int rows) {
        super(Virtio.ID_CONSOLE, new int[] {QUEUE_SIZE, QUEUE_SIZE}, CONFIG_SIZE);
        this.out = out;
        this.hostInput = new HostInput(hostQueue);
        this.sized = cols > 0 && rows > 0;
        if (sized) {
            config.putShort(CONFIG_COLS, (short) cols);
            config.putShort(CONFIG_ROWS, (short) rows);
        }
        config.putInt(CONFIG_MAX_NR_PORTS, 1);
    }

    // ---- host side (any thread) ----

    /** Queues one input byte for the guest; false when the host queue is full and the byte was dropped. */
    public boolean offer(final int b) {
        return hostInput.offer(b);
    }

    /** Queues input bytes for the guest without waiting; returns how many fit (the rest were dropped). */
    public int receive(final byte[] data, final int offset, final int length) {
        return hostInput.offer(data, offset, length);
    }

    public int receive(final byte[] data) {
        return receive(data, 0, data.length);
    }

    /** Called after input is queued, on the queueing thread; the machine uses it to wake a sleeping hart. */
    public void setInputListener(final Runnable listener) {
        hostInput.setListener(listener);
    }

    /** Bytes queued by the host that the guest has not yet received. */
    public int hostQueued() {
        return hostInput.size();
    }

    /**
     * The terminal changed size: new cols/rows and a configuration change notification. Ignored when
     * the console was built without a size (SIZE not offered).
     */
    public void resize(final int cols, final int rows) {
        if (!sized) {
            return;
        }
        synchronized (lock()) {
            config.putShort(CONFIG_COLS, (short) cols);
            config.putShort(CONFIG_ROWS, (short) rows);
            if (transport() != null) {
                configChanged();
            }
        }
    }

    /** Input bytes dropped because the guest did not read (the bound was reached). Any thread. */
    public long inputDropped() {
        return hostInput.dropped();
    }

    /** Output bytes lost: an emergency write while the host output was full, or a cut transmit buffer. */
    public long transmitLost() {
        synchronized (lock()) {
            return transmitLost;
        }
    }

    // ---- device side (transport lock held) ----

    @Override
    protected long deviceFeatures() {
        return F_EMERG_WRITE | (sized ? F_SIZE : 0);
    }

    @Override
    protected void onNotify(final int queue) {
        if (queue == RECEIVEQ) {
            deliverInput();
        } else {
            transmit();
        }
    }

    @Override
    protected int onUpdate() {
        int work = deliverInput();
        if (transmitWaiting) {
            work += transmit();
        }
        return work;
    }

    @Override
    protected void onReset() {
        transmitWaiting = false;
    }

    @Override
    protected void writeConfig(final int offset, final int size, final long value) {
        if (offset == CONFIG_EMERG_WR) {
            if (!out.write((int) value & 0xff)) {
                transmitLost++; // an emergency write cannot wait
            }
            countFromGuest(1);
        }
    }

    /** Moves queued host input into the driver's receive buffers; returns the bytes moved. */
    private int deliverInput() {
        final Virtqueue q = queue(RECEIVEQ);
        int moved = 0;
        while (!hostInput.isEmpty() && q.pop()) {
            final DescriptorChain c = q.chain();
            countRequest();
            if (c.readableSegments() != 0) {
                countError();
                fail("virtio-console receive buffer with a device-readable part");
                return moved;
            }
            final int room = (int) Math.min(c.writableLength(), rx.length);
            final int n = hostInput.poll(rx, 0, room);
            c.write(0, rx, 0, n);
            countToGuest(n);
            q.push(n);
            moved += n;
        }
        return moved;
    }

    /**
     * Moves transmit buffers into the host output while it has room for each whole buffer; a buffer that
     * does not fit stays in the ring for the next try. Returns the buffers used.
     */
    private int transmit() {
        final Virtqueue q = queue(TRANSMITQ);
        int used = 0;
        while (q.pop()) {
            final DescriptorChain c = q.chain();
            if (c.writableSegments() != 0) {
                countRequest();
                countError();
                fail("virtio-console transmit buffer with a device-writable part");
                return used;
            }
            final long length = c.readableLength();
            final long fits = Math.min(length, out.capacity());
            if (out.free() < fits) {
                q.unpop(); // busy: the guest gets the buffer back when the host has drained enough
                transmitWaiting = true;
                return used;
            }
            countRequest();
            try {
                countFromGuest(c.forEachReadable(0, fits, output));
            } catch (IOException e) {
                throw new IllegalStateException(e); // Output does not throw
            }
            transmitLost += length - fits;
            q.push(0);
            used++;
        }
        transmitWaiting = false;
        return used;
    }

    /** Copies the guest's output into the host output (which has room: checked before). */
    private final class Output implements DescriptorChain.Window {
        @Override
        public void accept(final ByteBuffer window) {
            while (window.hasRemaining()) {
                final int n = Math.min(window.remaining(), tx.length);
                window.get(tx, 0, n);
                transmitLost += n - out.write(tx, 0, n); // only another writer (the monitor) can take the room
            }
        }
    }
}
