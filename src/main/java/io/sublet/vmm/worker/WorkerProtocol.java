package io.sublet.vmm.worker;

import com.fasterxml.jackson.databind.JsonNode;
import io.sublet.vmm.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * How the daemon talks to a worker over its UNIX socket. Each connection starts with one line of JSON,
 * {@code {"op": ...}}. A control operation gets one line of JSON back, {@code {"ok": true, ...}} or
 * {@code {"ok": false, "error": ...}}, and the connection closes. {@code console} turns the connection into the
 * raw serial console: the recent output, then everything the guest prints; bytes sent are typed into the guest.
 */
public final class WorkerProtocol {
    public static final String STATUS = "status";
    public static final String PAUSE = "pause";
    public static final String RESUME = "resume";
    /** Ask the guest to power off (Magic SysRq s, u, o on its serial console). */
    public static final String POWERDOWN = "powerdown";
    /** Type bytes into the console: {@code {"op":"input","data":BASE64}}. */
    public static final String INPUT = "input";
    public static final String CONSOLE = "console";
    private static final int MAX_LINE = 1 << 20;
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        final Thread t = new Thread(r, "worker-call-watchdog");
        t.setDaemon(true);
        return t;
    });

    private WorkerProtocol() { }

    /**
     * One control call. A worker that does not answer within {@code timeoutMs} (wedged, or stopped by a debugger)
     * gets its connection closed, and the call fails with an IOException: the daemon never waits on a worker.
     */
    public static JsonNode call(final Path socket, final Map<String, Object> request, final long timeoutMs)
            throws IOException {
        try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            final ScheduledFuture<?> watchdog = WATCHDOG.schedule(() -> {
                try {
                    c.close();
                } catch (IOException e) {
                    // closing is all we wanted
                }
            }, timeoutMs, TimeUnit.MILLISECONDS);
            try {
                c.connect(UnixDomainSocketAddress.of(socket));
                writeLine(c, Json.MAPPER.writeValueAsString(request));
                final String line = readLine(c);
                if (line == null) {
                    throw new IOException("the worker closed the connection without answering");
                }
                return Json.MAPPER.readTree(line);
            } catch (IOException e) {
                if (!c.isOpen()) {
                    throw new IOException("the worker did not answer " + request.get("op") + " within " + timeoutMs
                            + " ms", e);
                }
                throw e;
            } finally {
                watchdog.cancel(false);
            }
        }
    }

    /** Opens a console connection; the caller reads and writes raw bytes and closes it. */
    public static SocketChannel openConsole(final Path socket) throws IOException {
        final SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            c.connect(UnixDomainSocketAddress.of(socket));
            writeLine(c, "{\"op\":\"" + CONSOLE + "\"}");
            return c;
        } catch (IOException e) {
            c.close();
            throw e;
        }
    }

    static void writeLine(final SocketChannel c, final String line) throws IOException {
        final ByteBuffer b = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
        while (b.hasRemaining()) {
            c.write(b);
        }
    }

    /** Reads up to a newline, byte by byte so nothing after it is consumed; null at end of stream. */
    static String readLine(final SocketChannel c) throws IOException {
        final ByteArrayOutputStream line = new ByteArrayOutputStream();
        final ByteBuffer one = ByteBuffer.allocate(1);
        while (true) {
            one.clear();
            if (c.read(one) < 0) {
                return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
            }
            final byte b = one.get(0);
            if (b == '\n') {
                return line.toString(StandardCharsets.UTF_8);
            }
            if (line.size() >= MAX_LINE) {
                throw new IOException("request line longer than " + MAX_LINE + " bytes");
            }
            line.write(b);
        }
    }
}
