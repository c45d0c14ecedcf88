package io.sublet.dev.virtio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sublet.dev.virtio.TestDriver.Buf;
import io.sublet.mem.Ram;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

/** virtio-rng end to end, with a SecureRandom whose bytes the test knows. */
class VirtioRngTest {
    /** Counts up from 1: each byte it hands out is the previous one plus 1. */
    static final class CountingRandom extends SecureRandom {
        private static final long serialVersionUID = 1L;
        private byte next = 1;

        @Override
        public void nextBytes(final byte[] bytes) {
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = next++;
            }
        }
    }

    private final Ram ram = TestDriver.newRam();
    private final Line irq = new Line();
    private final VirtioRng rng = new VirtioRng(new CountingRandom());
    private final VirtioMmio dev = new VirtioMmio(rng, new GuestMemory(ram), irq);
    private final TestDriver driver = new TestDriver(ram, dev);

    @Test
    void identity() {
        assertEquals(Virtio.ID_ENTROPY, dev.load(VirtioMmio.DEVICE_ID, 4));
        assertEquals(0, driver.deviceFeatures() & 0xff_ffff, "no device features");
    }

    @Test
    void fillsWritableBuffersOnNotify() {
        final TestDriver.Queue q = driver.start(driver.deviceFeatures(), 1, 8)[0];
        final long a = driver.alloc(48);
        q.submit(Buf.out(a, 16), Buf.out(a + 32, 16));
        assertEquals(new TestDriver.Used(0, 32), q.one());
        final byte[] want = new byte[16];
        for (int i = 0; i < 16; i++) {
            want[i] = (byte) (i + 1);
        }
        assertArrayEquals(want, driver.get(a, 16));
        assertArrayEquals(new byte[16], driver.get(a + 16, 16), "the gap between the buffers is untouched");
        assertEquals(17, driver.u8(a + 32));
        assertTrue(irq.level());
        assertEquals(32, rng.counters().bytesToGuest());
    }

    @Test
    void largeBuffersGetAtMostFourKiB() {
        final TestDriver.Queue q = driver.start(driver.deviceFeatures(), 1, 8)[0];
        final long a = driver.alloc(10_000);
        q.submit(Buf.out(a, 10_000));
        assertEquals(VirtioRng.MAX_PER_REQUEST, q.one().len());
        assertEquals(0, driver.u8(a + VirtioRng.MAX_PER_REQUEST));
    }

    @Test
    void updateFillsBuffersAddedWithoutNotification() {
        final TestDriver.Queue q = driver.start(driver.deviceFeatures(), 1, 8)[0];
        q.publish(q.chain(Buf.out(driver.alloc(8), 8)));
        assertEquals(0, q.usedIdx());
        assertEquals(1, dev.update());
        assertEquals(8, q.one().len());
        assertEquals(0, dev.update());
    }

    @Test
    void updateOnAnIdleQueueWritesNothing() {
        driver.start(driver.deviceFeatures(), 1, 8);
        final byte[] before = driver.snapshot();
        assertEquals(0, dev.update());
        org.junit.jupiter.api.Assertions.assertArrayEquals(before, driver.snapshot());
    }

    @Test
    void aReadableBufferNeedsReset() {
        final TestDriver.Queue q = driver.start(driver.deviceFeatures(), 1, 8)[0];
        final long a = driver.alloc(8);
        q.submit(Buf.in(a, 4), Buf.out(a + 4, 4));
        assertTrue(dev.needsReset());
        assertEquals("virtio-rng buffer with a device-readable part", dev.lastError());
        assertArrayEquals(new byte[8], driver.get(a, 8), "nothing written");
        assertEquals(0, q.usedIdx());
        assertEquals(Virtio.INT_CONFIG_CHANGE, dev.interruptStatus());
    }

    @Test
    void zeroLengthBufferIsUsedEmpty() {
        final TestDriver.Queue q = driver.start(driver.deviceFeatures(), 1, 8)[0];
        q.submit(Buf.out(driver.alloc(1), 0));
        assertEquals(0, q.one().len());
        assertFalse(dev.needsReset());
    }
}
