package io.sublet.net;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;

/**
 * Frames over a byte stream in QEMU's stream protocol ({@code -netdev stream}, {@code -netdev socket},
 * passt): each frame is a 4-byte big-endian length followed by that many bytes of Ethernet frame.
 *
 * <pre>
 *  0        4                       4 + length
 *  +--------+------------ ... ------+--------+--- ...
 *  | length | frame                 | length | frame
 *  +--------+------------ ... ------+--------+--- ...
 * </pre>
 *
 * A {@link Connector} supplies the connections: one for a client or passt, one after another for a server
 * that waits for its next peer. A reader thread moves frames from the current connection into
 * {@link #received()}, waiting while the guest has not taken the earlier ones (so a slow guest slows the
 * peer down instead of losing frames, as TCP would); a writer thread sends what the guest queued.
 * A frame longer than {@link Ethernet#MAX_FRAME} or of length 0 is skipped and counted as dropped;
 * a length above {@link #MAX_SKIP} means the stream is not this protocol, and the connection is closed.
 * A connection that ends in the middle of a frame loses that frame. Frames the guest sends while no
 * peer is connected are dropped.
 */
public class StreamLink implements NetBackend {
    /** Supplies connections; {@link #next()} blocks until one is there. */
    public interface Connector extends Closeable {
        /** The next connection, or null when there will be none (a client whose peer went away). */
        SocketChannel next() throws IOException;

        /** A connection already made, which {@link #next()} will return first; null when there is none yet. */
        default SocketChannel established() {
            return null;
        }
    }

    /** Longest frame length skipped rather than taken as garbage: 16 MiB. */
    public static final int MAX_SKIP = 16 << 20;
    public static final int QUEUE_FRAMES = 64;
    private static final int READ_BUFFER = 256 << 10;

    private final String description;
    private final Connector connector;
    private final FrameQueue toGuest;
    private final FrameQueue fromGuest;
    private final Thread reader;
    private final Thread writer;
    private final ByteBuffer in = ByteBuffer.allocateDirect(READ_BUFFER);
    private final ByteBuffer[] out = {ByteBuffer.allocateDirect(4), null};
    private volatile SocketChannel current;
    private volatile boolean closed;
    private volatile Runnable listener = () -> { };
    private volatile String lastError;

    // Counters, each with one writer thread.
    private volatile long framesToGuest;
    private volatile long bytesToGuest;
    private volatile long framesFromGuest;
    private volatile long bytesFromGuest;
    private volatile long droppedIn;
    private volatile long droppedOut;
    private volatile long connections;

    /** Starts the threads; the first connection is made on the reader thread. */
    public StreamLink(final String description, final Connector connector) {
        this.description = description;
        this.connector = connector;
        this.toGuest = new FrameQueue(QUEUE_FRAMES);
        this.fromGuest = new FrameQueue(QUEUE_FRAMES);
        toGuest.setListener(() -> listener.run());
        this.current = connector.established(); // a client or passt is up before its threads start
        this.reader = new Thread(this::readLoop, "sublet-net-rx " + description);
        this.writer = new Thread(this::writeLoop, "sublet-net-tx " + description);
        reader.setDaemon(true);
        writer.setDaemon(true);
        reader.start();
        writer.start();
    }

    @Override
    public FrameQueue received() {
        return toGuest;
    }

    @Override
    public ByteBuffer sendBuffer() {
        return fromGuest.claim();
    }

    @Override
    public void send() {
        final int len = fromGuest.claimedLength();
        framesFromGuest = framesFromGuest + 1;
        bytesFromGuest = bytesFromGuest + len;
        fromGuest.commit();
    }

    @Override
    public void setListener(final Runnable wake) {
        listener = wake;
    }

    @Override
    public boolean linkUp() {
        return current != null;
    }

    /** Connections made so far (a server counts each peer). */
    public long connections() {
        return connections;
    }

    /** Why the last connection ended, or null. */
    public String lastError() {
        return lastError;
    }

    @Override
    public LinkCounters counters() {
        return new LinkCounters(framesToGuest, bytesToGuest, framesFromGuest, bytesFromGuest, droppedIn + droppedOut);
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        toGuest.close();
        fromGuest.close();
        closeQuietly(current);
        closeQuietly(connector);
        reader.interrupt();
        writer.interrupt();
        try {
            reader.join(2000);
            writer.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        afterClose();
    }

    /** Releases what a subclass owns (passt's process), after the threads stopped. */
    protected void afterClose() {
    }

    // ---- reader thread ----

    private void readLoop() {
        while (!closed) {
            final SocketChannel ch;
            try {
                ch = connector.next();
            } catch (IOException e) {
                if (!closed) {
                    lastError = e.getMessage();
                }
                break;
            }
            if (ch == null) {
                break;
            }
            connections = connections + 1;
            in.clear().flip();
            current = ch;
            listener.run();
            try {
                readFrames(ch);
            } catch (EOFException | ClosedChannelException e) {
                // the peer went away (or we closed)
            } catch (IOException e) {
                lastError = e.getMessage();
            } catch (InterruptedException e) {
                break;
            } finally {
                current = null;
                closeQuietly(ch);
                listener.run();
            }
        }
        current = null;
    }

    private void readFrames(final SocketChannel ch) throws IOException, InterruptedException {
        while (!closed) {
            fill(ch, 4);
            final long len = in.getInt() & 0xffff_ffffL;
            if (len == 0 || len > Ethernet.MAX_FRAME) {
                if (len > MAX_SKIP) {
                    throw new IOException(description + ": frame length " + len + ": not a stream of frames");
                }
                skip(ch, len);
                droppedIn = droppedIn + 1;
                continue;
            }
            final ByteBuffer slot = toGuest.claimWaiting();
            if (slot == null) {
                return; // closed
            }
            long left = len;
            while (left > 0) {
                if (!in.hasRemaining()) {
                    fill(ch, 1);
                }
                final int n = (int) Math.min(left, in.remaining());
                final int limit = in.limit();
                in.limit(in.position() + n);
                slot.put(in);
                in.limit(limit);
                left -= n;
            }
            framesToGuest = framesToGuest + 1;
            bytesToGuest = bytesToGuest + len;
            toGuest.commit();
        }
    }

    /** Reads until at least {@code need} bytes are buffered; EOF before that ends the connection. */
    private void fill(final SocketChannel ch, final int need) throws IOException {
        if (in.remaining() >= need) {
            return;
        }
        in.compact();
        try {
            while (in.position() < need) {
                if (ch.read(in) < 0) {
                    throw new EOFException();
                }
            }
        } finally {
            in.flip();
        }
    }

    private void skip(final SocketChannel ch, final long len) throws IOException {
        long left = len;
        while (left > 0) {
            if (!in.hasRemaining()) {
                fill(ch, 1);
            }
            final int n = (int) Math.min(left, in.remaining());
            in.position(in.position() + n);
            left -= n;
        }
    }

    // ---- writer thread ----

    private void writeLoop() {
        final ByteBuffer header = out[0];
        while (!closed) {
            final ByteBuffer frame;
            try {
                frame = fromGuest.peekWaiting();
            } catch (InterruptedException e) {
                break;
            }
            if (frame == null) {
                break;
            }
            final SocketChannel ch = current;
            if (ch == null) {
                droppedOut = droppedOut + 1;
            } else {
                header.clear();
                header.putInt(frame.remaining()).flip();
                out[1] = frame;
                try {
                    while (header.hasRemaining() || frame.hasRemaining()) {
                        ch.write(out);
                    }
                } catch (IOException e) {
                    droppedOut = droppedOut + 1; // the reader sees the connection end and takes the link down
                }
            }
            final boolean wasFull = fromGuest.isFull();
            fromGuest.release();
            if (wasFull) {
                listener.run(); // the NIC may be holding frames back: room to send again
            }
        }
    }

    static void closeQuietly(final Closeable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (IOException e) {
            // nothing more to do with it
        }
    }
}
