package io.sublet.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class FrameQueueTest {
    @Test
    void framesComeOutInOrderWithTheirLengths() {
        final FrameQueue q = new FrameQueue(4);
        for (int i = 1; i <= 4; i++) {
            final ByteBuffer b = q.claim();
            for (int k = 0; k < i; k++) {
                b.put((byte) i);
            }
            q.commit();
        }
        assertTrue(q.isFull());
        assertNull(q.claim(), "a full ring refuses");
        assertFalse(q.offer(ByteBuffer.wrap(new byte[1])));
        for (int i = 1; i <= 4; i++) {
            final ByteBuffer f = q.peek();
            assertEquals(i, f.remaining());
            assertEquals(i, f.get(0));
            q.release();
        }
        assertNull(q.peek());
    }

    @Test
    void offerRefusesFramesLargerThanASlot() {
        final FrameQueue q = new FrameQueue(2);
        assertFalse(q.offer(ByteBuffer.allocate(Ethernet.MAX_FRAME + 1)));
        assertTrue(q.offer(ByteBuffer.allocate(Ethernet.MAX_FRAME)));
        assertEquals(Ethernet.MAX_FRAME, q.peek().remaining());
    }

    @Test
    void capacityMustBeAPowerOfTwo() {
        assertThrows(IllegalArgumentException.class, () -> new FrameQueue(3));
    }

    @Test
    void aProducerAndAConsumerThreadPassManyFramesWithoutLoss() throws Exception {
        final FrameQueue q = new FrameQueue(8);
        final int n = 100_000;
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final Thread producer = new Thread(() -> {
            try {
                for (int i = 0; i < n; i++) {
                    final ByteBuffer b = q.claimWaiting();
                    b.putInt(i).put((byte) (i % 251));
                    q.commit();
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        producer.start();
        for (int i = 0; i < n; i++) {
            final ByteBuffer f = q.peekWaiting();
            assertEquals(5, f.remaining());
            assertEquals(i, f.getInt(0));
            assertEquals((byte) (i % 251), f.get(4));
            q.release();
        }
        producer.join();
        assertNull(failure.get());
    }

    @Test
    void closeWakesAWaitingProducer() throws Exception {
        final FrameQueue q = new FrameQueue(1);
        q.claim();
        q.commit();
        final AtomicReference<ByteBuffer> got = new AtomicReference<>(ByteBuffer.allocate(1));
        final Thread t = new Thread(() -> {
            try {
                got.set(q.claimWaiting());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        t.start();
        q.close();
        t.join();
        assertNull(got.get());
    }
}
