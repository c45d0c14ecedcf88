package io.sublet.dev;

import java.util.concurrent.ArrayBlockingQueue;

/**
 * Keyboard input on its way from the host to a guest console device: a bounded queue that host
 * threads fill and the device drains on the hart thread, plus a listener that wakes a hart sleeping in
 * WFI. When the guest does not read, input waits here (bounded), never lost.
 */
public final class HostInput {
    private final ArrayBlockingQueue<Byte> queue;
    private volatile Runnable listener = () -> { };

    public HostInput(final int capacity) {
        this.queue = new ArrayBlockingQueue<>(capacity);
    }

    /** Queues one byte; false when the queue is full (try again later). Any thread. */
    public boolean offer(final int b) {
        if (!queue.offer((byte) b)) {
            return false;
        }
        listener.run();
        return true;
    }

    /** Queues bytes, waiting while the queue is full. Any thread. */
    public void receive(final byte[] data, final int offset, final int length) throws InterruptedException {
        for (int i = 0; i < length; i++) {
            queue.put(data[offset + i]);
            listener.run();
        }
    }

    /** Runs the listener without queueing anything: out-of-band input (a line break condition) is waiting. */
    public void wake() {
        listener.run();
    }

    /** Called after input is queued, on the queueing thread. */
    public void setListener(final Runnable listener) {
        this.listener = listener;
    }

    public int size() {
        return queue.size();
    }

    public boolean isEmpty() {
        return queue.isEmpty();
    }

    /** The next byte (0..255), or -1 when none is queued. Device side. */
    public int poll() {
        final Byte b = queue.poll();
        return b == null ? -1 : b & 0xff;
    }
}
