package io.sublet.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The real passt, spoken to as a guest would: a DHCP DISCOVER frame goes in through the stream protocol
 * and passt's OFFER comes back. Traffic stays between this JVM and its passt child.
 */
class PasstBackendTest {
    private static final long MAC = 0x5254_0012_3456L;

    static void requirePasst() {
        try {
            PasstBackend.find(System.getenv().getOrDefault("PATH", "") + ":/usr/bin:/usr/sbin:/bin");
        } catch (IOException e) {
            Assumptions.abort("passt is not installed (Debian package passt): " + e.getMessage());
        }
    }

    @Test
    void aMissingPasstNamesThePackage() {
        final IOException e = assertThrows(IOException.class, () -> PasstBackend.find("/nonexistent:/also-not"));
        assertTrue(e.getMessage().contains("'passt' package") && e.getMessage().contains("apt-get install passt")
                && e.getMessage().contains("--net none"), e.getMessage());
    }

    @Test
    void passtAnswersDhcpThroughTheStreamProtocol() throws IOException {
        requirePasst();
        try (PasstBackend passt = PasstBackend.start(List.of())) {
            assertTrue(passt.linkUp(), "connected as soon as start returns");
            StreamLinkTest.send(passt, dhcpDiscover(0x1234_5678));
            ByteBuffer offer = null;
            for (int i = 0; i < 20 && offer == null; i++) { // passt may also send router advertisements
                final ByteBuffer f = ByteBuffer.wrap(StreamLinkTest.next(passt));
                if (f.getShort(12) == 0x0800 && f.get(14 + 9) == 17 && f.getShort(14 + 20 + 2) == 68) {
                    offer = f;
                }
            }
            assertTrue(offer != null, "a DHCP answer to port 68");
            final int bootp = 14 + 20 + 8;
            assertEquals(2, offer.get(bootp), "BOOTREPLY");
            assertEquals(0x1234_5678, offer.getInt(bootp + 4), "our transaction id");
            final int yiaddr = offer.getInt(bootp + 16);
            assertTrue(yiaddr != 0, "an address for us");
        }
    }

    @Test
    void forwardsAreBoundWhileRunningAndReleasedAfterClose() throws IOException {
        requirePasst();
        final int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        final PasstBackend passt = PasstBackend.start(List.of(HostForward.parse("tcp:127.0.0.1:" + port + "-:22")));
        try {
            assertTrue(passt.running());
            assertTrue(passt.describe().contains("hostfwd=tcp:127.0.0.1:" + port + "-:22"), passt.describe());
            assertThrows(IOException.class, () -> bind(port), "passt holds the forwarded port");
        } finally {
            passt.close();
        }
        assertFalse(passt.running(), "closing stops passt");
        bind(port); // and gives the port back
    }

    private static void bind(final int port) throws IOException {
        try (ServerSocketChannel s = ServerSocketChannel.open()) {
            s.bind(new InetSocketAddress("127.0.0.1", port));
        }
    }

    /** Ethernet + IPv4 + UDP 68 -> 67 + BOOTP DISCOVER, broadcast, from MAC. */
    static byte[] dhcpDiscover(final int xid) {
        final int bootpLen = 240 + 4;
        final int udpLen = 8 + bootpLen;
        final int ipLen = 20 + udpLen;
        final ByteBuffer b = ByteBuffer.allocate(14 + ipLen);
        b.putShort((short) 0xffff).putInt(0xffff_ffff).putShort((short) (MAC >>> 32)).putInt((int) MAC).putShort((short) 0x0800);
        final int ip = b.position();
        b.put((byte) 0x45).put((byte) 0).putShort((short) ipLen).putShort((short) 0).putShort((short) 0)
                .put((byte) 64).put((byte) 17).putShort((short) 0).putInt(0).putInt(0xffff_ffff);
        int sum = 0;
        for (int i = 0; i < 20; i += 2) {
            sum += b.getShort(ip + i) & 0xffff;
        }
        sum = (sum & 0xffff) + (sum >>> 16);
        b.putShort(ip + 10, (short) ~sum);
        b.putShort((short) 68).putShort((short) 67).putShort((short) udpLen).putShort((short) 0);
        final int bootp = b.position();
        b.put((byte) 1).put((byte) 1).put((byte) 6).put((byte) 0).putInt(xid);
        b.position(bootp + 10).putShort((short) 0x8000); // flags: broadcast
        b.position(bootp + 28).putShort((short) (MAC >>> 32)).putInt((int) MAC);
        b.position(bootp + 236).putInt(0x6382_5363);
        b.put((byte) 53).put((byte) 1).put((byte) 1).put((byte) 255);
        return b.array();
    }
}
