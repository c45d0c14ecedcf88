package io.sublet.dev.virtio;

import static io.sublet.dev.virtio.SplitRing.DESC_F_INDIRECT;
import static io.sublet.dev.virtio.SplitRing.DESC_F_NEXT;
import static io.sublet.dev.virtio.SplitRing.DESC_F_WRITE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sublet.dev.virtio.TestDriver.Buf;
import io.sublet.mem.Ram;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

/**
 * Split virtqueues through a device that only writes (virtio-rng): chains, indirect tables, notification
 * suppression, and every malformed chain the guest can build, each of which must end in NEEDS_RESET
 * with nothing written.
 */
class VirtqueueTest {
    private static final long ALL = VirtioMmio.TRANSPORT_FEATURES;
    private static final long END = TestDriver.RAM_BASE + TestDriver.RAM_SIZE;

    private final Ram ram = TestDriver.newRam();
    private final GuestMemory mem = new GuestMemory(ram);
    private final Line irq = new Line();
    private final VirtioMmio dev = new VirtioMmio(new VirtioRng(new VirtioRngTest.CountingRandom()), mem, irq);
    private final TestDriver driver = new TestDriver(ram, dev);
    private TestDriver.Queue q;

    private void start(final long features) {
        q = driver.start(features, 1, 8)[0];
    }

    private void ack() {
        driver.write(VirtioMmio.INTERRUPT_ACK, 3);
    }

    // ---- well-formed chains ----

    @Test
    void directChainScattersAcrossSegments() {
        start(ALL);
        final long a = driver.alloc(64);
        q.submit(Buf.out(a, 3), Buf.out(a + 10, 5), Buf.out(a + 20, 0), Buf.out(a + 30, 2));
        assertEquals(new TestDriver.Used(0, 10), q.one());
        assertArrayEquals(new byte[] {1, 2, 3, 0, 0, 0, 0, 0, 0, 0, 4, 5, 6, 7, 8}, driver.get(a, 15));
        assertEquals(9, driver.u8(a + 30));
    }

    @Test
    void indirectTable() {
        start(ALL);
        final long a = driver.alloc(16);
        final int head = q.indirect(Buf.out(a, 4), Buf.out(a + 8, 4));
        q.publish(head);
        q.kick();
        assertEquals(new TestDriver.Used(head, 8), q.one());
        assertEquals(5, driver.u8(a + 8));
    }

    @Test
    void directDescriptorsThenAnIndirectTable() {
        start(ALL);
        final long a = driver.alloc(32);
        final long table = driver.alloc(32);
        driver.writeDescAt(table, 0, a + 8, 4, DESC_F_WRITE | DESC_F_NEXT, 1);
        driver.writeDescAt(table, 1, a + 16, 4, DESC_F_WRITE, 0);
        q.writeDesc(3, a, 4, DESC_F_WRITE | DESC_F_NEXT, 5);
        q.writeDesc(5, table, 32, DESC_F_INDIRECT | DESC_F_WRITE, 0); // WRITE on an indirect descriptor is ignored
        q.publish(3);
        q.kick();
        assertEquals(new TestDriver.Used(3, 12), q.one());
        assertEquals(9, driver.u8(a + 16));
        assertFalse(dev.needsReset());
    }

    @Test
    void zeroLengthDescriptorsNameNoMemory() {
        start(ALL);
        final long a = driver.alloc(8);
        q.writeDesc(0, 0xdead_0000_0000L, 0, DESC_F_WRITE | DESC_F_NEXT, 1);
        q.writeDesc(1, a, 4, DESC_F_WRITE | DESC_F_NEXT, 2);
        q.writeDesc(2, 0x10, 0, 0, 0); // readable and after a writable one, but empty
        q.publish(0);
        q.kick();
        assertEquals(4, q.one().len());
        assertFalse(dev.needsReset());
    }

    // ---- notification suppression ----

    @Test
    void usedEventSuppressesInterrupts() {
        start(ALL);
        final long a = driver.alloc(64);
        q.submit(Buf.out(a, 1)); // used idx 0 -> 1 passes used_event 0
        assertTrue(irq.level());
        ack();
        q.submit(Buf.out(a, 1)); // 1 -> 2 does not pass 0
        assertFalse(irq.level());
        q.setUsedEvent(5);
        q.submit(Buf.out(a, 1)); // 2 -> 3
        assertFalse(irq.level());
        q.publish(q.chain(Buf.out(a, 1)));
        q.publish(q.chain(Buf.out(a, 1)));
        q.publish(q.chain(Buf.out(a, 1)));
        q.kick(); // 3 -> 6 in one batch passes 5: one interrupt
        assertTrue(irq.level());
        assertEquals(2, irq.rises());
        assertEquals(6, q.collect().size());
    }

    @Test
    void availEventAsksForTheNextBuffer() {
        start(ALL);
        final long a = driver.alloc(8);
        q.submit(Buf.out(a, 1));
        q.submit(Buf.out(a, 1));
        assertEquals(2, q.availEvent(), "after draining, the device wants to hear about buffer 2");
        q.publish(q.chain(Buf.out(a, 1)));
        assertEquals(1, dev.update());
        assertEquals(3, q.availEvent());
    }

    @Test
    void noInterruptFlagWithoutEventIdx() {
        start(Virtio.F_VERSION_1);
        final long a = driver.alloc(8);
        q.setAvailFlags(SplitRing.AVAIL_F_NO_INTERRUPT);
        q.submit(Buf.out(a, 1));
        assertFalse(irq.level());
        q.setAvailFlags(0);
        q.submit(Buf.out(a, 1));
        assertTrue(irq.level());
        assertEquals(0, q.availEvent(), "avail_event is not written without EVENT_IDX");
    }

    @Test
    void noInterruptFlagIsIgnoredWithEventIdx() {
        start(ALL);
        q.setAvailFlags(SplitRing.AVAIL_F_NO_INTERRUPT);
        q.submit(Buf.out(driver.alloc(8), 1));
        assertTrue(irq.level());
    }

    @Test
    void interruptEveryTimeWithoutSuppression() {
        start(Virtio.F_VERSION_1);
        final long a = driver.alloc(8);
        for (int i = 0; i < 5; i++) {
            q.submit(Buf.out(a, 1));
            assertTrue(irq.level());
            ack();
        }
        assertEquals(5, irq.rises());
    }

    // ---- malformed chains ----

    /** Builds a malformed chain, kicks, and checks NEEDS_RESET, the reason, the interrupt and untouched RAM. */
    private void assertRefused(final String reason, final Runnable build) {
        build.run();
        final byte[] before = driver.snapshot();
        final int used = q.usedIdx();
        q.kick();
        assertTrue(dev.needsReset(), reason);
        assertTrue(dev.lastError().contains(reason), dev.lastError());
        assertEquals(Virtio.INT_CONFIG_CHANGE, dev.interruptStatus() & Virtio.INT_CONFIG_CHANGE);
        assertTrue(irq.level());
        assertArrayEquals(before, driver.snapshot(), "nothing written");
        assertEquals(used, q.usedIdx());
        q.kick();
        dev.update();
        assertArrayEquals(before, driver.snapshot(), "a device that needs a reset stays still");
    }

    private long buf() {
        return driver.alloc(64);
    }

    @Test
    void bufferOutsideRam() {
        start(ALL);
        assertRefused("buffer at 0x1000 (16 bytes) is outside RAM", () -> {
            q.writeDesc(0, 0x1000, 16, DESC_F_WRITE, 0);
            q.publish(0);
        });
    }

    @Test
    void bufferCrossingTheEndOfRam() {
        start(ALL);
        assertRefused("is outside RAM", () -> {
            q.writeDesc(0, END - 8, 16, DESC_F_WRITE, 0);
            q.publish(0);
        });
    }

    @Test
    void bufferOfFourGiB() {
        start(ALL);
        assertRefused("(4294967295 bytes) is outside RAM", () -> {
            q.writeDesc(0, TestDriver.RAM_BASE, 0xffff_ffffL, DESC_F_WRITE, 0);
            q.publish(0);
        });
    }

    @Test
    void bufferAtAWrappingAddress() {
        start(ALL);
        assertRefused("outside RAM", () -> {
            q.writeDesc(0, -16L, 32, DESC_F_WRITE, 0);
            q.publish(0);
        });
    }

    @Test
    void nextBeyondTheTable() {
        start(ALL);
        assertRefused("descriptor 0 chains to 8, beyond its table of 8", () -> {
            q.writeDesc(0, buf(), 8, DESC_F_WRITE | DESC_F_NEXT, 8);
            q.publish(0);
        });
    }

    @Test
    void loop() {
        start(ALL);
        final long a = buf();
        assertRefused("descriptor chain longer than the queue size 8", () -> {
            q.writeDesc(0, a, 8, DESC_F_WRITE | DESC_F_NEXT, 1);
            q.writeDesc(1, a, 8, DESC_F_WRITE | DESC_F_NEXT, 0);
            q.publish(0);
        });
    }

    @Test
    void selfLoop() {
        start(ALL);
        final long a = buf();
        assertRefused("longer than the queue size", () -> {
            q.writeDesc(4, a, 8, DESC_F_WRITE | DESC_F_NEXT, 4);
            q.publish(4);
        });
    }

    @Test
    void loopOfEmptyDescriptors() {
        start(ALL);
        assertRefused("longer than the queue size", () -> {
            q.writeDesc(0, 0, 0, DESC_F_NEXT, 1);
            q.writeDesc(1, 0, 0, DESC_F_NEXT, 0);
            q.publish(0);
        });
    }

    @Test
    void indirectTableLongerThanTheQueue() {
        start(ALL);
        final long a = buf();
        final long table = driver.alloc(16 * 9);
        assertRefused("longer than the queue size", () -> {
            for (int i = 0; i < 9; i++) {
                driver.writeDescAt(table, i, a, 1, DESC_F_WRITE | (i < 8 ? DESC_F_NEXT : 0), i + 1);
            }
            q.writeDesc(0, table, 16 * 9, DESC_F_INDIRECT, 0);
            q.publish(0);
        });
    }

    @Test
    void loopInsideAnIndirectTable() {
        start(ALL);
        final long a = buf();
        final long table = driver.alloc(32);
        assertRefused("longer than the queue size", () -> {
            driver.writeDescAt(table, 0, a, 1, DESC_F_WRITE | DESC_F_NEXT, 1);
            driver.writeDescAt(table, 1, a, 1, DESC_F_WRITE | DESC_F_NEXT, 0);
            q.writeDesc(0, table, 32, DESC_F_INDIRECT, 0);
            q.publish(0);
        });
    }

    @Test
    void nextBeyondAnIndirectTable() {
        start(ALL);
        final long table = driver.alloc(32);
        assertRefused("descriptor 1 chains to 2, beyond its table of 2", () -> {
            driver.writeDescAt(table, 0, buf(), 1, DESC_F_WRITE | DESC_F_NEXT, 1);
            driver.writeDescAt(table, 1, buf(), 1, DESC_F_WRITE | DESC_F_NEXT, 2);
            q.writeDesc(0, table, 32, DESC_F_INDIRECT, 0);
            q.publish(0);
        });
    }

    @Test
    void indirectInsideIndirect() {
        start(ALL);
        final long table = driver.alloc(32);
        final long inner = driver.alloc(16);
        assertRefused("indirect descriptor inside an indirect table", () -> {
            driver.writeDescAt(inner, 0, buf(), 4, DESC_F_WRITE, 0);
            driver.writeDescAt(table, 0, inner, 16, DESC_F_INDIRECT, 0);
            q.writeDesc(0, table, 16, DESC_F_INDIRECT, 0);
            q.publish(0);
        });
    }

    @Test
    void emptyIndirectTable() {
        start(ALL);
        assertRefused("indirect table of 0 bytes", () -> {
            q.writeDesc(0, buf(), 0, DESC_F_INDIRECT, 0);
            q.publish(0);
        });
    }

    @Test
    void indirectTableOfPartialDescriptors() {
        start(ALL);
        assertRefused("indirect table of 24 bytes", () -> {
            q.writeDesc(0, buf(), 24, DESC_F_INDIRECT, 0);
            q.publish(0);
        });
    }

    @Test
    void indirectTableOutsideRam() {
        start(ALL);
        assertRefused("indirect table at 0xfffffff0 (32 bytes) is outside RAM", () -> {
            q.writeDesc(0, 0xffff_fff0L, 32, DESC_F_INDIRECT, 0);
            q.publish(0);
        });
    }

    @Test
    void indirectWithNext() {
        start(ALL);
        final long table = driver.alloc(16);
        assertRefused("indirect descriptor with NEXT set", () -> {
            driver.writeDescAt(table, 0, buf(), 4, DESC_F_WRITE, 0);
            q.writeDesc(0, table, 16, DESC_F_INDIRECT | DESC_F_NEXT, 1);
            q.writeDesc(1, buf(), 4, DESC_F_WRITE, 0);
            q.publish(0);
        });
    }

    @Test
    void indirectNotNegotiated() {
        start(Virtio.F_VERSION_1 | Virtio.F_EVENT_IDX);
        final long table = driver.alloc(16);
        assertRefused("VIRTIO_F_INDIRECT_DESC was not negotiated", () -> {
            driver.writeDescAt(table, 0, buf(), 4, DESC_F_WRITE, 0);
            q.writeDesc(0, table, 16, DESC_F_INDIRECT, 0);
            q.publish(0);
        });
    }

    @Test
    void readableAfterWritable() {
        start(ALL);
        assertRefused("device-readable descriptor after a device-writable one", () -> {
            q.writeDesc(0, buf(), 4, DESC_F_WRITE | DESC_F_NEXT, 1);
            q.writeDesc(1, buf(), 4, 0, 0);
            q.publish(0);
        });
    }

    @Test
    void availableIndexRunsAhead() {
        start(ALL);
        assertRefused("available index is 9 entries ahead of the device, more than the queue size 8", () -> {
            q.writeDesc(0, buf(), 4, DESC_F_WRITE, 0);
            q.setAvailIdx(9);
        });
    }

    @Test
    void availableIndexGoesBackwards() {
        start(ALL);
        q.submit(Buf.out(buf(), 1));
        q.one();
        assertRefused("65535 entries ahead", () -> q.setAvailIdx(0));
    }

    @Test
    void headBeyondTheQueue() {
        start(ALL);
        assertRefused("available ring names descriptor 8, beyond the queue size 8", () -> {
            q.setAvailRing(0, 8);
            q.setAvailIdx(1);
        });
    }

    @Test
    void headBeyondTheQueueAfterValidOnes() {
        start(ALL);
        final long a = buf();
        q.writeDesc(0, a, 1, DESC_F_WRITE, 0);
        q.setAvailRing(0, 0);
        q.setAvailRing(1, 0xffff);
        q.setAvailIdx(2);
        q.kick();
        assertEquals(1, q.usedIdx(), "the good buffer before the bad one was used");
        assertTrue(dev.needsReset());
    }

    @Test
    void otherDevicesAreUnaffected() {
        final Line otherIrq = new Line();
        final VirtioMmio other = new VirtioMmio(new VirtioRng(new SecureRandom()), mem, otherIrq);
        final TestDriver otherDriver = new TestDriver(ram, other);
        start(ALL);
        otherDriver.negotiateAll();
        final TestDriver.Queue oq2 = otherDriver.queue(0, 8, TestDriver.RAM_BASE + 0x30000);
        otherDriver.driverOk();
        q.writeDesc(0, 0x1000, 16, DESC_F_WRITE, 0);
        q.publish(0);
        q.kick();
        assertTrue(dev.needsReset());
        final long a = driver.alloc(16);
        oq2.submit(Buf.out(a, 16));
        assertEquals(16, oq2.one().len());
        assertFalse(other.needsReset());
        assertTrue(otherIrq.level());
    }
}
