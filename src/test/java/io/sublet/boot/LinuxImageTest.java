package io.sublet.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class LinuxImageTest {
    static byte[] image(long textOffset, long imageSize, int length) {
        final ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, 0x5a4d); // "MZ": the EFI stub's PE header, as in Debian's kernels
        b.putLong(8, textOffset);
        b.putLong(16, imageSize);
        b.putInt(32, 2);
        b.putLong(48, 0x5643534952L);
        b.putInt(56, 0x05435352);
        return b.array();
    }

    @Test
    void readsTextOffsetAndImageSize() throws Exception {
        final LinuxImage k = LinuxImage.parse("k", image(0x200000, 0x10000, 4096));
        assertEquals(0x200000, k.textOffset());
        assertEquals(0x10000, k.imageSize());
    }

    @Test
    void refusesWhatIsNotAnImage() {
        final BadImageException text = assertThrows(BadImageException.class,
                () -> LinuxImage.parse("notes.txt", "hello, this is not a kernel image at all, just some text.".repeat(4).getBytes()));
        assertTrue(text.getMessage().contains("not a RISC-V Linux Image"), text.getMessage());
        final BadImageException gz = assertThrows(BadImageException.class,
                () -> LinuxImage.parse("vmlinuz", new byte[] {0x1f, (byte) 0x8b, 8, 0}));
        assertTrue(gz.getMessage().contains("gzip"), gz.getMessage());
        final BadImageException elf = assertThrows(BadImageException.class,
                () -> LinuxImage.parse("vmlinux.elf", new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0}));
        assertTrue(elf.getMessage().contains("ELF"), elf.getMessage());
        assertThrows(BadImageException.class, () -> LinuxImage.parse("short", new byte[10]));
        assertThrows(BadImageException.class, () -> LinuxImage.parse("odd", image(0x123, 0x10000, 4096)));
        assertThrows(BadImageException.class, () -> LinuxImage.parse("small", image(0x200000, 100, 4096)));
    }
}
