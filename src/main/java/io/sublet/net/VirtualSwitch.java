package io.sublet.net;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * One named network: an L2 learning switch between NICs in this process. Each NIC that joins gets a
 * {@link Port}, which is its {@link NetBackend}. A frame a guest sends is forwarded to the port its
 * destination MAC was last seen on as a source, and flooded to every other port when the destination
 * is unknown, multicast or broadcast; a frame is never sent back out of the port it came in on.
 * Different switches share nothing, so networks are isolated from each other.
 *
 * <p>Forwarding copies the frame into each destination port's receive queue. A full queue (a guest
 * that does not read) drops the frame for that port only and counts it there, so one stuck VM cannot
 * stall the others. A port may have a rate limit on what its guest sends ({@link TokenBucket}): while
 * over it, the port refuses to take frames, which holds them in the guest's transmit ring.
 *
 * <p>Thread safety: each port's guest sends on its own hart thread; forwarding is serialised by the
 * switch's lock, which also makes every port's receive queue single-producer.
 */
public final class VirtualSwitch {
    public static final int MAC_TABLE = 4096;
    public static final int PORT_QUEUE = 64;

    private final String name;
    private final LongSupplier nanoClock;
    private final MacTable<Port> table = new MacTable<>(MAC_TABLE);
    private final List<Port> ports = new ArrayList<>();
    private long flooded;
    private int nextPort;

    public VirtualSwitch(final String name, final LongSupplier nanoClock) {
        this.name = name;
        this.nanoClock = nanoClock;
    }

    public VirtualSwitch(final String name) {
        this(name, System::nanoTime);
    }

    public String name() {
        return name;
    }

    /**
     * A new port; its guest may send at most {@code bytesPerSecond} (0: no limit).
     */
    public synchronized Port join(final long bytesPerSecond) {
        final Port p = new Port(nextPort++, bytesPerSecond > 0 ? TokenBucket.forRate(bytesPerSecond, nanoClock) : null);
        ports.add(p);
        return p;
    }

    /**
     * Joins another backend to this network as one more port: an uplink (a passt for outbound traffic), or
     * a VM in another process reaching the switch over a stream socket (the daemon's workers). A thread
     * moves the backend's frames into the switch; frames for the port go out through the backend, and
     * are dropped and counted when it has no room. {@link Uplink#close()} detaches and closes the backend.
     */
    public Uplink attach(final NetBackend backend) {
        final Port port = join(0);
        final Uplink up = new Uplink(port, backend);
        synchronized (this) {
            port.uplink = up;
        }
        up.start();
        return up;
    }

    public synchronized List<Port> ports() {
        return List.copyOf(ports);
    }

    /** Frames flooded (destination unknown or a group address). */
    public synchronized long flooded() {
        return flooded;
    }

    /** Addresses in the forwarding table. */
    public synchronized int learnt() {
        return table.size();
    }

    private synchronized void leave(final Port p) {
        if (ports.remove(p)) {
            table.removePort(p);
        }
    }

    private synchronized void forward(final Port from, final ByteBuffer frame) {
        final long dst = mac(frame, 0);
        final long src = mac(frame, 6);
        if (!Ethernet.isGroup(src)) {
            table.put(src, from);
        }
        final Port to = Ethernet.isGroup(dst) ? null : table.get(dst);
        if (to != null) {
            if (to != from) {
                to.deliver(frame);
            }
            return;
        }
        flooded++;
        for (int i = 0, n = ports.size(); i < n; i++) {
            final Port p = ports.get(i);
            if (p != from) {
                p.deliver(frame);
            }
        }
    }

    private static long mac(final ByteBuffer frame, final int at) {
        return (frame.getShort(at) & 0xffffL) << 32 | frame.getInt(at + 2) & 0xffff_ffffL;
    }

    /** One NIC's place on the switch. */
    public final class Port implements NetBackend {
        private final int number;
        private final TokenBucket limit;
        private final FrameQueue received = new FrameQueue(PORT_QUEUE);
        private final ByteBuffer sending = ByteBuffer.allocateDirect(Ethernet.MAX_FRAME);
        private volatile Runnable listener = () -> { };
        private volatile boolean attached = true;
        /** Set when the port is a backend's ({@link #attach}); written and read under the switch's lock. */
        private Uplink uplink;

        // Written under the switch's lock (deliveries) or by the port's sender (sends).
        private volatile long framesToGuest;
        private volatile long bytesToGuest;
        private volatile long droppedToGuest;
        private volatile long framesFromGuest;
        private volatile long bytesFromGuest;
        private volatile long droppedFromGuest;

        private Port(final int number, final TokenBucket limit) {
            this.number = number;
            this.limit = limit;
            received.setListener(() -> listener.run());
        }

        public int number() {
            return number;
        }

        /** A locally administered address unique on this switch: 52:54:01, then the name's hash, then the port. */
        public long defaultMac() {
            return 0x5254_0100_0000L | (name.hashCode() & 0xffL) << 16 | number & 0xffff;
        }

        public VirtualSwitch network() {
            return VirtualSwitch.this;
        }

        @Override
        public FrameQueue received() {
            return received;
        }

        @Override
        public ByteBuffer sendBuffer() {
            if (!attached || limit != null && !limit.ready()) {
                return null;
            }
            return sending.clear();
        }

        @Override
        public void send() {
            sending.flip();
            final int len = sending.remaining();
            if (len < Ethernet.HEADER) {
                droppedFromGuest = droppedFromGuest + 1;
                return;
            }
            if (limit != null) {
                limit.take(len);
            }
            framesFromGuest = framesFromGuest + 1;
            bytesFromGuest = bytesFromGuest + len;
            forward(this, sending);
        }

        /** Under the switch's lock. */
        private void deliver(final ByteBuffer frame) {
            frame.position(0);
            final int len = frame.remaining();
            if (uplink != null ? uplink.offer(frame) : received.offer(frame)) {
                framesToGuest = framesToGuest + 1;
                bytesToGuest = bytesToGuest + len;
            } else {
                droppedToGuest = droppedToGuest + 1;
            }
        }

        @Override
        public void setListener(final Runnable wake) {
            listener = wake;
        }

        @Override
        public boolean linkUp() {
            return attached;
        }

        @Override
        public LinkCounters counters() {
            return new LinkCounters(framesToGuest, bytesToGuest, framesFromGuest, bytesFromGuest,
                    droppedToGuest + droppedFromGuest);
        }

        @Override
        public String describe() {
            return "network " + name + " port " + number + (limit == null ? "" : ", limit " + limit.bytesPerSecond() + " B/s");
        }

        @Override
        public void close() {
            attached = false;
            leave(this);
            received.close();
        }
    }

    /** A backend attached as a port ({@link #attach}): its frames are forwarded as if its guest had sent them. */
    public final class Uplink implements AutoCloseable {
        private final Port port;
        private final NetBackend backend;
        private final Thread pump;
        private volatile boolean closed;

        private Uplink(final Port port, final NetBackend backend) {
            this.port = port;
            this.backend = backend;
            this.pump = new Thread(this::pumpLoop, "sublet-switch-" + name + "-uplink-" + port.number());
            pump.setDaemon(true);
        }

        private void start() {
            pump.start();
        }

        public Port port() {
            return port;
        }

        public NetBackend backend() {
            return backend;
        }

        /** Under the switch's lock: a frame for the far side. */
        private boolean offer(final ByteBuffer frame) {
            final ByteBuffer b = backend.sendBuffer();
            if (b == null) {
                return false;
            }
            b.put(frame);
            backend.send();
            return true;
        }

        private void pumpLoop() {
            final FrameQueue in = backend.received();
            try {
                while (!closed) {
                    final ByteBuffer f = in.peekWaiting();
                    if (f == null) {
                        break; // the backend closed
                    }
                    final ByteBuffer b = port.sendBuffer();
                    if (b != null && f.remaining() >= Ethernet.HEADER) {
                        b.put(f);
                        port.send();
                    }
                    in.release();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void close() {
            closed = true;
            port.close();
            backend.close();
            pump.interrupt();
        }
    }
}
