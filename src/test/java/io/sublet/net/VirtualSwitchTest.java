package io.sublet.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Several endpoints on switches in one process, as several VMs would be. */
class VirtualSwitchTest {
    private static final long A = 0x5254_0000_000aL;
    private static final long B = 0x5254_0000_000bL;
    private static final long C = 0x5254_0000_000cL;

    private final AtomicLong clock = new AtomicLong();

    static byte[] frame(final long dst, final long src, final int len) {
        final ByteBuffer b = ByteBuffer.allocate(len);
        b.putShort((short) (dst >>> 32)).putInt((int) dst).putShort((short) (src >>> 32)).putInt((int) src);
        b.putShort((short) 0x0800);
        while (b.hasRemaining()) {
            b.put((byte) len);
        }
        return b.array();
    }

    static void send(final NetBackend port, final byte[] frame) {
        final ByteBuffer b = port.sendBuffer();
        assertNotNull(b, "the port takes a frame");
        b.put(frame);
        port.send();
    }

    /** Frames waiting at a port, removed. */
    static int drain(final NetBackend port) {
        int n = 0;
        while (port.received().peek() != null) {
            port.received().release();
            n++;
        }
        return n;
    }

    @Test
    void unknownDestinationsAreFloodedAndLearntOnesForwarded() {
        final VirtualSwitch sw = new VirtualSwitch("lan");
        final VirtualSwitch.Port a = sw.join(0);
        final VirtualSwitch.Port b = sw.join(0);
        final VirtualSwitch.Port c = sw.join(0);
        send(a, frame(B, A, 60)); // B unknown: flooded to b and c
        assertEquals(0, drain(a), "never back out of the port it came in");
        assertEquals(1, drain(b));
        assertEquals(1, drain(c));
        send(b, frame(A, B, 60)); // A was learnt: only a
        assertEquals(1, drain(a));
        assertEquals(0, drain(c));
        send(a, frame(B, A, 70)); // B learnt now
        assertEquals(1, drain(b));
        assertEquals(0, drain(c));
        send(c, frame(Ethernet.BROADCAST, C, 42));
        assertEquals(1, drain(a));
        assertEquals(1, drain(b));
        assertEquals(3, sw.learnt());
        assertEquals(2, sw.flooded());
        final LinkCounters ca = a.counters();
        assertEquals(2, ca.framesFromGuest());
        assertEquals(130, ca.bytesFromGuest());
        assertEquals(2, ca.framesToGuest());
    }

    @Test
    void namedNetworksAreIsolated() {
        final SwitchNetworks networks = new SwitchNetworks();
        final VirtualSwitch.Port red1 = networks.network("red").join(0);
        final VirtualSwitch.Port red2 = networks.network("red").join(0);
        final VirtualSwitch.Port blue = networks.network("blue").join(0);
        assertSame(networks.network("red"), red1.network());
        send(red1, frame(Ethernet.BROADCAST, A, 60));
        send(red1, frame(C, A, 60));
        send(blue, frame(Ethernet.BROADCAST, C, 60));
        assertEquals(2, drain(red2));
        assertEquals(0, drain(blue), "nothing crosses from red to blue");
        assertEquals(0, drain(red1), "nor from blue to red");
        assertEquals(2, networks.all().size());
        assertTrue(red1.defaultMac() != red2.defaultMac(), "ports get distinct default addresses");
        assertFalse(Ethernet.isGroup(red1.defaultMac()));
    }

    @Test
    void aPortThatLeftGetsNothingAndIsForgotten() {
        final VirtualSwitch sw = new VirtualSwitch("lan");
        final VirtualSwitch.Port a = sw.join(0);
        final VirtualSwitch.Port b = sw.join(0);
        send(b, frame(A, B, 60));
        drain(a);
        b.close();
        assertFalse(b.linkUp());
        assertNull(b.sendBuffer(), "a closed port sends nothing");
        assertEquals(0, sw.learnt());
        send(a, frame(B, A, 60));
        assertEquals(1, sw.ports().size());
    }

    @Test
    void aGuestThatDoesNotReadLosesFramesItselfWithoutStallingOthers() {
        final VirtualSwitch sw = new VirtualSwitch("lan");
        final VirtualSwitch.Port a = sw.join(0);
        final VirtualSwitch.Port stuck = sw.join(0);
        final VirtualSwitch.Port c = sw.join(0);
        for (int i = 0; i < VirtualSwitch.PORT_QUEUE + 10; i++) {
            send(a, frame(Ethernet.BROADCAST, A, 60));
            assertEquals(1, drain(c));
        }
        assertEquals(VirtualSwitch.PORT_QUEUE, stuck.received().size());
        assertEquals(10, stuck.counters().dropped());
        assertEquals(0, c.counters().dropped());
    }

    @Test
    void aRateLimitHoldsTheSenderBackInsteadOfDroppingFrames() {
        final VirtualSwitch sw = new VirtualSwitch("lan", clock::get);
        final long rate = 1_000_000; // bytes per second; burst = 2 full frames (131,072 bytes)
        final VirtualSwitch.Port slow = sw.join(rate);
        final VirtualSwitch.Port other = sw.join(0);
        int sent = 0;
        while (slow.sendBuffer() != null) {
            send(slow, frame(B, A, 1500));
            sent++;
            drain(other);
        }
        assertEquals(88, sent, "the burst allowance, then refusal: 131,072 / 1,500 rounded up");
        // 88 * 1,500 = 132,000: the bucket is 928 bytes in debt.
        clock.addAndGet(500_000); // 0.5 ms: 500 bytes repay part of it
        assertNull(slow.sendBuffer(), "still in debt");
        clock.addAndGet(500_000); // 1 ms in all: 1,000 bytes
        assertNotNull(slow.sendBuffer());
        assertEquals(0, slow.counters().dropped(), "held back, not dropped");
        assertNotNull(other.sendBuffer(), "other ports are not limited");
    }

    @Test
    void theForwardingTableIsBoundedAgainstInventedAddresses() {
        final VirtualSwitch sw = new VirtualSwitch("lan");
        final VirtualSwitch.Port a = sw.join(0);
        final VirtualSwitch.Port b = sw.join(0);
        for (long i = 0; i < 10_000; i++) {
            send(a, frame(B, 0x0200_0000_0000L + i, 60));
            drain(b);
        }
        assertEquals(VirtualSwitch.MAC_TABLE * 3 / 4, sw.learnt());
        send(b, frame(0x0200_0000_0000L + 9_999, B, 60)); // not learnt: flooded, still delivered
        assertEquals(1, drain(a));
    }

    /**
     * A VM in another process reaches the switch over a stream socket: the switch's side is a stream server
     * attached as a port, the far side a stream client, as a daemon and its workers would be joined.
     */
    @Test
    void aBackendAttachedAsAPortCarriesFramesBothWays(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws java.io.IOException {
        final VirtualSwitch sw = new VirtualSwitch("lan");
        final VirtualSwitch.Port local = sw.join(0);
        final StreamAddress at = StreamAddress.parse("unix:" + dir.resolve("lan.sock"), true);
        final VirtualSwitch.Uplink up = sw.attach(StreamBackend.listen(at));
        try (StreamLink remote = StreamBackend.connect(at)) {
            StreamLinkTest.await(() -> up.backend().linkUp(), "the switch accepts the remote VM");
            send(local, frame(Ethernet.BROADCAST, A, 60));
            assertEquals(60, StreamLinkTest.next(remote).length, "a broadcast reaches the remote VM");
            StreamLinkTest.send(remote, frame(A, B, 80));
            StreamLinkTest.await(() -> local.received().peek() != null, "the remote VM's frame arrives");
            assertEquals(80, local.received().peek().remaining());
            local.received().release();
            assertEquals(2, sw.learnt(), "the remote VM's address was learnt on the attached port");
            send(local, frame(B, A, 90));
            assertEquals(90, StreamLinkTest.next(remote).length, "and frames to it go only there");
        } finally {
            up.close();
        }
        assertEquals(1, sw.ports().size(), "closing the attachment leaves the switch");
    }
}
