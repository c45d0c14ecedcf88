package io.sublet.dev;

/**
 * Keyboard input on its way from the host to a guest console device: a bounded ring of bytes that host
 * threads fill and the device drains on the hart thread, plus a listener that wakes a hart sleeping in WFI.
 *
 * <p>The host side never waits on the guest. When the guest does not read and the ring is full, further
 * bytes are dropped and counted ({@link #dropped()}), as a serial line loses what arrives at a UART whose
 * FIFO is full; the device turns the count into its own error report (the 16550's overrun bit). The
 * bound is the ring's capacity: at most that many bytes wait for a guest that does not read.
 *
 * <p>Threads: producers ({@link #offer}) are serialised by this object's monitor, which the device side
 * never takes; the single consumer ({@link #poll}) is lock-free. The indices are volatile: the producer
 * publishes a byte by writing {@code tail} after the byte, the consumer frees its slot by writing
 * {@code head} after reading it. No object is allocated per byte.
 */
public final class HostInput {
    private final byte[] ring;
    private final int mask;
    /** Next byte to read; written by the consumer only. */
    private volatile long head;
    /** Next slot to fill; written by producers only, with this object's monitor held. */
    private volatile long tail;
    /** Bytes dropped because the ring was full; written with the monitor held. */
    private volatile long dropped;
    private volatile Runnable listener = () -> { };

    /** @param capacity the bound: how many bytes may wait for the guest; rounded up to a power of two */
    public HostInput(final int capacity) {
        if (capacity < 1 || capacity > 1 << 24) {
            throw new IllegalArgumentException("host input capacity " + capacity + " is outside 1..16 MiB");
        }
        int size = 1;
        while (size < capacity) {
            size <<= 1;
        }
        this.ring = new byte[size];
        this.mask = ring.length - 1;
    }

    /** How many bytes may wait for the guest before input is dropped. */
    public int capacity() {
        return ring.length;
    }

    /** Queues one byte; false when the ring is full and the byte was dropped (and counted). Any thread. */
    public boolean offer(final int b) {
        final boolean queued;
        synchronized (this) {
            final long t = tail;
            queued = t - head < ring.length;
            if (queued) {
                ring[(int) t & mask] = (byte) b;
                tail = t + 1;
            } else {
                dropped = dropped + 1;
            }
        }
        listener.run();
        return queued;
    }

    /**
     * Queues as many of the bytes as fit and drops (and counts) the rest; returns how many were queued.
     * Never waits. Any thread.
     */
    public int offer(final byte[] data, final int offset, final int length) {
        final int n;
        synchronized (this) {
            final long t = tail;
            n = (int) Math.min(length, ring.length - (t - head));
            for (int i = 0; i < n; i++) {
                ring[(int) (t + i) & mask] = data[offset + i];
            }
            tail = t + n;
            if (n < length) {
                dropped = dropped + (length - n);
            }
        }
        if (length > 0) {
            listener.run();
        }
        return n;
    }

    /** Runs the listener without queueing anything: out-of-band input (a line break condition) is waiting. */
    public void wake() {
        listener.run();
    }

    /** Called after input was offered (queued or dropped), on the offering thread. */
    public void setListener(final Runnable listener) {
        this.listener = listener;
    }

    /** Bytes waiting for the guest. */
    public int size() {
        return (int) (tail - head);
    }

    public boolean isEmpty() {
        return tail == head;
    }

    /** Bytes dropped since this queue was made because the guest did not read. */
    public long dropped() {
        return dropped;
    }

    /** The next byte (0..255), or -1 when none is queued. Consumer side only. */
    public int poll() {
        final long h = head;
        if (h == tail) {
            return -1;
        }
        final int b = ring[(int) h & mask] & 0xff;
        head = h + 1;
        return b;
    }

    /** Moves up to {@code max} queued bytes into {@code into}; returns how many. Consumer side only. */
    public int poll(final byte[] into, final int offset, final int max) {
        final long h = head;
        final int n = (int) Math.min(max, tail - h);
        for (int i = 0; i < n; i++) {
            into[offset + i] = ring[(int) (h + i) & mask];
        }
        head = h + n;
        return n;
    }
}
