package io.sublet.mem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The physical address space: RAM, MMIO dispatch by region, sign extension, faults and mapping errors. */
class BusTest {
    private static final long RAM_BASE = 0x8000_0000L;

    /** A device that records accesses and answers loads with a fixed pattern. */
    private static final class Recorder implements Device {
        final List<String> log = new ArrayList<>();
        long answer = 0xffff_ffff_ffff_ff80L;

        @Override
        public long load(long offset, int size) {
            log.add("load " + Long.toHexString(offset) + "/" + size);
            return answer;
        }

        @Override
        public void store(long offset, int size, long value) {
            log.add("store " + Long.toHexString(offset) + "/" + size + "=" + Long.toHexString(value));
        }
    }

    private final Ram ram = new Ram(RAM_BASE, 1 << 20);
    private final Bus bus = new Bus(ram);

    @Test
    void ramThroughTheBusIsLittleEndian() {
        bus.store(RAM_BASE + 0x10, 8, 0x0807_0605_0403_0201L);
        assertEquals(0x0807_0605_0403_0201L, bus.load(RAM_BASE + 0x10, 8));
        assertEquals(0x0403_0201L, bus.load(RAM_BASE + 0x10, 4));
        assertEquals(0x0201L, bus.load(RAM_BASE + 0x10, 2));
        assertEquals(0x05, bus.load(RAM_BASE + 0x14, 1));
        assertEquals(0x05, ram.load(0x14, 1), "the bus writes the same RAM");
        assertSame(ram, bus.ram());
    }

    @Test
    void ramLoadsSignExtend() {
        bus.store(RAM_BASE, 8, 0x8000_0000_8000_8080L);
        assertEquals(0xffff_ffff_ffff_ff80L, bus.load(RAM_BASE, 1));
        assertEquals(0xffff_ffff_ffff_8080L, bus.load(RAM_BASE, 2));
        assertEquals(0xffff_ffff_8000_8080L, bus.load(RAM_BASE, 4));
        assertEquals(0x8000_0000_8000_8080L, bus.load(RAM_BASE, 8));
    }

    @Test
    void unalignedRamAccessesWork() {
        bus.store(RAM_BASE + 3, 8, 0x1122_3344_5566_7788L);
        assertEquals(0x1122_3344_5566_7788L, bus.load(RAM_BASE + 3, 8));
        assertEquals(0x5566_7788L, bus.load(RAM_BASE + 3, 4));
    }

    @ParameterizedTest(name = "size {0}: device 0x{1} -> 0x{2}")
    @CsvSource({
        "1, 80, ffffffffffffff80", "2, 8001, ffffffffffff8001", "4, 80000002, ffffffff80000002",
        "8, 8000000000000003, 8000000000000003", "1, 7f, 7f", "4, 7fffffff, 7fffffff",
    })
    void deviceLoadsAreSignExtendedBySize(int size, String device, String expected) {
        final Recorder dev = new Recorder();
        bus.map(0x1000_0000L, 0x100, dev, "uart");
        dev.answer = Long.parseUnsignedLong(device, 16);
        assertEquals(Long.parseUnsignedLong(expected, 16), bus.load(0x1000_0010L, size));
    }

    @Test
    void deviceSeesOffsetsFromItsBase() {
        final Recorder a = new Recorder();
        final Recorder b = new Recorder();
        bus.map(0x1000_0000L, 0x100, a, "uart");
        bus.map(0x0200_0000L, 0x1_0000, b, "clint");
        bus.store(0x1000_0004L, 1, 0x41);
        bus.load(0x0200_bff8L, 8);
        bus.store(0x0200_4000L, 8, 0x1234);
        assertEquals(List.of("store 4/1=41"), a.log);
        assertEquals(List.of("load bff8/8", "store 4000/8=1234"), b.log);
    }

    @Test
    void unmappedAddressIsABusFault() {
        bus.map(0x1000_0000L, 0x100, new Recorder(), "uart");
        assertSame(BusFault.INSTANCE, assertThrows(BusFault.class, () -> bus.load(0x2000_0000L, 4)));
        assertThrows(BusFault.class, () -> bus.store(0x0, 8, 1));
        assertThrows(BusFault.class, () -> bus.load(RAM_BASE + ram.size(), 1), "just past RAM");
        assertThrows(BusFault.class, () -> bus.load(RAM_BASE - 1, 1), "just below RAM");
        assertThrows(BusFault.class, () -> bus.load(0x1000_0100L, 1), "just past the device");
    }

    @Test
    void accessStraddlingTheEndOfARegionIsABusFault() {
        final Recorder dev = new Recorder();
        bus.map(0x1000_0000L, 0x100, dev, "uart");
        assertThrows(BusFault.class, () -> bus.load(0x1000_00fcL, 8));
        assertThrows(BusFault.class, () -> bus.load(RAM_BASE + ram.size() - 4, 8));
        assertTrue(dev.log.isEmpty(), "the device never sees a partial access");
    }

    @Test
    void busFaultHasNoStackTrace() {
        assertEquals(0, BusFault.INSTANCE.getStackTrace().length);
    }

    @Test
    void isMappedCoversRamAndRegions() {
        bus.map(0x1000_0000L, 0x100, new Recorder(), "uart");
        assertTrue(bus.isMapped(RAM_BASE, 8));
        assertTrue(bus.isMapped(RAM_BASE + ram.size() - 2, 2));
        assertFalse(bus.isMapped(RAM_BASE + ram.size() - 1, 2));
        assertTrue(bus.isMapped(0x1000_00ffL, 1));
        assertFalse(bus.isMapped(0x1000_0100L, 1));
        assertFalse(bus.isMapped(0, 2));
    }

    @Test
    void overlappingRegionsAreRefusedNamingBoth() {
        bus.map(0x1000_0000L, 0x1000, new Recorder(), "uart0");
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> bus.map(0x1000_0800L, 0x1000, new Recorder(), "virtio0"));
        assertTrue(e.getMessage().contains("virtio0") && e.getMessage().contains("uart0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> bus.map(0x0fff_f000L, 0x2000, new Recorder(), "below"),
                "overlapping the start");
        assertThrows(IllegalArgumentException.class,
                () -> bus.map(0x0f00_0000L, 0x1000_0000L, new Recorder(), "around"),
                "enclosing it");
    }

    @Test
    void regionOverlappingRamIsRefusedNamingRam() {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> bus.map(RAM_BASE + 0x8000, 0x1000, new Recorder(), "plic"));
        assertTrue(e.getMessage().contains("plic") && e.getMessage().contains("RAM"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> bus.map(RAM_BASE - 0x800, 0x1000, new Recorder(), "x"));
    }

    @Test
    void adjacentRegionsAreFine() {
        final Recorder a = new Recorder();
        final Recorder b = new Recorder();
        bus.map(0x1000_1000L, 0x1000, b, "virtio0");
        bus.map(0x1000_0000L, 0x1000, a, "uart0");
        bus.map(RAM_BASE - 0x1000, 0x1000, new Recorder(), "below-ram");
        bus.map(RAM_BASE + ram.size(), 0x1000, new Recorder(), "above-ram");
        bus.load(0x1000_0fffL, 1);
        bus.load(0x1000_1000L, 1);
        assertEquals(List.of("load fff/1"), a.log);
        assertEquals(List.of("load 0/1"), b.log);
    }

    @Test
    void deviceRefusalPropagatesAsBusFault() {
        bus.map(0x1000_0000L, 0x100, new Device() {
            @Override
            public long load(long offset, int size) {
                throw BusFault.INSTANCE;
            }

            @Override
            public void store(long offset, int size, long value) {
                throw BusFault.INSTANCE;
            }
        }, "picky");
        assertThrows(BusFault.class, () -> bus.load(0x1000_0000L, 8));
        assertThrows(BusFault.class, () -> bus.store(0x1000_0000L, 8, 0));
    }
}
