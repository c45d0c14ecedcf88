package io.sublet.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HostForwardTest {
    @Test
    void qemuSyntaxBecomesPasstArguments() {
        final HostForward f = HostForward.parse("tcp:127.0.0.1:2222-:22");
        assertEquals(new HostForward(false, "127.0.0.1", 2222, 22), f);
        assertArrayEquals(new String[] {"-t", "127.0.0.1/2222:22"}, f.passtArguments());
        assertArrayEquals(new String[] {"-u", "5353:53"}, HostForward.parse("udp::5353-:53").passtArguments());
        assertArrayEquals(new String[] {"-t", "8080:80"}, HostForward.parse("::8080-:80").passtArguments(), "tcp by default");
    }

    @Test
    void badForwardsAreNamed() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> HostForward.parse("tcp:2222:22")).getMessage()
                .contains("expected [tcp|udp]"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> HostForward.parse("tcp::2222-10.0.2.15:22"))
                .getMessage().contains("guest address must be empty"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> HostForward.parse("tcp::70000-:22")).getMessage()
                .contains("port 70000"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> HostForward.parse("tcp::0-:22")).getMessage()
                .contains("port 0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> HostForward.parse("sctp::1-:2")).getMessage()
                .contains("expected"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> HostForward.parse("tcp:localhost:1-:2")).getMessage()
                .contains("not a numeric address"));
    }
}
