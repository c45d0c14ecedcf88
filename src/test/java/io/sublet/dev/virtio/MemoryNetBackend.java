package io.sublet.dev.virtio;

import io.sublet.net.FrameQueue;
import io.sublet.net.LinkCounters;
import io.sublet.net.NetBackend;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A network backend in memory for device tests: the test queues frames for the guest with
 * {@link #inject} and reads what the guest sent from {@link #takeSent()}; {@code sendRoom} bounds how
 * many sent frames it holds before refusing more, as a busy socket would.
 */
final class MemoryNetBackend implements NetBackend {
    private final FrameQueue received;
    private final FrameQueue sent;
    private volatile boolean up = true;
    private int wakes;

    MemoryNetBackend(final int receiveFrames, final int sendRoom) {
        received = new FrameQueue(receiveFrames);
        sent = new FrameQueue(sendRoom);
    }

    MemoryNetBackend() {
        this(64, 64);
    }

    /** Queues a frame for the guest; false when the receive queue is full. */
    boolean inject(final byte[] frame) {
        final ByteBuffer b = received.claim();
        if (b == null) {
            return false;
        }
        b.put(frame);
        received.commit();
        return true;
    }

    /** Everything the guest sent since the last call. */
    List<byte[]> takeSent() {
        final List<byte[]> out = new ArrayList<>();
        ByteBuffer f;
        while ((f = sent.peek()) != null) {
            final byte[] b = new byte[f.remaining()];
            f.get(b);
            out.add(b);
            sent.release();
        }
        return out;
    }

    void setLinkUp(final boolean value) {
        up = value;
    }

    int wakes() {
        return wakes;
    }

    @Override
    public FrameQueue received() {
        return received;
    }

    @Override
    public ByteBuffer sendBuffer() {
        return sent.claim();
    }

    @Override
    public void send() {
        sent.commit();
    }

    @Override
    public void setListener(final Runnable wake) {
        wakes++;
    }

    @Override
    public boolean linkUp() {
        return up;
    }

    @Override
    public LinkCounters counters() {
        return new LinkCounters(0, 0, 0, 0, 0);
    }

    @Override
    public String describe() {
        return "memory";
    }

    @Override
    public void close() {
        received.close();
    }
}
