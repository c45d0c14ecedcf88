package io.sublet.dev;

import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Guest console output on its way to the host: a bounded ring of bytes that devices fill on the hart
 * thread without ever waiting, drained into the real stream by one host-side writer thread.
 *
 * <p>The hart never blocks on the host's terminal. When the stream stops draining (a pipe nobody reads,
 * a terminal stopped with Ctrl-S), the writer thread blocks in the stream's {@code write}, the ring fills
 * up, and {@link #write} accepts fewer bytes or none: the device then shows the guest a busy transmitter
 * (the 16550 clears THRE, the virtio console keeps its transmit buffers), exactly as a slow serial line
 * would, and the hart keeps running and answering stop requests. The bound is the ring's capacity,
 * {@link #DEFAULT_CAPACITY} bytes unless the machine says otherwise. When the writer makes room after a
 * producer was refused, it calls the room listener so that a hart sleeping in WFI looks again.
 *
 * <p>A stream that fails (a closed terminal) has its bytes counted in {@link #errors()} and dropped; the
 * guest keeps running.
 *
 * <p>Threads: producers ({@link #write}) are serialised by this object's monitor, which the writer never
 * takes; the single consumer ({@link #drain()}, on the writer thread once {@link #startWriter} ran, else on
 * whoever calls it, as unit tests do) is lock-free. The indices are volatile; a parked writer is woken
 * with {@link LockSupport#unpark} after the producer published its bytes, and re-checks the ring after
 * announcing that it parks, so no wake-up is lost.
 */
public final class HostOutput {
    public static final int DEFAULT_CAPACITY = 64 << 10;
    private static final int CHUNK = 8192;

    private final OutputStream out;
    private final byte[] ring;
    private final int mask;
    private final byte[] chunk = new byte[CHUNK];
    /** Next byte to drain; written by the consumer only. */
    private volatile long head;
    /** Next slot to fill; written by producers only, with this object's monitor held. */
    private volatile long tail;
    /** Bytes the consumer took from the ring and has finished handing to the stream. */
    private volatile long done;
    /** A producer found the ring without room since the consumer last made some. */
    private volatile boolean refused;
    private volatile boolean writerParked;
    private volatile boolean finishing;
    private volatile Thread writer;
    private volatile Runnable roomListener = () -> { };
    private volatile long errors;

    public HostOutput(final OutputStream out) {
        this(out, DEFAULT_CAPACITY);
    }

    /** @param capacity the bound: bytes that may wait for the host stream; rounded up to a power of two */
    public HostOutput(final OutputStream out, final int capacity) {
        if (capacity < 1 || capacity > 1 << 26) {
            throw new IllegalArgumentException("host output capacity " + capacity + " is outside 1..64 MiB");
        }
        int size = 1;
        while (size < capacity) {
            size <<= 1;
        }
        this.out = out;
        this.ring = new byte[size];
        this.mask = size - 1;
    }

    // ---- producers (any thread; devices on the hart thread) ----

    /** Queues as many bytes as fit; returns how many. Never waits. */
    public int write(final byte[] data, final int offset, final int length) {
        final int n;
        synchronized (this) {
            final long t = tail;
            n = (int) Math.min(length, ring.length - (t - head));
            for (int i = 0; i < n; i++) {
                ring[(int) (t + i) & mask] = data[offset + i];
            }
            tail = t + n;
        }
        if (n < length) {
            refused = true;
        }
        if (n > 0) {
            wakeWriter();
        }
        return n;
    }

    /** Queues one byte; false when there is no room (nothing was queued). Never waits. */
    public boolean write(final int b) {
        synchronized (this) {
            final long t = tail;
            if (t - head >= ring.length) {
                refused = true;
                return false;
            }
            ring[(int) t & mask] = (byte) b;
            tail = t + 1;
        }
        wakeWriter();
        return true;
    }

    /** Room for this many more bytes now (it can only grow until the next write). */
    public int free() {
        return ring.length - (int) (tail - head);
    }

    /** Bytes waiting for the stream. */
    public int size() {
        return (int) (tail - head);
    }

    public int capacity() {
        return ring.length;
    }

    /** Bytes the stream refused with an error (dropped). */
    public long errors() {
        return errors;
    }

    /** Called on the writer thread when it made room after a producer had found none. */
    public void setRoomListener(final Runnable listener) {
        this.roomListener = listener;
    }

    private void wakeWriter() {
        if (writerParked) {
            final Thread w = writer;
            if (w != null) {
                LockSupport.unpark(w);
            }
        }
    }

    // ---- consumer ----

    /**
     * Hands everything queued so far to the stream and flushes it; returns the bytes moved. Blocks while
     * the stream does. Only one thread drains: the writer once started.
     */
    public int drain() {
        int moved = 0;
        long h = head;
        while (h != tail) {
            final int n = (int) Math.min(CHUNK, tail - h);
            for (int i = 0; i < n; i++) {
                chunk[i] = ring[(int) (h + i) & mask];
            }
            h += n;
            head = h; // the slots are copied out: producers may reuse them while the stream blocks
            try {
                out.write(chunk, 0, n);
            } catch (IOException e) {
                errors += n;
            }
            moved += n;
            done = h; // progress, for awaitDrained
        }
        if (moved > 0) {
            try {
                out.flush();
            } catch (IOException e) {
                errors++;
            }
            if (refused) {
                refused = false;
                roomListener.run();
            }
        }
        return moved;
    }

    /**
     * Starts the host-side writer (a daemon thread) that drains the ring whenever bytes arrive; keeps the
     * running one if there is one (a machine run again after a stop).
     */
    public synchronized void startWriter(final String name) {
        finishing = false;
        if (writer != null) {
            return; // it has not decided to end: it sees finishing cleared
        }
        final Thread t = new Thread(this::writeLoop, name);
        t.setDaemon(true);
        writer = t;
        t.start();
    }

    private void writeLoop() {
        for (;;) {
            if (drain() > 0) {
                continue;
            }
            writerParked = true;
            if (head == tail) {
                if (finishing) {
                    synchronized (this) { // decided with startWriter's lock, so a restart is never lost
                        if (finishing && head == tail) {
                            writerParked = false;
                            writer = null;
                            return;
                        }
                    }
                }
                LockSupport.park(this);
            }
            writerParked = false;
        }
    }

    /** Lets the writer end once the ring is empty; does not wait for it. */
    public void finish() {
        final Thread w;
        synchronized (this) {
            finishing = true;
            w = writer;
        }
        if (w != null) {
            LockSupport.unpark(w);
        }
    }

    /**
     * Waits until everything queued before this call has reached the stream; gives up when {@code timeout}
     * has passed, or when the stream took nothing for {@code stall} (it is not draining, so waiting longer
     * cannot help). True when everything got out. For the end of a run, where a terminal that does not
     * drain must not keep the process alive.
     */
    public boolean awaitDrained(final long timeout, final long stall, final TimeUnit unit) {
        final long target = tail;
        final long start = System.nanoTime();
        long seen = done;
        long progressAt = start;
        while (done - target < 0) {
            final long now = System.nanoTime();
            final long d = done;
            if (d != seen) {
                seen = d;
                progressAt = now;
            }
            if (now - start >= unit.toNanos(timeout) || now - progressAt >= unit.toNanos(stall)) {
                return false;
            }
            LockSupport.parkNanos(this, 1_000_000L);
        }
        return true;
    }
}
