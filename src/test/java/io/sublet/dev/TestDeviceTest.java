package io.sublet.dev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sublet.mem.BusFault;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TestDeviceTest {
    private final List<String> events = new ArrayList<>();
    private final TestDevice dev = new TestDevice(new PowerListener() {
        @Override
        public void powerOff() {
            events.add("off");
        }

        @Override
        public void reset() {
            events.add("reset");
        }

        @Override
        public void fail(final int code) {
            events.add("fail " + code);
        }
    });

    @Test
    void decodesFinisherCommands() {
        dev.store(0, 4, 0x5555);
        dev.store(0, 4, 0x7777);
        dev.store(0, 4, (42L << 16) | 0x3333);
        dev.store(0, 4, 0xffff_3333L);
        assertEquals(List.of("off", "reset", "fail 42", "fail 65535"), events);
    }

    @Test
    void halfwordWritesWork() {
        dev.store(0, 2, 0x5555);
        dev.store(0, 2, 0x3333);
        assertEquals(List.of("off", "fail 0"), events);
    }

    @Test
    void otherValuesAndOffsetsAreIgnored() {
        dev.store(0, 4, 0x1234);
        dev.store(0, 4, 0x1_5556);
        dev.store(4, 4, 0x5555);
        assertEquals(List.of(), events);
        assertEquals(0, dev.load(0, 4));
    }

    @Test
    void byteAndDoublewordAccessesFault() {
        assertThrows(BusFault.class, () -> dev.store(0, 1, 0x55));
        assertThrows(BusFault.class, () -> dev.store(0, 8, 0x5555));
        assertThrows(BusFault.class, () -> dev.load(0, 8));
        assertEquals(List.of(), events);
    }
}
