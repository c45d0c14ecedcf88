package io.sublet.dev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The guest-to-host buffer: producers never wait, a writer thread drains it, a stalled stream fills it. */
class HostOutputTest {
    private static byte[] ascii(final String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void acceptsWhatFitsAndNoMore() {
        final ByteArrayOutputStream sink = new ByteArrayOutputStream();
        final HostOutput out = new HostOutput(sink, 8);
        assertEquals(8, out.write(ascii("0123456789"), 0, 10));
        assertFalse(out.write('x'));
        assertEquals(0, out.free());
        assertEquals(8, out.drain());
        assertEquals("01234567", sink.toString(StandardCharsets.US_ASCII));
        assertEquals(8, out.free());
    }

    @Test
    void theRoomListenerHearsWhenAFullBufferDrains() {
        final HostOutput out = new HostOutput(new ByteArrayOutputStream(), 4);
        final AtomicInteger told = new AtomicInteger();
        out.setRoomListener(told::incrementAndGet);
        out.write(ascii("ab"), 0, 2);
        out.drain();
        assertEquals(0, told.get(), "nobody was refused");
        out.write(ascii("abcdef"), 0, 6);
        out.drain();
        assertEquals(1, told.get(), "a refused producer is told once there is room");
        out.drain();
        assertEquals(1, told.get());
    }

    /** A stream that blocks until released, as a pipe nobody reads. */
    private static final class StalledStream extends OutputStream {
        final CountDownLatch release = new CountDownLatch(1);
        final ByteArrayOutputStream got = new ByteArrayOutputStream();

        @Override
        public void write(final int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(final byte[] b, final int off, final int len) throws IOException {
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
            synchronized (got) {
                got.write(b, off, len);
            }
        }
    }

    @Test
    void aStalledStreamFillsTheBufferAndProducersNeverWait() throws InterruptedException {
        final StalledStream stalled = new StalledStream();
        final HostOutput out = new HostOutput(stalled, 1024);
        out.startWriter("test-writer");
        try {
            int accepted = 0;
            for (int i = 0; i < 100_000; i++) { // far beyond the bound; must return at once every time
                accepted += out.write(i) ? 1 : 0;
            }
            assertTrue(accepted >= 1024 && accepted <= 1024 + HostOutputTest.CHUNK_AT_MOST,
                    "the bound plus what the blocked writer already took: " + accepted);
            assertFalse(out.awaitDrained(60_000, 20, TimeUnit.MILLISECONDS),
                    "a stalled stream: given up, not waited for");
            stalled.release.countDown();
            assertTrue(out.awaitDrained(10_000, 10_000, TimeUnit.MILLISECONDS),
                    "released: everything accepted arrives");
            synchronized (stalled.got) {
                assertEquals(accepted, stalled.got.size());
            }
        } finally {
            stalled.release.countDown();
            out.finish();
        }
    }

    /** The writer copies out at most one chunk before it blocks in the stream. */
    static final int CHUNK_AT_MOST = 8192;

    @Test
    void theWriterThreadDeliversInOrderAndFinishes() throws InterruptedException {
        final ByteArrayOutputStream sink = new ByteArrayOutputStream();
        final HostOutput out = new HostOutput(sink, 64);
        out.startWriter("test-writer");
        final StringBuilder sent = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            final String s = i + ",";
            final byte[] b = ascii(s);
            int off = 0;
            while (off < b.length) {
                off += out.write(b, off, b.length - off); // a producer that retries, as a guest would
            }
            sent.append(s);
        }
        assertTrue(out.awaitDrained(10_000, 10_000, TimeUnit.MILLISECONDS));
        out.finish();
        synchronized (sink) {
            assertEquals(sent.toString(), sink.toString(StandardCharsets.US_ASCII));
        }
    }

    @Test
    void aWriterThatFinishedCanBeStartedAgain() throws InterruptedException {
        final ByteArrayOutputStream sink = new ByteArrayOutputStream();
        final HostOutput out = new HostOutput(sink, 64);
        out.startWriter("test-writer");
        out.write(ascii("one,"), 0, 4);
        assertTrue(out.awaitDrained(10_000, 10_000, TimeUnit.MILLISECONDS));
        out.finish();
        out.startWriter("test-writer"); // a machine run again: whether or not the old writer had ended yet
        out.write(ascii("two"), 0, 3);
        assertTrue(out.awaitDrained(10_000, 10_000, TimeUnit.MILLISECONDS), "someone drains it");
        out.finish();
        synchronized (sink) {
            assertEquals("one,two", sink.toString(StandardCharsets.US_ASCII));
        }
    }

    @Test
    void aFailingStreamCountsAndDropsAndKeepsDraining() {
        final HostOutput out = new HostOutput(new OutputStream() {
            @Override
            public void write(final int b) throws IOException {
                throw new IOException("terminal gone");
            }

            @Override
            public void write(final byte[] b, final int off, final int len) throws IOException {
                throw new IOException("terminal gone");
            }
        }, 16);
        out.write(ascii("hello"), 0, 5);
        assertEquals(5, out.drain());
        assertTrue(out.errors() >= 5);
        assertEquals(16, out.free(), "dropped, so the guest is not held up");
    }
}
