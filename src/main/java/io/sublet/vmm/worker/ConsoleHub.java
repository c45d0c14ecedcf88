package io.sublet.vmm.worker;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The guest's console output on its way out of the worker: the hart writes into a bounded buffer and never waits;
 * a pump thread moves it to the log file and to every attached console client (several may watch at once). A
 * client that cannot keep up, or has gone, is dropped. The last {@link #HISTORY} bytes are kept, so a client that
 * attaches sees the screen it joins (the shell prompt, say).
 */
final class ConsoleHub extends OutputStream {
    static final int HISTORY = 16 << 10;
    private static final int PENDING = 256 << 10;

    private final ConsoleLog log;
    private final List<SocketChannel> clients = new CopyOnWriteArrayList<>();
    private final byte[] history = new byte[HISTORY];
    private long written;
    private byte[] pending = new byte[PENDING];
    private byte[] draining = new byte[PENDING];
    private int pendingLength;
    private long dropped;
    private volatile boolean closed;
    private final Thread pump;

    ConsoleHub(final ConsoleLog log) {
        this.log = log;
        this.pump = new Thread(this::pump, "console-pump");
        pump.setDaemon(true);
        pump.start();
    }

    @Override
    public synchronized void write(final int b) {
        if (pendingLength == pending.length) {
            dropped++; // the pump is behind by 256 KiB: the guest must not wait for the host's disk
            return;
        }
        pending[pendingLength++] = (byte) b;
        history[(int) (written++ % HISTORY)] = (byte) b;
        if (b == '\n' || pendingLength == 1) {
            notifyAll();
        }
    }

    @Override
    public synchronized void flush() {
        notifyAll();
    }

    long bytesWritten() {
        synchronized (this) {
            return written;
        }
    }

    long bytesDropped() {
        synchronized (this) {
            return dropped;
        }
    }

    /** Whether {@code text} appears in the output written after position {@code since} (within the history). */
    synchronized boolean printedSince(final long since, final String text) {
        final int n = (int) Math.min(written - since, HISTORY);
        final StringBuilder s = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            s.append((char) (history[(int) ((written - n + i) % HISTORY)] & 0xff));
        }
        return s.indexOf(text) >= 0;
    }

    /** Attaches a client: it gets the recent history first, then everything new. */
    void attach(final SocketChannel client) throws IOException {
        final byte[] recent;
        synchronized (this) {
            final int n = (int) Math.min(written, HISTORY);
            recent = new byte[n];
            for (int i = 0; i < n; i++) {
                recent[i] = history[(int) ((written - n + i) % HISTORY)];
            }
            clients.add(client); // under the lock: nothing written after the snapshot is missed
        }
        synchronized (client) {
            final ByteBuffer b = ByteBuffer.wrap(recent);
            while (b.hasRemaining()) {
                client.write(b);
            }
        }
    }

    void detach(final SocketChannel client) {
        clients.remove(client);
    }

    private void pump() {
        while (true) {
            final int n;
            synchronized (this) {
                while (pendingLength == 0 && !closed) {
                    try {
                        wait(50);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (pendingLength == 0) {
                    return;
                }
                final byte[] swap = draining;
                draining = pending;
                pending = swap;
                n = pendingLength;
                pendingLength = 0;
            }
            try {
                log.write(draining, 0, n);
            } catch (IOException e) {
                // the log's disk is full or gone: clients still get the output
            }
            for (SocketChannel c : clients) {
                try {
                    synchronized (c) {
                        final ByteBuffer b = ByteBuffer.wrap(draining, 0, n);
                        while (b.hasRemaining()) {
                            c.write(b);
                        }
                    }
                } catch (IOException e) {
                    clients.remove(c);
                }
            }
        }
    }

    /** Stops the pump after the pending output has gone out. */
    @Override
    public void close() throws IOException {
        closed = true;
        synchronized (this) {
            notifyAll();
        }
        try {
            pump.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.close();
    }
}
