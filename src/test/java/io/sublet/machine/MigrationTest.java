package io.sublet.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sublet.machine.snapshot.SnapshotException;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stop-and-copy migration between two machines over loopback TCP: the guest goes on at the target, and every
 * failure — wrong token, a stream cut in the middle, a stream altered on the way — leaves the source running.
 */
class MigrationTest {
    private static final byte[] TOKEN = "host-token-for-tests".getBytes(StandardCharsets.US_ASCII);
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path dir;
    private VirtMachine source;
    private Thread sourceLoop;
    private final AtomicReference<ExitReason> sourceExit = new AtomicReference<>();
    private Path disk;

    @BeforeEach
    void startSource() throws Exception {
        disk = dir.resolve("shared.img");
        Files.write(disk, new byte[1 << 20]);
        source = new VirtMachine(new VirtConfig(16L << 20, SnapshotKernels.counter(dir), null, null, null, null, true)
                .withDisks(List.of(new DiskSpec(disk, false))), new ByteArrayOutputStream());
        sourceLoop = new Thread(() -> sourceExit.set(source.run()), "migration-source");
        sourceLoop.start();
    }

    @AfterEach
    void stopSource() throws Exception {
        source.requestStop(ExitReason.quit());
        sourceLoop.join(60_000);
    }

    private void assertSourceStillRuns() throws Exception {
        final long before = source.retired();
        for (int i = 0; i < 600 && source.retired() == before; i++) {
            Thread.sleep(50);
        }
        assertTrue(source.retired() > before && sourceLoop.isAlive(), "the source goes on after a failed migration");
        source.disks().get(0).write(0, ByteBuffer.wrap(new byte[512])); // and its disk is its own again
    }

    private static ServerSocket listener() throws IOException {
        return new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    }

    @Test
    void theGuestGoesOnAtTheTargetAndTheSourceStops() throws Exception {
        try (ServerSocket server = listener()) {
            final CompletableFuture<VirtMachine> target = CompletableFuture.supplyAsync(() -> {
                try {
                    return Migration.receive(server, TOKEN, TIMEOUT, dir.resolve("in.snap"), new ByteArrayOutputStream());
                } catch (IOException | SnapshotException e) {
                    throw new IllegalStateException(e);
                }
            });
            final Migration.Report r = Migration.send(source, (InetSocketAddress) server.getLocalSocketAddress(),
                    TOKEN, TIMEOUT, dir);
            final VirtMachine moved = target.get(60, TimeUnit.SECONDS);
            sourceLoop.join(60_000);
            assertTrue(sourceExit.get().message().startsWith("migrated to"), sourceExit.get().message());
            final long at = moved.hart().retiredTotal();
            assertEquals(source.hart().retiredTotal(), at, "the target starts where the source stopped");
            assertTrue(r.bytes() > 0 && r.pages() > 0 && r.downtimeMillis() > 0 && r.totalMillis() >= r.downtimeMillis(),
                    r.toString());
            moved.hart().run(10_000);
            assertTrue(moved.hart().retiredTotal() > at, "and goes on");
            moved.disks().get(0).write(512, ByteBuffer.wrap(new byte[512])); // the disk is the target's now
            moved.requestStop(ExitReason.quit());
            moved.run();
        }
    }

    @Test
    void aWrongTokenIsRefusedAndTheSourceGoesOn() throws Exception {
        try (ServerSocket server = listener()) {
            final CompletableFuture<Throwable> target = CompletableFuture.supplyAsync(() -> {
                try {
                    Migration.receive(server, "another".getBytes(StandardCharsets.US_ASCII), TIMEOUT,
                            dir.resolve("in.snap"), new ByteArrayOutputStream());
                    return null;
                } catch (IOException | SnapshotException e) {
                    return e;
                }
            });
            final IOException e = assertThrows(IOException.class, () -> Migration.send(source,
                    (InetSocketAddress) server.getLocalSocketAddress(), TOKEN, TIMEOUT, dir));
            assertTrue(e.getMessage().contains("authentication"), e.getMessage());
            assertInstanceOf(IOException.class, target.get(60, TimeUnit.SECONDS));
        }
        assertSourceStillRuns();
    }

    /** A target that authenticates properly, then reads {@code keep} bytes of the snapshot and hangs up. */
    @Test
    void aStreamCutInTheMiddleLeavesTheSourceRunning() throws Exception {
        try (ServerSocket server = listener()) {
            final Thread fake = new Thread(() -> {
                try (Socket s = server.accept()) {
                    final DataOutputStream out = new DataOutputStream(s.getOutputStream());
                    final DataInputStream in = new DataInputStream(s.getInputStream());
                    final byte[] nonce = new byte[MigrationProtocol.NONCE];
                    MigrationProtocol.hello(out);
                    out.write(nonce);
                    out.flush();
                    MigrationProtocol.expectHello(in);
                    in.readFully(new byte[32]);
                    MigrationProtocol.yes(out);
                    in.readFully(new byte[20_000]);
                } catch (IOException e) {
                    // the test looks at the source
                }
            }, "fake-target");
            fake.start();
            assertThrows(IOException.class, () -> Migration.send(source,
                    (InetSocketAddress) server.getLocalSocketAddress(), TOKEN, TIMEOUT, dir));
            fake.join(60_000);
        }
        assertSourceStillRuns();
    }

    /** A man in the middle flips one byte of the snapshot: the target's HMAC check refuses it. */
    @Test
    void anAlteredStreamIsRefusedByTheTargetAndTheSourceGoesOn() throws Exception {
        try (ServerSocket server = listener(); ServerSocket middle = listener()) {
            final CompletableFuture<Throwable> target = CompletableFuture.supplyAsync(() -> {
                try {
                    Migration.receive(server, TOKEN, TIMEOUT, dir.resolve("in.snap"), new ByteArrayOutputStream());
                    return null;
                } catch (IOException | SnapshotException e) {
                    return e;
                }
            });
            final Thread proxy = new Thread(() -> {
                try (Socket a = middle.accept(); Socket b = new Socket()) {
                    b.connect(server.getLocalSocketAddress());
                    final Thread back = new Thread(() -> pump(b, a, -1), "proxy-back");
                    back.start();
                    pump(a, b, 60_000); // past the handshake and the header: inside the state or the pages
                    back.join();
                } catch (IOException | InterruptedException e) {
                    // the test looks at both ends
                }
            }, "proxy");
            proxy.start();
            final IOException e = assertThrows(IOException.class, () -> Migration.send(source,
                    (InetSocketAddress) middle.getLocalSocketAddress(), TOKEN, TIMEOUT, dir));
            assertTrue(e.getMessage().contains("refused"), e.getMessage());
            assertInstanceOf(SnapshotException.class, target.get(60, TimeUnit.SECONDS));
            proxy.join(60_000);
        }
        assertSourceStillRuns();
        assertTrue(Files.notExists(dir.resolve("in.snap")), "the target kept nothing");
    }

    /** Copies from a to b, flipping byte number {@code flip} (or none when -1), until either side closes. */
    private static void pump(Socket a, Socket b, long flip) {
        try {
            final InputStream in = a.getInputStream();
            final OutputStream out = b.getOutputStream();
            final byte[] buf = new byte[8192];
            long at = 0;
            int n;
            while ((n = in.read(buf)) > 0) {
                if (flip >= at && flip < at + n) {
                    buf[(int) (flip - at)] ^= 0x20;
                }
                at += n;
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // one side closed
        } finally {
            try {
                b.shutdownOutput();
            } catch (IOException e) {
                // already closed
            }
        }
    }
}
