package io.sublet.net;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A bounded ring of frame buffers with one producer thread and one consumer thread: a backend's reader
 * and the hart, or the hart and a backend's writer. Each slot is a direct buffer of
 * {@link Ethernet#MAX_FRAME} bytes allocated once, so moving a frame allocates nothing.
 *
 * <pre>
 *  producer                                consumer
 *    ByteBuffer b = q.claim();  // null: full   ByteBuffer f = q.peek();  // null: empty
 *    ... put the frame into b ...               ... read f (position 0, limit = length) ...
 *    q.commit();                                q.release();
 * </pre>
 *
 * The indices are volatile and each has one writer, so the fast path takes no lock. Only a thread that
 * has to wait (a producer on a full ring, a consumer on an empty one) takes the lock and sleeps on a
 * condition; the other side signals it when it sees a waiter. {@link #close()} wakes every waiter.
 * The consumer's listener runs on the producer's thread after each commit (the machine uses it to wake
 * a sleeping hart).
 */
public final class FrameQueue {
    private final ByteBuffer[] slots;
    private final int mask;
    private volatile long head; // next slot to consume; written by the consumer
    private volatile long tail; // next slot to fill; written by the producer
    private volatile boolean closed;
    private volatile boolean producerWaiting;
    private volatile boolean consumerWaiting;
    private volatile Runnable listener = () -> { };
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();

    /** @param capacity frames the ring holds, a power of 2 */
    public FrameQueue(final int capacity) {
        if (capacity < 1 || (capacity & (capacity - 1)) != 0) {
            throw new IllegalArgumentException("frame queue capacity " + capacity + " is not a power of 2");
        }
        slots = new ByteBuffer[capacity];
        for (int i = 0; i < capacity; i++) {
            slots[i] = ByteBuffer.allocateDirect(Ethernet.MAX_FRAME);
        }
        mask = capacity - 1;
    }

    public int capacity() {
        return slots.length;
    }

    /** Frames waiting. */
    public int size() {
        return (int) (tail - head);
    }

    public boolean isEmpty() {
        return tail == head;
    }

    public boolean isFull() {
        return tail - head == slots.length;
    }

    /** Runs on the producer's thread after every commit. */
    public void setListener(final Runnable onCommit) {
        listener = onCommit;
    }

    // ---- producer ----

    /** The buffer to fill (cleared, capacity {@link Ethernet#MAX_FRAME}), or null when the ring is full or closed. */
    public ByteBuffer claim() {
        if (closed || isFull()) {
            return null;
        }
        return slots[(int) (tail & mask)].clear();
    }

    /** Like {@link #claim()}, waiting while the ring is full; null once the queue is closed. */
    public ByteBuffer claimWaiting() throws InterruptedException {
        ByteBuffer b = claim();
        while (b == null && !closed) {
            awaitChange(true);
            b = claim();
        }
        return b;
    }

    /** Bytes written so far into the buffer {@link #claim()} returned. */
    public int claimedLength() {
        return slots[(int) (tail & mask)].position();
    }

    /** Publishes the claimed buffer; the frame is its bytes from 0 to its position. */
    public void commit() {
        final ByteBuffer b = slots[(int) (tail & mask)];
        b.flip();
        tail = tail + 1;
        signalIf(consumerWaiting);
        listener.run();
    }

    /** Copies {@code frame}'s remaining bytes in as one frame; false (dropped) when the ring is full or the frame too large. */
    public boolean offer(final ByteBuffer frame) {
        if (frame.remaining() > Ethernet.MAX_FRAME) {
            return false;
        }
        final ByteBuffer b = claim();
        if (b == null) {
            return false;
        }
        b.put(frame);
        commit();
        return true;
    }

    // ---- consumer ----

    /** The oldest frame (position 0, limit its length), or null when there is none. Valid until {@link #release()}. */
    public ByteBuffer peek() {
        if (isEmpty()) {
            return null;
        }
        return slots[(int) (head & mask)].position(0);
    }

    /** Like {@link #peek()}, waiting while the ring is empty; null once the queue is closed and empty. */
    public ByteBuffer peekWaiting() throws InterruptedException {
        ByteBuffer f = peek();
        while (f == null && !closed) {
            awaitChange(false);
            f = peek();
        }
        return f;
    }

    /** Frees the frame {@link #peek()} returned. */
    public void release() {
        head = head + 1;
        signalIf(producerWaiting);
    }

    /** Drops every waiting frame (consumer side). */
    public void drain() {
        head = tail;
        signalIf(producerWaiting);
    }

    // ---- both ----

    /** Wakes every waiter for good: claims and waits return null from now on. */
    public void close() {
        closed = true;
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        listener.run();
    }

    public boolean isClosed() {
        return closed;
    }

    /** Sleeps until the other side moves (for room: the consumer; else the producer), or the queue closes. */
    private void awaitChange(final boolean forRoom) throws InterruptedException {
        lock.lock();
        try {
            // Volatile write of the waiting flag, then volatile reads of the indices; the other side writes its
            // index, then reads the flag: one of the two sees the other, so no wake-up is lost. Each side has its
            // own flag, so one side leaving its wait cannot clear the other's. The timeout is a backstop.
            if (forRoom) {
                producerWaiting = true;
            } else {
                consumerWaiting = true;
            }
            if (!closed && (forRoom ? isFull() : isEmpty())) {
                changed.await(50, TimeUnit.MILLISECONDS);
            }
        } finally {
            if (forRoom) {
                producerWaiting = false;
            } else {
                consumerWaiting = false;
            }
            lock.unlock();
        }
    }

    private void signalIf(final boolean otherSideWaiting) {
        if (otherSideWaiting) {
            lock.lock();
            try {
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }
}
