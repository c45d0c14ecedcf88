package io.sublet.dev.virtio;

import io.sublet.dev.HostInput;
import java.io.IOException;
import java.io.OutputStream;
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
 * <p>Output: the transmit queue is drained when the driver notifies it; the bytes go to the output
 * stream at once and it is flushed after each batch. Linux waits for each console write to be used, so
 * synchronous handling is what it wants. An output stream that fails (a closed terminal) is counted
 * and its bytes dropped; the guest keeps running.
 *
 * <p>Input: host threads call {@link #offer} or {@link #receive} as with the UART; bytes wait in a
 * bounded host queue and move into the guest's receive buffers when the driver has some: on
 * {@link VirtioMmio#update()}, which the machine calls between execution slices, and when the driver
 * adds receive buffers. Nothing is dropped: when the guest does not read, the host queue fills and
 * {@link #offer} returns false, {@link #receive} blocks.
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

    private final OutputStream out;
    private final HostInput hostInput;
    private final boolean sized;

    // Guarded by the transport's lock.
    private final byte[] rx = new byte[CHUNK];
    private final byte[] tx = new byte[CHUNK];
    private final Output output = new Output();
    private long outputErrors;

    /** A console of unknown size (SIZE not offered), with the default host input queue. */
    public VirtioConsole(final OutputStream out) {
        this(out, DEFAULT_HOST_QUEUE, 0, 0);
    }

    /**
     * @param hostQueue how many input bytes may wait for the guest before {@link #offer} refuses more
     * @param cols      terminal width, or 0 when unknown (then rows is ignored and SIZE not offered)
     */
    public VirtioConsole(final OutputStream out, final int hostQueue, final int cols, final int rows) {
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

    /** Queues one input byte for the guest; false when the host queue is full (try again later). */
    public boolean offer(final int b) {
        return hostInput.offer(b);
    }

    /** Queues input bytes for the guest, waiting while the host queue is full. */
    public void receive(final byte[] data, final int offset, final int length) throws InterruptedException {
        hostInput.receive(data, offset, length);
    }

    public void receive(final byte[] data) throws InterruptedException {
        receive(data, 0, data.length);
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

    /** Output bytes the host stream refused (dropped). */
    public long outputErrors() {
        synchronized (lock()) {
            return outputErrors;
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
        return deliverInput();
    }

    @Override
    protected void writeConfig(final int offset, final int size, final long value) {
        if (offset == CONFIG_EMERG_WR) {
            try {
                out.write((int) value & 0xff);
                out.flush();
            } catch (IOException e) {
                outputErrors++;
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
            int n = 0;
            int b;
            while (n < room && (b = hostInput.poll()) >= 0) {
                rx[n++] = (byte) b;
            }
            c.write(0, rx, 0, n);
            countToGuest(n);
            q.push(n);
            moved += n;
        }
        return moved;
    }

    private void transmit() {
        final Virtqueue q = queue(TRANSMITQ);
        boolean wrote = false;
        while (q.pop()) {
            final DescriptorChain c = q.chain();
            countRequest();
            if (c.writableSegments() != 0) {
                countError();
                fail("virtio-console transmit buffer with a device-writable part");
                break;
            }
            try {
                countFromGuest(c.forEachReadable(0, c.readableLength(), output));
            } catch (IOException e) {
                throw new IllegalStateException(e); // Output counts its own failures
            }
            q.push(0);
            wrote = true;
        }
        if (wrote) {
            try {
                out.flush();
            } catch (IOException e) {
                outputErrors++;
            }
        }
    }

    /** Copies the guest's output to the host stream, counting (not throwing) the stream's failures. */
    private final class Output implements DescriptorChain.Window {
        @Override
        public void accept(final ByteBuffer window) {
            while (window.hasRemaining()) {
                final int n = Math.min(window.remaining(), tx.length);
                window.get(tx, 0, n);
                try {
                    out.write(tx, 0, n);
                } catch (IOException e) {
                    outputErrors++;
                }
            }
        }
    }
}
