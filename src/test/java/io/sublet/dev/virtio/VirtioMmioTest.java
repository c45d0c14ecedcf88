package io.sublet.dev.virtio;

import static io.sublet.dev.virtio.VirtioMmio.CONFIG;
import static io.sublet.dev.virtio.VirtioMmio.CONFIG_GENERATION;
import static io.sublet.dev.virtio.VirtioMmio.DEVICE_FEATURES;
import static io.sublet.dev.virtio.VirtioMmio.DEVICE_FEATURES_SEL;
import static io.sublet.dev.virtio.VirtioMmio.DEVICE_ID;
import static io.sublet.dev.virtio.VirtioMmio.DRIVER_FEATURES;
import static io.sublet.dev.virtio.VirtioMmio.DRIVER_FEATURES_SEL;
import static io.sublet.dev.virtio.VirtioMmio.INTERRUPT_ACK;
import static io.sublet.dev.virtio.VirtioMmio.INTERRUPT_STATUS;
import static io.sublet.dev.virtio.VirtioMmio.MAGIC_VALUE;
import static io.sublet.dev.virtio.VirtioMmio.QUEUE_DESC_LOW;
import static io.sublet.dev.virtio.VirtioMmio.QUEUE_READY;
import static io.sublet.dev.virtio.VirtioMmio.QUEUE_RESET;
import static io.sublet.dev.virtio.VirtioMmio.QUEUE_SEL;
import static io.sublet.dev.virtio.VirtioMmio.QUEUE_SIZE;
import static io.sublet.dev.virtio.VirtioMmio.QUEUE_SIZE_MAX;
import static io.sublet.dev.virtio.VirtioMmio.SHM_BASE_HIGH;
import static io.sublet.dev.virtio.VirtioMmio.SHM_LEN_LOW;
import static io.sublet.dev.virtio.VirtioMmio.SHM_SEL;
import static io.sublet.dev.virtio.VirtioMmio.STATUS;
import static io.sublet.dev.virtio.VirtioMmio.VENDOR_ID_REG;
import static io.sublet.dev.virtio.VirtioMmio.VERSION_REG;
import static io.sublet.dev.virtio.Virtio.STATUS_ACKNOWLEDGE;
import static io.sublet.dev.virtio.Virtio.STATUS_DRIVER;
import static io.sublet.dev.virtio.Virtio.STATUS_DRIVER_OK;
import static io.sublet.dev.virtio.Virtio.STATUS_FAILED;
import static io.sublet.dev.virtio.Virtio.STATUS_FEATURES_OK;
import static io.sublet.dev.virtio.Virtio.STATUS_NEEDS_RESET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sublet.dev.virtio.TestDriver.Buf;
import io.sublet.mem.BusFault;
import io.sublet.mem.Ram;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The virtio-mmio transport: registers, status state machine, feature negotiation, queue setup, interrupts. */
class VirtioMmioTest {
    private final Ram ram = TestDriver.newRam();
    private final GuestMemory mem = new GuestMemory(ram);
    private final Line irq = new Line();
    private final TestDevice device = new TestDevice();
    private final VirtioMmio dev = new VirtioMmio(device, mem, irq);
    private final TestDriver driver = new TestDriver(ram, dev);

    /** A device with two queues of 8 and 4, feature bits 0 and 5, 8 bytes of config, that logs its hooks. */
    static final class TestDevice extends VirtioDevice {
        final List<String> log = new ArrayList<>();
        RuntimeException throwOnNotify;
        boolean refuseFeatures;

        TestDevice() {
            super(0x2a, new int[] {8, 4}, 8);
            config.putLong(0, 0x0807_0605_0403_0201L);
        }

        @Override
        protected long deviceFeatures() {
            return 1L | 1L << 5;
        }

        @Override
        protected boolean acceptFeatures(final long features) {
            return !refuseFeatures;
        }

        @Override
        protected void onNotify(final int queue) {
            log.add("notify " + queue);
            if (throwOnNotify != null) {
                throw throwOnNotify;
            }
            final Virtqueue q = queue(queue);
            while (q.pop()) {
                q.push((int) q.chain().writableLength());
            }
        }

        @Override
        protected void onReset() {
            log.add("reset");
        }

        @Override
        protected void writeConfig(final int offset, final int size, final long value) {
            log.add("config " + offset + "/" + size + "=" + value);
        }

        void change() {
            synchronized (lock()) {
                configChanged();
            }
        }
    }

    private int reg(final int off) {
        return driver.read(off);
    }

    @Test
    void identifiesItself() {
        assertEquals(0x74726976, reg(MAGIC_VALUE));
        assertEquals(2, reg(VERSION_REG));
        assertEquals(0x2a, reg(DEVICE_ID));
        assertEquals(0x4c425553, reg(VENDOR_ID_REG));
        assertEquals("SUBL", new String(new byte[] {0x53, 0x55, 0x42, 0x4c}));
        assertEquals(0, reg(STATUS));
        assertEquals(0, reg(INTERRUPT_STATUS));
        assertEquals(-1, reg(SHM_LEN_LOW), "no shared memory region");
        assertEquals(-1, reg(SHM_BASE_HIGH));
        driver.write(SHM_SEL, 0);
        assertEquals(-1, reg(SHM_LEN_LOW));
        assertEquals(0, reg(0x018), "unassigned offset");
        assertEquals(0, reg(DRIVER_FEATURES), "write-only register");
    }

    @Test
    void emptySlotIsAPlaceholderLinuxIgnores() {
        final VirtioMmio empty = VirtioMmio.empty();
        assertEquals(0x74726976, empty.load(MAGIC_VALUE, 4));
        assertEquals(2, empty.load(VERSION_REG, 4));
        assertEquals(0, empty.load(DEVICE_ID, 4));
        assertEquals(0, empty.load(DEVICE_FEATURES, 4));
        assertEquals(0, empty.load(QUEUE_SIZE_MAX, 4));
        empty.store(STATUS, 4, STATUS_ACKNOWLEDGE);
        empty.store(VirtioMmio.QUEUE_NOTIFY, 4, 0);
        assertEquals(0, empty.load(STATUS, 4), "writes are ignored");
        assertEquals(0, empty.load(CONFIG, 4));
        empty.store(CONFIG, 1, 1);
        assertEquals(0, empty.update());
    }

    @Test
    void registersAre32BitsWideConfigAnyWidth() {
        assertThrows(BusFault.class, () -> dev.load(MAGIC_VALUE, 2));
        assertThrows(BusFault.class, () -> dev.load(MAGIC_VALUE, 8));
        assertThrows(BusFault.class, () -> dev.store(STATUS, 1, 1));
        assertEquals(0, reg(STATUS));
        assertEquals(0x01, dev.load(CONFIG, 1));
        assertEquals(0x0403, dev.load(CONFIG + 2, 2));
        assertEquals(0x0807_0605L, dev.load(CONFIG + 4, 4));
        assertEquals(0x0807_0605_0403_0201L, dev.load(CONFIG, 8));
        assertEquals(0, dev.load(CONFIG + 8, 4), "beyond the device's config space");
        assertEquals(0x08, dev.load(CONFIG + 7, 4), "partly beyond");
        dev.store(CONFIG + 4, 2, 0xbeef);
        assertEquals(List.of("config 4/2=48879"), device.log);
    }

    @Test
    void offersDeviceAndTransportFeatures() {
        final long f = driver.deviceFeatures();
        assertEquals(1L | 1L << 5 | Virtio.F_VERSION_1 | Virtio.F_INDIRECT_DESC | Virtio.F_EVENT_IDX
                | Virtio.F_RING_RESET, f);
        assertEquals(1, reg(DEVICE_FEATURES) & 1);
        driver.write(DEVICE_FEATURES_SEL, 2);
        assertEquals(0, reg(DEVICE_FEATURES));
        driver.write(DEVICE_FEATURES_SEL, -1);
        assertEquals(0, reg(DEVICE_FEATURES));
    }

    @Test
    void featuresOkNeedsVersion1() {
        assertFalse(driver.negotiate(1L | Virtio.F_EVENT_IDX), "a legacy driver is refused");
        assertEquals(STATUS_ACKNOWLEDGE | STATUS_DRIVER, reg(STATUS));
        assertEquals(1, dev.refusedFeatures());
        assertTrue(driver.negotiate(Virtio.F_VERSION_1));
        assertEquals(Virtio.F_VERSION_1, dev.negotiated());
    }

    @Test
    void featuresOkRefusesWhatWasNotOffered() {
        assertFalse(driver.negotiate(Virtio.F_VERSION_1 | 1L << 3));
        assertFalse(driver.negotiate(Virtio.F_VERSION_1 | Virtio.F_RING_PACKED));
        driver.write(STATUS, 0);
        driver.write(STATUS, STATUS_ACKNOWLEDGE | STATUS_DRIVER);
        driver.write(DRIVER_FEATURES_SEL, 1);
        driver.write(DRIVER_FEATURES, 1);
        driver.write(DRIVER_FEATURES_SEL, 2);
        driver.write(DRIVER_FEATURES, 1); // feature bit 64: offered by no one
        driver.write(STATUS, STATUS_ACKNOWLEDGE | STATUS_DRIVER | STATUS_FEATURES_OK);
        assertEquals(0, reg(STATUS) & STATUS_FEATURES_OK);
        device.refuseFeatures = true;
        assertFalse(driver.negotiate(Virtio.F_VERSION_1), "the device may refuse a combination");
        assertEquals(4, dev.refusedFeatures());
    }

    @Test
    void negotiatedFeaturesAreFrozenUntilReset() {
        assertTrue(driver.negotiate(Virtio.F_VERSION_1 | 1L));
        driver.write(DRIVER_FEATURES_SEL, 0);
        driver.write(DRIVER_FEATURES, 0);
        driver.write(STATUS, reg(STATUS) | STATUS_FEATURES_OK);
        assertEquals(Virtio.F_VERSION_1 | 1L, dev.negotiated());
        driver.write(STATUS, 0);
        assertEquals(0, dev.negotiated());
    }

    @Test
    void statusBitsAreStickyAndOnlyTheDeviceSetsNeedsReset() {
        driver.write(STATUS, STATUS_ACKNOWLEDGE);
        driver.write(STATUS, STATUS_DRIVER);
        assertEquals(STATUS_ACKNOWLEDGE | STATUS_DRIVER, reg(STATUS), "a driver cannot clear bits");
        driver.write(STATUS, STATUS_NEEDS_RESET);
        assertEquals(STATUS_ACKNOWLEDGE | STATUS_DRIVER, reg(STATUS));
        driver.write(STATUS, STATUS_FAILED);
        assertEquals(STATUS_ACKNOWLEDGE | STATUS_DRIVER | STATUS_FAILED, reg(STATUS));
        driver.write(STATUS, 0);
        assertEquals(0, reg(STATUS));
        assertEquals(List.of("reset"), device.log);
        assertEquals(1, dev.resets());
    }

    @Test
    void driverOkWithoutFeaturesOkIsAnError() {
        driver.write(STATUS, STATUS_ACKNOWLEDGE | STATUS_DRIVER | STATUS_DRIVER_OK);
        assertTrue(dev.needsReset());
        assertEquals("DRIVER_OK without FEATURES_OK", dev.lastError());
        assertTrue(irq.level(), "NEEDS_RESET after DRIVER_OK raises a configuration change");
        assertEquals(Virtio.INT_CONFIG_CHANGE, reg(INTERRUPT_STATUS));
    }

    @Test
    void queueSelectionAndLimits() {
        driver.write(QUEUE_SEL, 0);
        assertEquals(8, reg(QUEUE_SIZE_MAX));
        driver.write(QUEUE_SEL, 1);
        assertEquals(4, reg(QUEUE_SIZE_MAX));
        driver.write(QUEUE_SEL, 2);
        assertEquals(0, reg(QUEUE_SIZE_MAX), "no such queue");
        assertEquals(0, reg(QUEUE_READY));
        driver.write(QUEUE_READY, 1);
        assertFalse(dev.needsReset(), "enabling a missing queue is ignored");
    }

    @Test
    void queueSetupAndTeardown() {
        assertTrue(driver.negotiateAll());
        final TestDriver.Queue q = driver.queue(0, 8, TestDriver.RAM_BASE + 0x1000);
        assertEquals(1, reg(QUEUE_READY));
        driver.write(QUEUE_SIZE, 2);
        driver.write(QUEUE_DESC_LOW, 0x1234);
        final Virtqueue vq = dev.queue(0);
        assertEquals(8, vq.size(), "a ready queue cannot be changed");
        assertEquals(q.desc, vq.descAddr());
        driver.write(QUEUE_READY, 0);
        assertEquals(0, reg(QUEUE_READY), "the driver reads 0 back after stopping a queue");
        assertFalse(dev.needsReset());
    }

    private void assertQueueRefused(final int size, final long desc, final long avail, final long used,
                                    final String reason) {
        driver.write(STATUS, 0);
        assertTrue(driver.negotiateAll());
        driver.queue(0, size, desc, avail, used);
        assertEquals(0, reg(QUEUE_READY), reason);
        assertTrue(dev.needsReset(), reason);
        assertTrue(dev.lastError().contains(reason), dev.lastError());
    }

    @Test
    void badQueueConfigurationNeedsReset() {
        final long b = TestDriver.RAM_BASE;
        assertQueueRefused(6, b, b + 0x1000, b + 0x2000, "size 6 is not a power of 2");
        assertQueueRefused(16, b, b + 0x1000, b + 0x2000, "size 16 is not a power of 2 from 1 to 8");
        assertQueueRefused(8, b + 8, b + 0x1000, b + 0x2000, "descriptor table at 0x80000008 is not 16-byte aligned");
        assertQueueRefused(8, b, b + 0x1001, b + 0x2000, "available ring at 0x80001001 is not 2-byte aligned");
        assertQueueRefused(8, b, b + 0x1000, b + 0x2002, "used ring at 0x80002002 is not 4-byte aligned");
        assertQueueRefused(8, 0x1000, b + 0x1000, b + 0x2000, "descriptor table at 0x1000 (128 bytes) is outside RAM");
        assertQueueRefused(8, b, b + TestDriver.RAM_SIZE - 8, b + 0x2000, "available ring");
        assertQueueRefused(8, b, b + 0x1000, b + TestDriver.RAM_SIZE - 60, "used ring");
        assertQueueRefused(8, b, b + 0x1000, 0xffff_ffff_ffff_fff0L, "outside RAM");
    }

    @Test
    void queueSizeZeroIsRefused() {
        assertQueueRefused(0, TestDriver.RAM_BASE, TestDriver.RAM_BASE + 0x1000, TestDriver.RAM_BASE + 0x2000,
                "size 0");
    }

    @Test
    void queueEnabledBeforeFeaturesOkIsAnError() {
        driver.write(STATUS, STATUS_ACKNOWLEDGE | STATUS_DRIVER);
        driver.queue(0, 8, TestDriver.RAM_BASE);
        assertEquals(0, reg(QUEUE_READY));
        assertEquals("queue 0 enabled before FEATURES_OK", dev.lastError());
        assertFalse(irq.level(), "no interrupt before DRIVER_OK");
        driver.write(STATUS, reg(STATUS) | STATUS_DRIVER_OK);
        assertTrue(irq.level(), "DRIVER_OK on a device that needs a reset: configuration change at once");
        assertEquals(Virtio.INT_CONFIG_CHANGE, reg(INTERRUPT_STATUS));
    }

    @Test
    void resetForgetsEverything() {
        final TestDriver.Queue[] qs = driver.start(driver.deviceFeatures(), 2, 4);
        qs[0].submit(Buf.out(driver.alloc(8), 8));
        assertTrue(irq.level());
        driver.write(QUEUE_SEL, 1);
        driver.write(STATUS, 0);
        assertEquals(0, reg(STATUS));
        assertEquals(0, reg(INTERRUPT_STATUS));
        assertFalse(irq.level());
        assertEquals(0, reg(QUEUE_READY), "QueueSel is back to 0 and queue 0 is not ready");
        driver.write(QUEUE_SEL, 1);
        assertEquals(0, reg(QUEUE_READY));
        assertEquals(0, dev.negotiated());
        assertFalse(dev.queue(0).ready());
        assertEquals(8, dev.queue(0).size(), "size back to QueueSizeMax");
    }

    @Test
    void usedBufferInterruptUntilAcknowledged() {
        final TestDriver.Queue q = driver.start(driver.deviceFeatures(), 1, 8)[0];
        assertFalse(irq.level());
        final long buf = driver.alloc(16);
        q.submit(Buf.out(buf, 16));
        assertEquals(new TestDriver.Used(0, 16), q.one());
        assertEquals(Virtio.INT_USED_BUFFER, reg(INTERRUPT_STATUS));
        assertTrue(irq.level());
        driver.write(INTERRUPT_ACK, Virtio.INT_CONFIG_CHANGE);
        assertTrue(irq.level(), "acknowledging another bit leaves it set");
        driver.write(INTERRUPT_ACK, Virtio.INT_USED_BUFFER);
        assertFalse(irq.level());
        assertEquals(0, reg(INTERRUPT_STATUS));
    }

    @Test
    void nothingIsConsumedBeforeDriverOk() {
        assertTrue(driver.negotiateAll());
        final TestDriver.Queue q = driver.queue(0, 8, TestDriver.RAM_BASE + 0x1000);
        device.log.clear();
        q.submit(Buf.out(driver.alloc(4), 4));
        assertEquals(0, q.usedIdx());
        assertEquals(List.of(), device.log);
        driver.driverOk();
        assertEquals(1, q.usedIdx(), "DRIVER_OK looks at every queue");
        assertTrue(irq.level());
    }

    @Test
    void configChangeBumpsGenerationAndInterruptsOnceDriverIsUp() {
        final int g0 = reg(CONFIG_GENERATION);
        device.change();
        assertNotEquals(g0, reg(CONFIG_GENERATION));
        assertFalse(irq.level(), "no notification before DRIVER_OK");
        driver.start(driver.deviceFeatures(), 1, 8);
        device.change();
        assertEquals(Virtio.INT_CONFIG_CHANGE, reg(INTERRUPT_STATUS));
        assertTrue(irq.level());
    }

    @Test
    void deviceExceptionsEndInNeedsResetNotInTheHost() {
        final TestDriver.Queue[] qs = driver.start(driver.deviceFeatures(), 2, 4);
        device.throwOnNotify = new IllegalStateException("boom");
        qs[1].submit(Buf.out(driver.alloc(4), 4));
        assertTrue(dev.needsReset());
        assertEquals("device failure: java.lang.IllegalStateException: boom", dev.lastError());
        assertEquals(Virtio.INT_CONFIG_CHANGE, reg(INTERRUPT_STATUS) & Virtio.INT_CONFIG_CHANGE);
        device.throwOnNotify = null;
        device.log.clear();
        qs[0].submit(Buf.out(driver.alloc(4), 4));
        assertEquals(List.of(), device.log, "a device that needs a reset is not asked to work");
        assertEquals(1, dev.deviceErrors());
    }

    @Test
    void aDeviceThatNeedsResetWorksAgainAfterReset() {
        TestDriver.Queue q = driver.start(driver.deviceFeatures(), 1, 4)[0];
        q.setAvailIdx(9);
        q.kick();
        assertTrue(dev.needsReset());
        q = driver.start(driver.deviceFeatures(), 1, 4)[0];
        assertFalse(dev.needsReset());
        assertNotNull(dev.lastError(), "the reason stays for the VMM to report");
        q.submit(Buf.out(driver.alloc(4), 4));
        assertEquals(4, q.one().len());
    }

    @Test
    void ringResetResetsOneQueue() {
        final TestDriver.Queue[] qs = driver.start(driver.deviceFeatures(), 2, 4);
        qs[0].submit(Buf.out(driver.alloc(4), 4));
        qs[1].submit(Buf.out(driver.alloc(4), 4));
        driver.write(QUEUE_SEL, 0);
        assertEquals(0, reg(QUEUE_RESET));
        driver.write(QUEUE_RESET, 1);
        assertEquals(1, reg(QUEUE_RESET), "virtio 1.2: 1 until the queue is enabled again");
        assertEquals(0, reg(QUEUE_READY));
        assertTrue(dev.queue(1).ready(), "the other queue keeps running");
        final TestDriver.Queue again = driver.queue(0, 2, TestDriver.RAM_BASE + 0x8000);
        assertEquals(0, reg(QUEUE_RESET));
        again.submit(Buf.out(driver.alloc(4), 4));
        assertEquals(new TestDriver.Used(0, 4), again.one(), "starts again from index 0 with the new size");
        assertFalse(dev.needsReset());
    }

    @Test
    void ringResetNeedsTheFeature() {
        driver.start(Virtio.F_VERSION_1, 1, 4);
        driver.write(QUEUE_SEL, 0);
        driver.write(QUEUE_RESET, 1);
        assertEquals(0, reg(QUEUE_RESET));
        assertEquals(1, reg(QUEUE_READY));
    }

    @Test
    void notifyForAMissingOrStoppedQueueIsIgnored() {
        driver.start(driver.deviceFeatures(), 1, 4);
        device.log.clear();
        driver.write(VirtioMmio.QUEUE_NOTIFY, 1);
        driver.write(VirtioMmio.QUEUE_NOTIFY, 7);
        driver.write(VirtioMmio.QUEUE_NOTIFY, 0xffff_ffffL);
        assertEquals(List.of(), device.log);
        assertFalse(dev.needsReset());
        assertEquals(3, dev.notifies());
    }

    @Test
    void failedDriverStopsTheDevice() {
        final TestDriver.Queue q = driver.start(driver.deviceFeatures(), 1, 4)[0];
        driver.write(STATUS, reg(STATUS) | STATUS_FAILED);
        q.submit(Buf.out(driver.alloc(4), 4));
        assertEquals(0, q.usedIdx());
        assertNull(dev.lastError());
    }
}
