package io.sublet.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sublet.mem.Ram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What to build, checked once with a named error; and what gets built from it. */
class MachineConfigTest {
    @Test
    void defaultsAre256MiBAndOneHart() {
        final MachineConfig c = MachineConfig.defaults();
        assertEquals(256L << 20, c.ramSize());
        assertEquals(1, c.harts());
        assertSame(c, c.validate());
        assertEquals(new MachineConfig(64L << 20, 1), c.withRamSize(64L << 20));
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(longs = {0, -4096, 100, 4095, 4097, (1L << 20) + 1})
    void ramSizeMustBeAWholeNumberOfPages(long size) {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MachineConfig.defaults().withRamSize(size).validate());
        assertTrue(e.getMessage().contains("multiple of 4 KiB") && e.getMessage().contains(Long.toString(size)),
                e.getMessage());
    }

    @Test
    void ramSizeAboveTheMaximumIsNamed() {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MachineConfig.defaults().withRamSize(4L << 30).validate());
        assertTrue(e.getMessage().contains("4096 MiB") && e.getMessage().contains("2047 MiB"), e.getMessage());
    }

    @Test
    void onlyOneHartSoFar() {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new MachineConfig(1L << 20, 2).validate());
        assertTrue(e.getMessage().contains("got 2"), e.getMessage());
    }

    @Test
    void machineValidatesAndBuildsRamAtTheBoardAddress() {
        final Machine m = new Machine(MachineConfig.defaults().withRamSize(Ram.PAGE_SIZE));
        assertEquals(0x8000_0000L, m.ram().base());
        assertEquals(Ram.PAGE_SIZE, m.ram().size());
        assertSame(m.ram(), m.bus().ram());
        assertEquals(0, m.hart().hartId());
        assertEquals(io.sublet.cpu.Priv.M, m.hart().priv(), "harts reset into M mode");
        assertThrows(IllegalArgumentException.class, () -> new Machine(new MachineConfig(4095, 1)));
    }
}
