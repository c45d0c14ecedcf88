package io.sublet.dev.virtio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sublet.mem.Ram;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Device access to guest RAM: bounds on untrusted 64-bit addresses and 32-bit lengths, and the code-page hook. */
class GuestMemoryTest {
    private static final long BASE = 0x8000_0000L;
    private static final int SIZE = 64 * 1024;
    private final Ram ram = new Ram(BASE, SIZE);
    private final List<String> hook = new ArrayList<>();
    private final GuestMemory mem = new GuestMemory(ram,
            page -> hook.add(page + ":" + (ram.load(page << 12, 1) & 0xff)));

    @Test
    void containsChecksBothEndsWithoutOverflow() {
        assertTrue(mem.contains(BASE, SIZE));
        assertTrue(mem.contains(BASE + SIZE - 1, 1));
        assertTrue(mem.contains(BASE + SIZE, 0));
        assertFalse(mem.contains(BASE + SIZE, 1));
        assertFalse(mem.contains(BASE - 1, 1));
        assertFalse(mem.contains(BASE - 1, 2));
        assertFalse(mem.contains(BASE + 16, SIZE));
        assertFalse(mem.contains(0, 0));
        assertFalse(mem.contains(0xffff_ffff_ffff_fff0L, 0x20));
        assertFalse(mem.contains(0x8000_0000_0000_0000L, 1));
        assertFalse(mem.contains(Long.MAX_VALUE, 1));
        assertFalse(mem.contains(BASE, 0xffff_ffffL));
        assertFalse(mem.contains(BASE, -1));
    }

    @Test
    void everyAccessorRefusesAddressesOutsideRam() {
        final long end = BASE + SIZE;
        assertThrows(GuestMemory.OutOfRange.class, () -> mem.getU8(end));
        assertThrows(GuestMemory.OutOfRange.class, () -> mem.getU16(end - 1));
        assertThrows(GuestMemory.OutOfRange.class, () -> mem.getInt(end - 2));
        assertThrows(GuestMemory.OutOfRange.class, () -> mem.getLong(BASE - 8));
        assertThrows(GuestMemory.OutOfRange.class, () -> mem.putInt(end - 3, 1));
        assertThrows(GuestMemory.OutOfRange.class, () -> mem.putU16Release(end, 1));
        assertThrows(GuestMemory.OutOfRange.class, () -> mem.write(end - 4, new byte[8], 0, 8));
        assertThrows(GuestMemory.OutOfRange.class, () -> mem.read(0xffff_ffff_ffff_fffcL, new byte[8], 0, 8));
        assertThrows(GuestMemory.OutOfRange.class, () -> mem.readView(end - 4, 8));
        assertThrows(GuestMemory.OutOfRange.class, () -> mem.writeView(BASE - 4, 8));
        assertThrows(GuestMemory.OutOfRange.class, () -> mem.getU16Acquire(BASE + 1), "misaligned ring index");
        assertEquals(0, GuestMemory.OutOfRange.INSTANCE.getStackTrace().length, "no stack trace");
    }

    @Test
    void valuesAreLittleEndian() {
        mem.putInt(BASE + 8, 0x1122_3344);
        assertEquals(0x44, mem.getU8(BASE + 8));
        assertEquals(0x3344, mem.getU16(BASE + 8));
        assertEquals(0x1122_3344, mem.getInt(BASE + 8));
        mem.putU16Release(BASE + 16, 0xfffe);
        assertEquals(0xfffe, mem.getU16Acquire(BASE + 16));
        mem.putInt(BASE + 32, -1);
        assertEquals(0xffff_ffffL, mem.getU32(BASE + 32));
    }

    @Test
    void viewsCoverExactlyTheRange() {
        mem.write(BASE + 100, new byte[] {1, 2, 3, 4}, 0, 4);
        final ByteBuffer r = mem.readView(BASE + 101, 2);
        assertEquals(2, r.remaining());
        assertTrue(r.isReadOnly());
        assertEquals(2, r.get());
        assertEquals(3, r.get());
        final ByteBuffer w = mem.writeView(BASE + 200, 3);
        w.put(new byte[] {9, 8, 7});
        final byte[] back = new byte[3];
        mem.read(BASE + 200, back, 0, 3);
        assertArrayEquals(new byte[] {9, 8, 7}, back);
    }

    @Test
    void writesToCodePagesAreReportedBeforeTheyHappen() {
        ram.setPageFlags(1, Ram.CODE);
        ram.setPageFlags(3, Ram.CODE);
        ram.store(0x1000, 1, 0x77);
        mem.write(BASE + 0x10, new byte[] {1}, 0, 1);
        assertEquals(List.of(), hook, "page 0 holds no code");
        mem.putU8(BASE + 0x1000, 0x99);
        assertEquals(List.of("1:119"), hook, "reported with the old byte still there");
        hook.clear();
        mem.writeView(BASE + 0xff0, 0x3000);
        assertEquals(List.of("1:153", "3:0"), hook, "one report per code page in the range");
        hook.clear();
        mem.read(BASE + 0x1000, new byte[16], 0, 16);
        mem.readView(BASE + 0x1000, 16);
        assertEquals(List.of(), hook, "reads are not writes");
    }
}
