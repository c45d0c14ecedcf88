package io.sublet.boot;

import static io.sublet.boot.ElfWriter.PF_R;
import static io.sublet.boot.ElfWriter.PF_W;
import static io.sublet.boot.ElfWriter.PF_X;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sublet.mem.Ram;
import org.junit.jupiter.api.Test;

/** Copying segments into RAM: file bytes at the physical address, zeros up to the memory size, range checks first. */
class ElfLoaderTest {
    private static final long BASE = 0x8000_0000L;
    private static final int SIZE = 64 * 1024;
    private final Ram ram = new Ram(BASE, SIZE);

    private static ElfImage image(ElfWriter w) throws BadImageException {
        return ElfImage.parse("prog.elf", w.build());
    }

    private int byteAt(long paddr) {
        return (int) ram.load((int) (paddr - BASE), 1) & 0xff;
    }

    @Test
    void fileBytesLandAtThePhysicalAddress() throws BadImageException {
        final byte[] code = {1, 2, 3, 4, 5, 6, 7, 8};
        ElfLoader.load(image(new ElfWriter().segment(new ElfWriter.Segment(ElfWriter.PT_LOAD, 0xffff_ffff_c000_0000L,
                BASE + 0x100, code, 8, PF_R | PF_X))), ram);
        assertEquals(0x0807_0605_0403_0201L, ram.load(0x100, 8));
    }

    @Test
    void bssIsZeroedUpToTheMemorySizeAndNoFurther() throws BadImageException {
        ram.fill(BASE, SIZE, (byte) 0xaa);
        ElfLoader.load(image(new ElfWriter().load(BASE + 0x1000, new byte[] {9, 9, 9, 9}, 64, PF_R | PF_W)), ram);
        assertEquals(9, byteAt(BASE + 0x1003));
        for (long a = BASE + 0x1004; a < BASE + 0x1040; a++) {
            assertEquals(0, byteAt(a), "bss byte at 0x" + Long.toHexString(a));
        }
        assertEquals(0xaa, byteAt(BASE + 0x1040), "past the segment");
        assertEquals(0xaa, byteAt(BASE + 0xfff), "before the segment");
    }

    @Test
    void segmentFillingRamExactlyIsAccepted() throws BadImageException {
        ElfLoader.load(image(new ElfWriter().load(BASE, new byte[] {1}, SIZE, PF_R | PF_W)), ram);
        assertEquals(1, byteAt(BASE));
    }

    private void assertOutside(long paddr, long memSize, String range) {
        final BadImageException e = assertThrows(BadImageException.class,
                () -> ElfLoader.load(image(new ElfWriter().load(paddr, new byte[] {1}, memSize, PF_R)), ram));
        assertEquals("prog.elf: segment 0 at " + range + " lies outside RAM [0x80000000, 0x80010000); "
                + "use --mem to enlarge RAM", e.getMessage());
    }

    @Test
    void segmentOutsideRamIsRefusedNamingTheRanges() {
        assertOutside(0x1000, 0x100, "[0x1000, 0x1100)");
        assertOutside(BASE - 8, 16, "[0x7ffffff8, 0x80000008)");
        assertOutside(BASE + SIZE - 8, 16, "[0x8000fff8, 0x80010008)");
        assertOutside(BASE + SIZE, 1, "[0x80010000, 0x80010001)");
    }

    @Test
    void segmentWhoseEndWrapsAroundIsRefused() {
        final BadImageException e = assertThrows(BadImageException.class, () -> ElfLoader.load(
                image(new ElfWriter().load(0xffff_ffff_ffff_fff0L, new byte[] {1}, 0x20, PF_R)), ram));
        assertTrue(e.getMessage().contains("lies outside RAM"), e.getMessage());
    }

    @Test
    void memorySizeWithBit63SetIsRefused() {
        final BadImageException e = assertThrows(BadImageException.class, () -> ElfLoader.load(
                image(new ElfWriter().load(BASE, new byte[] {1}, 0x8000_0000_0000_0000L, PF_R)), ram));
        assertTrue(e.getMessage().contains("lies outside RAM"), e.getMessage());
    }

    @Test
    void nothingIsWrittenWhenALaterSegmentIsOutsideRam() {
        final BadImageException e = assertThrows(BadImageException.class, () -> ElfLoader.load(image(new ElfWriter()
                .load(BASE, new byte[] {7, 7, 7, 7}, 4, PF_R)
                .load(BASE + SIZE, new byte[] {1}, 1, PF_R)), ram));
        assertEquals(0, ram.load(0, 4), "segment 0 must not be loaded either");
        assertTrue(e.getMessage().contains("segment 1 at [0x80010000, 0x80010001)"), e.getMessage());
    }

    @Test
    void emptySegmentOutsideRamIsHarmless() {
        assertDoesNotThrow(() -> ElfLoader.load(image(new ElfWriter()
                .load(BASE, new byte[] {5}, 1, PF_R)
                .load(0x1000, new byte[0], 0, PF_R | PF_W)), ram));
        assertEquals(5, byteAt(BASE));
    }
}
