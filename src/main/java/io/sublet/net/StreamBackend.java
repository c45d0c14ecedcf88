package io.sublet.net;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;

/**
 * QEMU's {@code -netdev stream} (and the older {@code -netdev socket,listen=/connect=} over TCP, which
 * frames the same way): a Sublet NIC and a QEMU NIC, another Sublet, or a script share one Ethernet
 * link over a TCP or UNIX socket.
 *
 * <ul>
 * <li>{@link #connect}: a client, as {@code server=off}; it connects once, when opened, and the link
 *     goes down for good when the peer closes.
 * <li>{@link #listen}: a server, as {@code server=on}; it accepts one peer at a time and waits for the
 *     next one when a peer leaves. A UNIX socket path is removed when the backend closes.
 * </ul>
 */
public final class StreamBackend {
    private StreamBackend() {
    }

    /** Connects to a stream server now (so a refused connection is reported at start). */
    public static StreamLink connect(final StreamAddress to) throws IOException {
        final SocketChannel ch = to.family() != null ? SocketChannel.open(to.family()) : SocketChannel.open();
        try {
            ch.connect(to.address());
            if (to.family() == null) {
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            }
        } catch (IOException e) {
            ch.close();
            throw new IOException("stream " + to + ": cannot connect: " + e.getMessage(), e);
        }
        return new StreamLink("stream client of " + to, new SingleConnection(ch));
    }

    /** Listens now (so an address in use is reported at start); peers are accepted on the link's thread. */
    public static Server listen(final StreamAddress at) throws IOException {
        final ServerSocketChannel server = at.family() != null ? ServerSocketChannel.open(at.family())
                : ServerSocketChannel.open();
        try {
            if (at.family() == null) {
                server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            }
            server.bind(at.address(), 1);
        } catch (IOException e) {
            server.close();
            throw new IOException("stream " + at + ": cannot listen: " + e.getMessage(), e);
        }
        return new Server(server);
    }

    /** A listening stream backend; {@link #localAddress()} tells where it listens (a port 0 resolved). */
    public static final class Server extends StreamLink {
        private final SocketAddress local;

        private Server(final ServerSocketChannel server) throws IOException {
            this(server, server.getLocalAddress());
        }

        private Server(final ServerSocketChannel server, final SocketAddress local) {
            super("stream server on " + new StreamAddress(local), new Accepting(server, local));
            this.local = local;
        }

        public StreamAddress localAddress() {
            return new StreamAddress(local);
        }
    }

    private static final class Accepting implements StreamLink.Connector {
        private final ServerSocketChannel server;
        private final SocketAddress local;

        Accepting(final ServerSocketChannel server, final SocketAddress local) {
            this.server = server;
            this.local = local;
        }

        @Override
        public SocketChannel next() throws IOException {
            final SocketChannel ch = server.accept();
            if (!(local instanceof UnixDomainSocketAddress)) {
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            }
            return ch;
        }

        @Override
        public void close() throws IOException {
            server.close();
            if (local instanceof UnixDomainSocketAddress u) {
                Files.deleteIfExists(u.getPath());
            }
        }
    }
}
