package io.sublet.boot.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class DebianVersionTest {
    private static void less(final String a, final String b) {
        assertEquals(-1, Integer.signum(DebianVersion.compare(a, b)), a + " < " + b);
        assertEquals(1, Integer.signum(DebianVersion.compare(b, a)), b + " > " + a);
    }

    @Test
    void orderFollowsDebianPolicy() {
        less("1.0", "1.1");
        less("1.9", "1.10");
        less("1.0~rc1", "1.0");
        less("1.0~~", "1.0~");
        less("1.0", "1.0a");
        less("1.0a", "1.0+");
        less("1.0-1", "1.0-2");
        less("1.0-9", "1.0-10");
        less("2.0", "1:0.1");
        less("6.12.106-1", "6.12.107-1");
        less("1:1.37.0-6", "1:1.37.0-6+b9");
        less("1.37.0-6+b9", "1:1.0");
        less("1.0", "1.0-0.1");
        assertEquals(0, DebianVersion.compare("1.0", "1.00"));
        assertEquals(0, DebianVersion.compare("0:1.0-1", "1.0-1"));
        assertEquals(0, DebianVersion.compare("6.12.107-1", "6.12.107-1"));
    }
}
