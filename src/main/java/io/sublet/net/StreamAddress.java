package io.sublet.net;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;

/**
 * Where a stream backend connects or listens: {@code HOST:PORT} (TCP; {@code :PORT} alone is every
 * address when listening, 127.0.0.1 when connecting) or {@code unix:PATH}, as QEMU's
 * {@code -netdev stream} takes {@code addr.type=inet} and {@code addr.type=unix}.
 */
public record StreamAddress(SocketAddress address) {
    public static StreamAddress parse(final String text, final boolean listening) {
        if (text.startsWith("unix:")) {
            final String path = text.substring("unix:".length());
            if (path.isEmpty()) {
                throw new IllegalArgumentException("'" + text + "': unix: needs a socket path");
            }
            return new StreamAddress(UnixDomainSocketAddress.of(Path.of(path)));
        }
        final String t = text.startsWith("tcp:") ? text.substring(4) : text;
        final int colon = t.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("'" + text + "': expected HOST:PORT or unix:PATH");
        }
        String host = t.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        final int port;
        try {
            port = Integer.parseInt(t.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "': port '" + t.substring(colon + 1) + "' is not a number");
        }
        if (port < 0 || port > 65535 || port == 0 && !listening) {
            throw new IllegalArgumentException("'" + text + "': port " + port + " is out of range");
        }
        if (host.isEmpty()) {
            return new StreamAddress(listening ? new InetSocketAddress(port) : new InetSocketAddress("127.0.0.1", port));
        }
        return new StreamAddress(new InetSocketAddress(host, port));
    }

    StandardProtocolFamily family() {
        return address instanceof UnixDomainSocketAddress ? StandardProtocolFamily.UNIX : null;
    }

    @Override
    public String toString() {
        if (address instanceof UnixDomainSocketAddress u) {
            return "unix:" + u.getPath();
        }
        final InetSocketAddress i = (InetSocketAddress) address;
        return i.getHostString() + ":" + i.getPort();
    }
}
