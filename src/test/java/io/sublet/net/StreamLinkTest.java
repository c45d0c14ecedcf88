package io.sublet.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Random;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stream protocol against a raw socket peer that writes exactly the bytes each test wants, including
 * lengths no well-behaved peer sends. Deadlines only guard against hangs.
 */
class StreamLinkTest {
    private static final long DEADLINE_MS = 20_000;

    @TempDir
    Path dir;

    private StreamBackend.Server server;
    private StreamLink client;

    @AfterEach
    void close() {
        if (server != null) {
            server.close();
        }
        if (client != null) {
            client.close();
        }
    }

    static byte[] frame(final int len, final int seed) {
        final byte[] f = new byte[len];
        new Random(seed).nextBytes(f);
        return f;
    }

    private SocketChannel peer() throws IOException {
        server = StreamBackend.listen(StreamAddress.parse("127.0.0.1:0", true));
        final SocketChannel ch = SocketChannel.open(server.localAddress().address());
        await(server::linkUp, "the server accepts");
        return ch;
    }

    static void await(final BooleanSupplier condition, final String what) {
        final long end = System.currentTimeMillis() + DEADLINE_MS;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > end) {
                throw new AssertionError("timed out: " + what);
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    /** The next frame for the guest, taken off the queue. */
    static byte[] next(final NetBackend link) {
        await(() -> link.received().peek() != null, "a frame for the guest");
        final ByteBuffer f = link.received().peek();
        final byte[] b = new byte[f.remaining()];
        f.get(b);
        link.received().release();
        return b;
    }

    static void send(final NetBackend link, final byte[] frame) {
        await(() -> link.sendBuffer() != null, "room to send");
        link.sendBuffer().put(frame);
        link.send();
    }

    private static void write(final SocketChannel ch, final long length, final byte[] body) throws IOException {
        final ByteBuffer b = ByteBuffer.allocate(4 + body.length);
        b.putInt((int) length).put(body).flip();
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    private static byte[] readFrame(final SocketChannel ch) throws IOException {
        final ByteBuffer len = ByteBuffer.allocate(4);
        readFully(ch, len);
        final ByteBuffer body = ByteBuffer.allocate(len.getInt(0));
        readFully(ch, body);
        return body.array();
    }

    private static void readFully(final SocketChannel ch, final ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            if (ch.read(b) < 0) {
                throw new IOException("end of stream");
            }
        }
    }

    @Test
    void framesCrossBothWaysInOrder() throws IOException {
        try (SocketChannel ch = peer()) {
            for (int i = 0; i < 5; i++) {
                write(ch, 60 + 1000 * i, frame(60 + 1000 * i, i));
            }
            write(ch, Ethernet.MAX_FRAME, frame(Ethernet.MAX_FRAME, 9));
            for (int i = 0; i < 5; i++) {
                assertArrayEquals(frame(60 + 1000 * i, i), next(server));
            }
            assertArrayEquals(frame(Ethernet.MAX_FRAME, 9), next(server), "a full 64 KiB frame");
            for (int i = 0; i < 3; i++) {
                send(server, frame(100 + i, 50 + i));
            }
            for (int i = 0; i < 3; i++) {
                assertArrayEquals(frame(100 + i, 50 + i), readFrame(ch));
            }
            final LinkCounters c = server.counters();
            assertEquals(6, c.framesToGuest());
            assertEquals(3, c.framesFromGuest());
            assertEquals(303, c.bytesFromGuest());
            assertEquals(0, c.dropped());
        }
    }

    @Test
    void emptyAndOversizedFramesAreSkippedAndCounted() throws IOException {
        try (SocketChannel ch = peer()) {
            write(ch, 0, new byte[0]);
            write(ch, Ethernet.MAX_FRAME + 1, frame(Ethernet.MAX_FRAME + 1, 1));
            write(ch, 3_000_000, frame(3_000_000, 2));
            write(ch, 64, frame(64, 3));
            assertArrayEquals(frame(64, 3), next(server), "the stream stays in step after skipping");
            assertEquals(3, server.counters().dropped());
            assertTrue(server.linkUp());
        }
    }

    @Test
    void aLengthNoFrameCouldHaveEndsTheConnectionAndTheServerTakesTheNextPeer() throws IOException {
        try (SocketChannel ch = peer()) {
            write(ch, 0xffff_fff0L, new byte[16]);
            await(() -> !server.linkUp(), "the link goes down");
            assertTrue(server.lastError().contains("not a stream of frames"), server.lastError());
        }
        try (SocketChannel again = SocketChannel.open(server.localAddress().address())) {
            await(server::linkUp, "the next peer is accepted");
            write(again, 64, frame(64, 4));
            assertArrayEquals(frame(64, 4), next(server));
            assertEquals(2, server.connections());
        }
    }

    @Test
    void aFrameCutShortByThePeerLeavingIsLost() throws IOException {
        try (SocketChannel ch = peer()) {
            final ByteBuffer b = ByteBuffer.allocate(4 + 10).putInt(100).put(new byte[10]).flip();
            ch.write(b);
        }
        await(() -> !server.linkUp(), "the link goes down");
        assertNull(server.received().peek());
        assertEquals(0, server.counters().framesToGuest());
    }

    @Test
    void framesSentWithoutAPeerAreDropped() throws IOException {
        server = StreamBackend.listen(StreamAddress.parse("127.0.0.1:0", true));
        assertFalse(server.linkUp());
        send(server, frame(60, 1));
        await(() -> server.counters().dropped() == 1, "the frame is dropped");
    }

    @Test
    void twoLinksOverAUnixSocketTalkToEachOther() throws IOException {
        final StreamAddress at = StreamAddress.parse("unix:" + dir.resolve("link.sock"), true);
        server = StreamBackend.listen(at);
        client = StreamBackend.connect(at);
        await(server::linkUp, "the server accepts");
        await(client::linkUp, "the client is connected");
        send(client, frame(1500, 7));
        assertArrayEquals(frame(1500, 7), next(server));
        send(server, frame(42, 8));
        assertArrayEquals(frame(42, 8), next(client));
        server.close();
        await(() -> !client.linkUp(), "the client sees the server leave");
        server = null;
        assertFalse(dir.resolve("link.sock").toFile().exists(), "the socket file is removed");
    }

    @Test
    void aRefusedConnectionAndABusyAddressAreNamed() throws IOException {
        server = StreamBackend.listen(StreamAddress.parse("127.0.0.1:0", true));
        final String busy = server.localAddress().toString();
        final IOException inUse = assertThrows(IOException.class, () -> StreamBackend.listen(StreamAddress.parse(busy, true)));
        assertTrue(inUse.getMessage().contains("cannot listen"), inUse.getMessage());
        final String none = "unix:" + dir.resolve("nobody-here.sock");
        final IOException refused = assertThrows(IOException.class, () -> StreamBackend.connect(StreamAddress.parse(none, false)));
        assertTrue(refused.getMessage().contains("nobody-here.sock") && refused.getMessage().contains("cannot connect"),
                refused.getMessage());
    }
}
