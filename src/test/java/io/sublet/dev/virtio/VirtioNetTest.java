package io.sublet.dev.virtio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sublet.dev.virtio.TestDriver.Buf;
import io.sublet.mem.Ram;
import io.sublet.net.Ethernet;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** virtio-net end to end against a Java driver and a backend in memory. */
class VirtioNetTest {
    private static final long MAC = 0x5254_0012_3456L;
    private static final int HDR = VirtioNet.HEADER_SIZE;

    private final Ram ram = TestDriver.newRam();
    private final Line irq = new Line();
    private MemoryNetBackend backend = new MemoryNetBackend();
    private VirtioNet net = new VirtioNet(backend, MAC);
    private VirtioMmio dev = new VirtioMmio(net, new GuestMemory(ram), irq);
    private TestDriver driver = new TestDriver(ram, dev);

    private void rebuild(final MemoryNetBackend b) {
        backend = b;
        net = new VirtioNet(backend, MAC);
        dev = new VirtioMmio(net, new GuestMemory(ram), irq);
        driver = new TestDriver(ram, dev);
    }

    private TestDriver.Queue[] start() {
        return driver.start(driver.deviceFeatures(), 2, 8);
    }

    static byte[] frame(final int len, final int seed) {
        final byte[] f = new byte[len];
        new Random(seed).nextBytes(f);
        f[0] = 0x52; // a unicast destination
        return f;
    }

    private long config(final int offset, final int size) {
        return dev.load(VirtioMmio.CONFIG + offset, size);
    }

    @Test
    void identityFeaturesAndConfiguration() {
        assertEquals(Virtio.ID_NET, dev.load(VirtioMmio.DEVICE_ID, 4));
        final long f = driver.deviceFeatures();
        assertEquals(VirtioNet.F_MAC | VirtioNet.F_STATUS | VirtioNet.F_MRG_RXBUF,
                f & (VirtioNet.F_MAC | VirtioNet.F_STATUS | VirtioNet.F_MRG_RXBUF));
        assertEquals(0, f & (VirtioNet.F_CSUM | VirtioNet.F_GUEST_CSUM | VirtioNet.F_CTRL_VQ | VirtioNet.F_MQ),
                "no offloads, no control queue");
        final byte[] mac = new byte[6];
        for (int i = 0; i < 6; i++) {
            mac[i] = (byte) config(VirtioNet.CONFIG_MAC + i, 1);
        }
        assertArrayEquals(new byte[] {0x52, 0x54, 0x00, 0x12, 0x34, 0x56}, mac);
        assertEquals(VirtioNet.STATUS_LINK_UP, config(VirtioNet.CONFIG_STATUS, 2));
        assertEquals(1, config(VirtioNet.CONFIG_MAX_PAIRS, 2));
    }

    @Test
    void transmitSendsTheFrameWithoutItsHeader() {
        final TestDriver.Queue tx = start()[VirtioNet.TRANSMITQ];
        final byte[] f = frame(300, 1);
        final long hdr = driver.alloc(HDR);
        final long a = driver.alloc(100);
        final long b = driver.alloc(200);
        driver.put(a, Arrays.copyOfRange(f, 0, 100));
        driver.put(b, Arrays.copyOfRange(f, 100, 300));
        tx.submit(Buf.in(hdr, HDR), Buf.in(a, 100), Buf.in(b, 200));
        assertEquals(0, tx.one().len());
        final List<byte[]> sent = backend.takeSent();
        assertEquals(1, sent.size());
        assertArrayEquals(f, sent.get(0));
        assertEquals(300, net.counters().bytesFromGuest());
    }

    @Test
    void aFrameAndItsHeaderInOneReceiveBuffer() {
        final TestDriver.Queue rx = start()[VirtioNet.RECEIVEQ];
        final long buf = driver.alloc(2048);
        rx.submit(Buf.out(buf, 2048));
        final byte[] f = frame(100, 2);
        backend.inject(f);
        dev.update();
        assertEquals(HDR + 100, rx.one().len());
        assertEquals(1, driver.u16(buf + VirtioNet.HDR_NUM_BUFFERS));
        assertArrayEquals(new byte[10], driver.get(buf, 10), "flags, gso, checksum fields zero");
        assertArrayEquals(f, driver.get(buf + HDR, 100));
        assertTrue(irq.level());
        assertEquals(100, net.counters().bytesToGuest());
    }

    @Test
    void mergeableBuffersCarryALargeFrameWithNumBuffersSet() {
        final TestDriver.Queue rx = start()[VirtioNet.RECEIVEQ];
        final long[] bufs = new long[4];
        for (int i = 0; i < 4; i++) {
            bufs[i] = driver.alloc(1000);
            rx.submit(Buf.out(bufs[i], 1000));
        }
        final byte[] f = frame(2500, 3);
        backend.inject(f);
        dev.update();
        final List<TestDriver.Used> used = rx.collect();
        assertEquals(List.of(new TestDriver.Used(0, 1000), new TestDriver.Used(1, 1000), new TestDriver.Used(2, 512)), used);
        assertEquals(3, driver.u16(bufs[0] + VirtioNet.HDR_NUM_BUFFERS));
        final byte[] got = new byte[2500];
        System.arraycopy(driver.get(bufs[0] + HDR, 1000 - HDR), 0, got, 0, 1000 - HDR);
        System.arraycopy(driver.get(bufs[1], 1000), 0, got, 1000 - HDR, 1000);
        System.arraycopy(driver.get(bufs[2], 512), 0, got, 2000 - HDR, 512);
        assertArrayEquals(f, got);
    }

    @Test
    void aFrameWaitsUntilTheRingHasRoomForAllOfIt() {
        final TestDriver.Queue rx = start()[VirtioNet.RECEIVEQ];
        final byte[] f = frame(2500, 4);
        backend.inject(f);
        dev.update();
        assertEquals(0, rx.usedIdx(), "no buffers yet");
        final long a = driver.alloc(1000);
        rx.submit(Buf.out(a, 1000));
        assertEquals(0, rx.usedIdx(), "one buffer is not enough: nothing is published");
        assertEquals(1, backend.received().size(), "the frame still waits");
        final long b = driver.alloc(2000);
        rx.submit(Buf.out(b, 2000));
        assertEquals(List.of(new TestDriver.Used(0, 1000), new TestDriver.Used(1, 1512)), rx.collect());
        assertEquals(2, driver.u16(a + VirtioNet.HDR_NUM_BUFFERS));
        assertEquals(0, net.dropped());
        assertTrue(backend.received().isEmpty());
    }

    @Test
    void aFrameLargerThanTheWholeRingIsDroppedAndTheBuffersKept() {
        final TestDriver.Queue rx = driver.start(driver.deviceFeatures(), 2, 2)[VirtioNet.RECEIVEQ];
        final long a = driver.alloc(100);
        final long b = driver.alloc(100);
        rx.submit(Buf.out(a, 100));
        rx.submit(Buf.out(b, 100));
        backend.inject(frame(1000, 5));
        final byte[] small = frame(50, 6);
        backend.inject(small);
        dev.update();
        assertEquals(1, net.dropped());
        assertEquals(List.of(new TestDriver.Used(0, HDR + 50)), rx.collect(), "the small frame used the first buffer");
        assertArrayEquals(small, driver.get(a + HDR, 50));
        assertFalse(dev.needsReset());
    }

    @Test
    void withoutMergeableBuffersAFrameTooLargeForItsBufferIsDropped() {
        final TestDriver.Queue rx = driver.start(Virtio.F_VERSION_1 | VirtioNet.F_MAC, 2, 8)[VirtioNet.RECEIVEQ];
        final long a = driver.alloc(80);
        rx.submit(Buf.out(a, 80));
        backend.inject(frame(100, 7));
        final byte[] fits = frame(60, 8);
        backend.inject(fits);
        dev.update();
        assertEquals(1, net.dropped());
        assertEquals(List.of(new TestDriver.Used(0, HDR + 60)), rx.collect());
        assertEquals(1, driver.u16(a + VirtioNet.HDR_NUM_BUFFERS));
        assertArrayEquals(fits, driver.get(a + HDR, 60));
    }

    @Test
    void framesShorterThanAnEthernetHeaderFromTheBackendAreDropped() {
        final TestDriver.Queue rx = start()[VirtioNet.RECEIVEQ];
        rx.submit(Buf.out(driver.alloc(2048), 2048));
        backend.inject(new byte[0]);
        backend.inject(new byte[Ethernet.HEADER - 1]);
        dev.update();
        assertEquals(2, net.dropped());
        assertEquals(0, rx.usedIdx());
        assertFalse(dev.needsReset());
    }

    @Test
    void aReceiveBufferTheDeviceWouldReadNeedsAReset() {
        final TestDriver.Queue rx = start()[VirtioNet.RECEIVEQ];
        backend.inject(frame(100, 9));
        final long a = driver.alloc(2048);
        rx.submit(Buf.in(a, 16), Buf.out(a + 16, 2000));
        assertTrue(dev.needsReset());
        assertTrue(dev.lastError().contains("device-readable"), dev.lastError());
    }

    @Test
    void aMergeableReceiveBufferShorterThanTheHeaderNeedsAReset() {
        final TestDriver.Queue rx = start()[VirtioNet.RECEIVEQ];
        backend.inject(frame(100, 10));
        rx.submit(Buf.out(driver.alloc(8), 8));
        assertTrue(dev.needsReset());
        assertTrue(dev.lastError().contains("shorter than the header"), dev.lastError());
    }

    @Test
    void aTransmitBufferTheDeviceWouldWriteNeedsAReset() {
        final TestDriver.Queue tx = start()[VirtioNet.TRANSMITQ];
        final long a = driver.alloc(200);
        tx.submit(Buf.in(a, 100), Buf.out(a + 100, 100));
        assertTrue(dev.needsReset());
        assertTrue(backend.takeSent().isEmpty());
    }

    @Test
    void malformedTransmitFramesAreDroppedAndTheirBuffersReturned() {
        final TestDriver.Queue tx = start()[VirtioNet.TRANSMITQ];
        final long a = driver.alloc(HDR + 5);
        tx.submit(Buf.in(a, HDR + 5)); // shorter than an Ethernet header
        final long b = driver.alloc(HDR);
        tx.submit(Buf.in(b, 6)); // shorter than the virtio header
        final long c = driver.alloc(HDR + 100);
        driver.put(c, new byte[] {0, 1}); // gso_type TCPv4, never offered
        tx.submit(Buf.in(c, HDR + 100));
        assertEquals(3, tx.collect().size());
        assertEquals(3, net.dropped());
        assertTrue(backend.takeSent().isEmpty());
        assertFalse(dev.needsReset());
    }

    @Test
    void aFullBackendHoldsFramesInTheTransmitRingUntilItHasRoom() {
        rebuild(new MemoryNetBackend(64, 1));
        final TestDriver.Queue tx = start()[VirtioNet.TRANSMITQ];
        for (int i = 0; i < 3; i++) {
            final long a = driver.alloc(HDR + 60);
            driver.put(a + HDR, frame(60, 20 + i));
            tx.submit(Buf.in(a, HDR + 60));
        }
        assertEquals(1, tx.collect().size(), "one frame taken; the others wait in the ring");
        assertArrayEquals(frame(60, 20), backend.takeSent().get(0));
        dev.update();
        assertEquals(1, tx.collect().size());
        assertArrayEquals(frame(60, 21), backend.takeSent().get(0));
        dev.update();
        assertArrayEquals(frame(60, 22), backend.takeSent().get(0));
        assertEquals(0, net.dropped());
    }

    @Test
    void linkChangesReachTheDriverAsAConfigurationChange() {
        start();
        final long generation = dev.load(VirtioMmio.CONFIG_GENERATION, 4);
        driver.write(VirtioMmio.INTERRUPT_ACK, 3);
        backend.setLinkUp(false);
        dev.update();
        assertEquals(0, config(VirtioNet.CONFIG_STATUS, 2));
        assertEquals(Virtio.INT_CONFIG_CHANGE, dev.interruptStatus() & Virtio.INT_CONFIG_CHANGE);
        assertTrue(dev.load(VirtioMmio.CONFIG_GENERATION, 4) != generation);
        backend.setLinkUp(true);
        dev.update();
        assertEquals(VirtioNet.STATUS_LINK_UP, config(VirtioNet.CONFIG_STATUS, 2));
    }

    @Test
    void manyFramesBothWaysKeepTheirOrderAndContent() {
        final TestDriver.Queue[] qs = driver.start(driver.deviceFeatures(), 2, 64);
        final TestDriver.Queue rx = qs[VirtioNet.RECEIVEQ];
        final TestDriver.Queue tx = qs[VirtioNet.TRANSMITQ];
        final long rxBufs = driver.alloc(64 * 1536);
        for (int i = 0; i < 64; i++) {
            rx.submit(Buf.out(rxBufs + 1536L * i, 1536));
        }
        for (int i = 0; i < 20; i++) {
            backend.inject(frame(60 + 70 * i, 100 + i));
        }
        dev.update();
        final List<TestDriver.Used> used = rx.collect();
        assertEquals(20, used.size(), "every frame fits one 1536-byte buffer");
        for (int i = 0; i < 20; i++) {
            final long buf = rxBufs + 1536L * used.get(i).id();
            assertEquals(1, driver.u16(buf + VirtioNet.HDR_NUM_BUFFERS));
            assertArrayEquals(frame(60 + 70 * i, 100 + i), driver.get(buf + HDR, used.get(i).len() - HDR), "frame " + i);
        }
        for (int i = 0; i < 30; i++) {
            final long a = driver.alloc(HDR + 64);
            driver.put(a + HDR, frame(64, 500 + i));
            tx.submit(Buf.in(a, HDR + 64));
        }
        final List<byte[]> sent = backend.takeSent();
        assertEquals(30, sent.size());
        for (int i = 0; i < 30; i++) {
            assertArrayEquals(frame(64, 500 + i), sent.get(i));
        }
    }

    @Test
    void savedStateIsTheMacAndLinkAndIsCheckedOnRestore() {
        start();
        backend.setLinkUp(false);
        dev.update();
        final byte[] state = net.saveState();
        final VirtioNet other = new VirtioNet(new MemoryNetBackend(), MAC);
        other.restoreState(state);
        assertEquals(0, other.config.getShort(VirtioNet.CONFIG_STATUS), "the driver was last told: link down");
        assertEquals(VirtioNet.STATUS_LINK_UP, other.readConfig(VirtioNet.CONFIG_STATUS, 2),
                "the new backend's link shows from then on");
        final VirtioNet wrongMac = new VirtioNet(new MemoryNetBackend(), MAC + 1);
        final IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> wrongMac.restoreState(state));
        assertTrue(e.getMessage().contains("52:54:00:12:34:56"), e.getMessage());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> other.restoreState(new byte[3]));
    }
}
