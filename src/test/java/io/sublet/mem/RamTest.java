package io.sublet.mem;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Guest RAM: little-endian sized access at any alignment, bounds, bulk copies and page flags. */
class RamTest {
    private static final long BASE = 0x8000_0000L;
    private final Ram ram = new Ram(BASE, 64 * 1024);

    @Test
    void storesAreLittleEndian() {
        ram.store(0x100, 8, 0x0807_0605_0403_0201L);
        for (int k = 0; k < 8; k++) {
            assertEquals(k + 1, ram.load(0x100 + k, 1), "byte " + k);
        }
        ram.store(0x200, 4, 0xa1b2_c3d4L);
        assertEquals(0xd4, ram.load(0x200, 1) & 0xff);
        assertEquals(0xa1, ram.load(0x203, 1) & 0xff);
        ram.store(0x300, 2, 0xbeef);
        assertEquals(0xef, ram.load(0x300, 1) & 0xff);
        assertEquals(0xbe, ram.load(0x301, 1) & 0xff);
    }

    @Test
    void loadsCombineBytesLittleEndian() {
        for (int k = 0; k < 8; k++) {
            ram.store(0x400 + k, 1, 0x11 * (k + 1));
        }
        assertEquals(0x8877_6655_4433_2211L, ram.load(0x400, 8));
        assertEquals(0x4433_2211L, ram.load(0x400, 4));
        assertEquals(0x2211L, ram.load(0x400, 2));
    }

    @Test
    void loadsSignExtend() {
        ram.store(0, 8, -1L);
        ram.store(8, 8, 0);
        ram.store(8, 1, 0x80);
        ram.store(16, 2, 0x8000);
        ram.store(24, 4, 0x8000_0000L);
        assertEquals(-128, ram.load(8, 1));
        assertEquals(-32768, ram.load(16, 2));
        assertEquals(Integer.MIN_VALUE, ram.load(24, 4));
        assertEquals(-1L, ram.load(0, 8));
        ram.store(32, 4, 0x7fff_ffffL);
        assertEquals(0x7fff_ffffL, ram.load(32, 4));
    }

    @ParameterizedTest(name = "offset {0}")
    @ValueSource(ints = {1, 2, 3, 5, 7})
    void unalignedAccessesWork(int offset) {
        final int at = 0x1000 + offset;
        ram.store(at, 8, 0x0123_4567_89ab_cdefL);
        assertEquals(0x0123_4567_89ab_cdefL, ram.load(at, 8));
        assertEquals(0xffff_ffff_89ab_cdefL, ram.load(at, 4));
        assertEquals(0xffff_ffff_ffff_cdefL, ram.load(at, 2));
        ram.store(at + 16, 4, 0x1122_3344L);
        assertEquals(0x1122_3344L, ram.load(at + 16, 4));
        assertEquals(0x44, ram.load(at + 16, 1));
        ram.store(at + 32, 2, 0x5566);
        assertEquals(0x5566, ram.load(at + 32, 2));
    }

    @Test
    void narrowStoresTouchOnlyTheirBytes() {
        ram.store(0x500, 8, -1L);
        ram.store(0x502, 2, 0);
        assertEquals(0xffff_ffff_0000_ffffL, ram.load(0x500, 8));
        ram.store(0x500, 1, 0x1234); // only the low byte is stored
        assertEquals(0xffff_ffff_0000_ff34L, ram.load(0x500, 8));
    }

    @Test
    void lastBytesOfRamAreAccessible() {
        final int end = (int) ram.size();
        ram.store(end - 8, 8, 0x1122_3344_5566_7788L);
        assertEquals(0x1122_3344_5566_7788L, ram.load(end - 8, 8));
        assertEquals(0x11, ram.load(end - 1, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> ram.load(end - 4, 8));
    }

    @Test
    void containsChecksTheWholeAccess() {
        final long end = BASE + ram.size();
        assertTrue(ram.contains(BASE, 8));
        assertTrue(ram.contains(end - 8, 8));
        assertTrue(ram.contains(end - 1, 1));
        assertFalse(ram.contains(end - 7, 8), "straddles the end");
        assertFalse(ram.contains(end, 1));
        assertFalse(ram.contains(BASE - 1, 1));
        assertFalse(ram.contains(BASE - 4, 8), "straddles the start");
        assertFalse(ram.contains(0, 1));
        assertFalse(ram.contains(-8L, 8));
    }

    @Test
    void baseAndSize() {
        assertEquals(BASE, ram.base());
        assertEquals(64 * 1024, ram.size());
        assertEquals(64 * 1024, ram.bytes().capacity());
    }

    @Test
    void bulkWriteReadAndFillUsePhysicalAddresses() {
        final byte[] src = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        ram.write(BASE + 0x2001, src, 2, 5);
        final byte[] back = new byte[7];
        ram.read(BASE + 0x2000, back, 0, 7);
        assertArrayEquals(new byte[] {0, 3, 4, 5, 6, 7, 0}, back);
        ram.fill(BASE + 0x2002, 3, (byte) 0x5a);
        ram.read(BASE + 0x2000, back, 0, 7);
        assertArrayEquals(new byte[] {0, 3, 0x5a, 0x5a, 0x5a, 7, 0}, back);
    }

    @Test
    void pageFlagsArePerPage() {
        assertEquals(0, ram.pageFlags(3));
        ram.setPageFlags(3, Ram.CODE);
        assertEquals(Ram.CODE, ram.pageFlags(3));
        assertEquals(0, ram.pageFlags(2));
        assertEquals(0, ram.pageFlags(4));
        ram.setPageFlags(3, 0);
        assertEquals(0, ram.pageFlags(3));
    }

    @ParameterizedTest(name = "size {0}")
    @ValueSource(longs = {0, -4096, 1, 4095, 4097, 12 * 1024 + 1})
    void sizeMustBeAPositiveMultipleOfFourKiB(long size) {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Ram(BASE, size));
        assertTrue(e.getMessage().contains("4 KiB") && e.getMessage().contains(Long.toString(size)), e.getMessage());
    }

    @Test
    void sizeAboveTheMaximumIsRefusedWithoutAllocating() {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Ram(BASE, Ram.MAX_SIZE + Ram.PAGE_SIZE));
        assertTrue(e.getMessage().contains("2047 MiB"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Ram(BASE, 1L << 40));
    }

    @Test
    void smallestRamIsOnePage() {
        final Ram one = new Ram(BASE, Ram.PAGE_SIZE);
        assertEquals(Ram.PAGE_SIZE, one.size());
        assertTrue(one.contains(BASE + Ram.PAGE_SIZE - 8, 8));
    }
}
