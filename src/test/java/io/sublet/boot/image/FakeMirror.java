package io.sublet.boot.image;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server on a free loopback port serving a map of files under {@code /debian/}, counting requests.
 * Paths in {@link #stalled} send headers and then nothing until the server stops.
 */
final class FakeMirror implements AutoCloseable {
    final Map<String, byte[]> files = new ConcurrentHashMap<>();
    final Map<String, Boolean> stalled = new ConcurrentHashMap<>();
    final AtomicInteger requests = new AtomicInteger();
    private final HttpServer server;
    private final CountDownLatch stopping = new CountDownLatch(1);

    FakeMirror() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/debian/", ex -> {
            requests.incrementAndGet();
            final String path = ex.getRequestURI().getPath().substring("/debian/".length());
            final byte[] body = files.get(path);
            try (OutputStream out = ex.getResponseBody()) {
                if (body == null) {
                    ex.sendResponseHeaders(404, -1);
                    return;
                }
                ex.sendResponseHeaders(200, body.length);
                if (stalled.containsKey(path)) {
                    out.write(body, 0, Math.min(10, body.length));
                    out.flush();
                    stopping.await(30, TimeUnit.SECONDS);
                    return;
                }
                out.write(body);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException e) {
                // the client went away
            }
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool(r -> {
            final Thread t = new Thread(r, "fake-mirror");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    URI uri() {
        return URI.create("http://" + server.getAddress().getAddress().getHostAddress() + ":"
                + server.getAddress().getPort() + "/debian/");
    }

    @Override
    public void close() {
        stopping.countDown();
        server.stop(0);
    }
}
