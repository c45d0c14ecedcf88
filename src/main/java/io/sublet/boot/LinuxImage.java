package io.sublet.boot;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A RISC-V Linux kernel {@code Image} (Documentation/riscv/boot-image-header.rst), as Debian ships it
 * in {@code /boot/vmlinux-*}: uncompressed, with an EFI/PE header around the RISC-V one. It is loaded
 * at RAM base + {@code text_offset} and reserves {@code image_size} bytes (text, data and bss).
 *
 * <pre>
 *  0  code0 (u32)        4  code1 (u32)        8  text_offset (u64)   16 image_size (u64)
 * 24  flags (u64)       32  version (u32)     36  res1 (u32)          40 res2 (u64)
 * 48  magic "RISCV\0\0\0" (u64, deprecated)   56  magic2 "RSC\x05" (u32)   60 PE offset (u32)
 * </pre>
 */
public final class LinuxImage {
    private static final long MAGIC = 0x5643534952L; // "RISCV" little-endian
    private static final int MAGIC2 = 0x05435352;    // "RSC\x05"
    private static final int HEADER = 64;

    private final String name;
    private final byte[] bytes;
    private final long textOffset;
    private final long imageSize;

    private LinuxImage(String name, byte[] bytes, long textOffset, long imageSize) {
        this.name = name;
        this.bytes = bytes;
        this.textOffset = textOffset;
        this.imageSize = imageSize;
    }

    public static LinuxImage read(Path path) throws BadImageException {
        try {
            if (Files.isDirectory(path)) {
                throw new BadImageException(path + ": is a directory, not a kernel image");
            }
            return parse(path.toString(), Files.readAllBytes(path));
        } catch (NoSuchFileException e) {
            throw new BadImageException(path + ": no such file");
        } catch (IOException e) {
            throw new BadImageException(path + ": cannot read: " + e.getMessage());
        }
    }

    public static LinuxImage parse(String name, byte[] bytes) throws BadImageException {
        if (bytes.length >= 2 && (bytes[0] & 0xff) == 0x1f && (bytes[1] & 0xff) == 0x8b) {
            throw new BadImageException(name + ": gzip-compressed; Sublet loads uncompressed RISC-V Image files "
                    + "(Debian's /boot/vmlinux-*), decompress it first");
        }
        if (bytes.length >= 4 && bytes[0] == 0x7f && bytes[1] == 'E' && bytes[2] == 'L' && bytes[3] == 'F') {
            throw new BadImageException(name + ": an ELF file, not a Linux Image; use 'sublet exec' for bare-metal "
                    + "programs, or the kernel's arch/riscv/boot/Image");
        }
        if (bytes.length < HEADER) {
            throw new BadImageException(name + ": too short to be a RISC-V Linux Image");
        }
        final ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (b.getInt(56) != MAGIC2 && b.getLong(48) != MAGIC) {
            throw new BadImageException(name + ": not a RISC-V Linux Image (no RISCV/RSC magic in its header)");
        }
        if ((b.getLong(24) & 1) != 0) {
            throw new BadImageException(name + ": big-endian kernel image; RISC-V guests here are little-endian");
        }
        final long textOffset = b.getLong(8);
        long imageSize = b.getLong(16);
        if (imageSize == 0) {
            imageSize = bytes.length; // header version 0.1 kernels may leave it zero
        }
        if (textOffset < 0 || textOffset > (1L << 30) || (textOffset & 0xfff) != 0) {
            throw new BadImageException(name + ": implausible text_offset 0x" + Long.toHexString(textOffset));
        }
        if (imageSize < bytes.length || imageSize > (1L << 31)) {
            throw new BadImageException(name + ": implausible image_size " + imageSize + " for a file of " + bytes.length);
        }
        return new LinuxImage(name, bytes, textOffset, imageSize);
    }

    public String name() {
        return name;
    }

    public byte[] bytes() {
        return bytes;
    }

    public long textOffset() {
        return textOffset;
    }

    /** Bytes the kernel occupies from its load address, bss included. */
    public long imageSize() {
        return imageSize;
    }
}
