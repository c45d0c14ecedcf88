package io.sublet.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class NetSpecTest {
    @Test
    void userWithForwardsAndAMac() {
        final NetSpec s = NetSpec.parse("user,hostfwd=tcp:127.0.0.1:2222-:22,hostfwd=udp::5353-:53,mac=52:54:00:aa:bb:cc");
        assertEquals(NetSpec.Kind.USER, s.kind());
        assertEquals(List.of(new HostForward(false, "127.0.0.1", 2222, 22), new HostForward(true, "", 5353, 53)),
                s.forwards());
        assertEquals(0x5254_00aa_bbccL, s.macFor(0, null));
        assertEquals(Ethernet.defaultMac(1), NetSpec.parse("user").macFor(1, null));
    }

    @Test
    void streamAndNetworkKinds() {
        assertEquals(NetSpec.Kind.STREAM_CONNECT, NetSpec.parse("stream,connect=127.0.0.1:5555").kind());
        final NetSpec listen = NetSpec.parse("stream,listen=:5555");
        assertEquals(NetSpec.Kind.STREAM_LISTEN, listen.kind());
        assertEquals("0.0.0.0:5555", listen.address().toString());
        assertEquals("unix:/tmp/x.sock", NetSpec.parse("stream,connect=unix:/tmp/x.sock").address().toString());
        final NetSpec n = NetSpec.parse("network=lab,rate=10M");
        assertEquals(NetSpec.Kind.NETWORK, n.kind());
        assertEquals("lab", n.network());
        assertEquals(10L << 20, n.rate());
    }

    @Test
    void noneAloneMeansNoCard() {
        assertEquals(List.of(), NetSpec.parseAll(List.of("none")));
        assertEquals(2, NetSpec.parseAll(List.of("user", "network=a")).size());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> NetSpec.parseAll(List.of("none", "user")))
                .getMessage().contains("cannot be combined"));
    }

    @Test
    void mistakesAreNamed() {
        assertTrue(message("tap").contains("unknown kind 'tap'"));
        assertTrue(message("user,hostfwd=tcp::1-10.0.0.1:2").contains("guest address must be empty"));
        assertTrue(message("user,connect=1.2.3.4:5").contains("'connect=1.2.3.4:5' is not an option of user"));
        assertTrue(message("stream").contains("stream needs connect="));
        assertTrue(message("stream,connect=nowhere").contains("expected HOST:PORT or unix:PATH"));
        assertTrue(message("stream,connect=:0").contains("out of range"));
        assertTrue(message("network=lab,rate=fast").contains("rate=fast"));
        assertTrue(message("user,mac=01:00:5e:00:00:01").contains("multicast"));
        assertTrue(message("user,mac=52:54").contains("not a MAC address"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new SwitchNetworks().network("bad name"))
                .getMessage().contains("network name"));
    }

    private static String message(final String spec) {
        return assertThrows(IllegalArgumentException.class, () -> NetSpec.parse(spec)).getMessage();
    }
}
