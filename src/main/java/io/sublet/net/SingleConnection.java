package io.sublet.net;

import java.io.IOException;
import java.nio.channels.SocketChannel;

/** A connector with one connection made in advance (a client, passt): the link ends when it does. */
final class SingleConnection implements StreamLink.Connector {
    private SocketChannel ch;

    SingleConnection(final SocketChannel ch) {
        this.ch = ch;
    }

    @Override
    public synchronized SocketChannel next() {
        final SocketChannel c = ch;
        ch = null;
        return c;
    }

    @Override
    public synchronized SocketChannel established() {
        return ch;
    }

    @Override
    public synchronized void close() throws IOException {
        if (ch != null) {
            ch.close();
        }
    }
}
