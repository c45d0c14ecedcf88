package io.sublet.api;

import io.sublet.vmm.Host;
import io.sublet.vmm.VmmException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.unixdomain.server.UnixDomainServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The host's HTTP API (Jetty): always on a UNIX socket (mode 0600, so only the owner reaches it, as Firecracker's
 * and Cloud Hypervisor's), and on TCP only when asked, where every request must carry the bearer token or gets 401
 * and changes nothing. Refusals of every kind come back as one problem-details shape.
 */
public final class ApiServer implements AutoCloseable {
    private final Server server;
    private final ServerConnector tcp;

    private ApiServer(final Server server, final ServerConnector tcp) {
        this.server = server;
        this.tcp = tcp;
    }

    /**
     * Starts the API on {@code socket}, and on {@code listen} ("HOST:PORT", port 0 picks one) when it is not null.
     */
    public static ApiServer start(final Host host, final Path socket, final String listen, final ApiToken token)
            throws Exception {
        final QueuedThreadPool pool = new QueuedThreadPool(200, 4);
        pool.setName("api");
        pool.setDaemon(true);
        final Server server = new Server(pool);
        Files.createDirectories(socket.getParent());
        Files.deleteIfExists(socket); // a stale socket of a daemon that died; a live one is refused by start()
        final UnixDomainServerConnector unix = new UnixDomainServerConnector(server);
        unix.setUnixDomainPath(socket);
        server.addConnector(unix);
        ServerConnector tcp = null;
        if (listen != null) {
            final InetSocketAddress a = parseListen(listen);
            tcp = new ServerConnector(server);
            tcp.setHost(a.getHostString());
            tcp.setPort(a.getPort());
            server.addConnector(tcp);
        }
        server.setHandler(new Api(new Routes(host), tcp, token));
        server.start();
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
        return new ApiServer(server, tcp);
    }

    static InetSocketAddress parseListen(final String listen) {
        final int colon = listen.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("--listen " + listen + ": expected HOST:PORT, e.g. 127.0.0.1:8700");
        }
        try {
            final int port = Integer.parseInt(listen.substring(colon + 1));
            if (port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
            return InetSocketAddress.createUnresolved(listen.substring(0, colon).replace("[", "").replace("]", ""),
                    port);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--listen " + listen + ": the port must be 0..65535");
        }
    }

    /** The TCP port actually bound, or -1 without TCP. */
    public int tcpPort() {
        return tcp == null ? -1 : tcp.getLocalPort();
    }

    public void join() throws InterruptedException {
        server.join();
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }

    /** Authentication, dispatch, and the mapping of every refusal to a status and a problem body. */
    private static final class Api extends Handler.Abstract {
        private final Routes routes;
        private final Connector tcp;
        private final ApiToken token;

        Api(final Routes routes, final Connector tcp, final ApiToken token) {
            this.routes = routes;
            this.tcp = tcp;
            this.token = token;
        }

        @Override
        public boolean handle(final Request request, final Response response, final Callback callback) {
            final Exchange x = new Exchange(request, response, callback);
            try {
                if (tcp != null && request.getConnectionMetaData().getConnector() == tcp
                        && !token.accepts(request.getHeaders().get(HttpHeader.AUTHORIZATION))) {
                    throw new ApiException(401, request.getHeaders().get(HttpHeader.AUTHORIZATION) == null
                            ? "this TCP endpoint needs Authorization: Bearer TOKEN (sublet serve --print-token)"
                            : "the bearer token is wrong");
                }
                routes.handle(x, Request.getPathInContext(request));
            } catch (ApiException e) {
                x.problem(e.status, e.getMessage(), e.field);
            } catch (VmmException e) {
                x.problem(status(e.kind()), e.getMessage(), e.field());
            } catch (IOException e) {
                x.problem(500, "I/O error: " + e.getMessage(), null);
            } catch (RuntimeException e) {
                x.problem(500, "internal error: " + e, null);
            }
            return true;
        }

        static int status(final VmmException.Kind kind) {
            return switch (kind) {
                case NOT_FOUND -> 404;
                case CONFLICT -> 409;
                case INVALID -> 400;
                case OVER_LIMIT -> 422;
                case FAILED -> 500;
            };
        }
    }
}
