package io.sublet.dev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The host-to-guest queue: bounded, never waits, drops and counts what does not fit, keeps order. */
class HostInputTest {
    @Test
    void theBoundIsTheCapacityRoundedUpToAPowerOfTwo() {
        assertEquals(4096, new HostInput(4096).capacity());
        assertEquals(8, new HostInput(5).capacity());
        assertEquals(1, new HostInput(1).capacity());
        assertThrows(IllegalArgumentException.class, () -> new HostInput(0));
    }

    @Test
    void whatDoesNotFitIsDroppedAndCountedNeverWaitedFor() {
        final HostInput in = new HostInput(8);
        final byte[] ten = "0123456789".getBytes(StandardCharsets.US_ASCII);
        assertEquals(8, in.offer(ten, 0, ten.length));
        assertEquals(2, in.dropped());
        assertFalse(in.offer('x'));
        assertEquals(3, in.dropped());
        final byte[] got = new byte[16];
        assertEquals(8, in.poll(got, 0, got.length));
        assertEquals("01234567", new String(got, 0, 8, StandardCharsets.US_ASCII), "the first ones, in order");
        assertTrue(in.isEmpty());
        assertEquals(-1, in.poll());
    }

    @Test
    void theRingWrapsAround() {
        final HostInput in = new HostInput(4);
        for (int round = 0; round < 10; round++) {
            assertEquals(3, in.offer(new byte[] {(byte) round, 1, 2}, 0, 3));
            assertEquals(round, in.poll());
            assertEquals(1, in.poll());
            assertEquals(2, in.poll());
        }
        assertEquals(0, in.dropped());
    }

    @Test
    void theListenerHearsOfEachOfferNotEachByte() {
        final HostInput in = new HostInput(4);
        final AtomicInteger told = new AtomicInteger();
        in.setListener(told::incrementAndGet);
        in.offer(new byte[100], 0, 100);
        in.offer('a');
        in.offer(new byte[0], 0, 0);
        assertEquals(2, told.get());
    }

    @Test
    void aProducerAndAConsumerOnTwoThreadsLoseNothingThatWasAccepted() throws InterruptedException {
        final HostInput in = new HostInput(64);
        final int total = 200_000;
        final long[] sums = new long[2];
        final Thread producer = new Thread(() -> {
            for (int i = 0; i < total; i++) {
                if (in.offer(i & 0xff)) {
                    sums[0] += i & 0xff;
                }
            }
        });
        producer.start();
        long got = 0;
        int b;
        while (producer.isAlive() || !in.isEmpty()) {
            if ((b = in.poll()) >= 0) {
                got += b;
            }
        }
        producer.join();
        assertEquals(sums[0], got, "every accepted byte arrived once");
    }
}
