package io.sublet.boot.image;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The section table of an ELF64 little-endian file of any type, in particular the relocatable objects ({@code
 * ET_REL}) that Linux kernel modules are. Only the section header table and the section-name string table are
 * read; every offset and size is checked against the file before use, so a corrupt file is refused with a message.
 * (Executables with program headers are {@link io.sublet.boot.ElfImage}'s business.)
 */
final class ElfSections {
    static final int ET_REL = 1;
    private static final int SHT_NOBITS = 8;
    private static final int SHN_XINDEX = 0xffff;
    private static final int SHDR_SIZE = 64;

    /** One section: its name, type, and where its bytes are in the file (none for SHT_NOBITS). */
    record Section(String name, int type, long offset, long size) { }

    private final String fileName;
    private final byte[] data;
    private final int type;
    private final int machine;
    private final List<Section> sections;

    private ElfSections(final String fileName, final byte[] data, final int type, final int machine,
            final List<Section> sections) {
        this.fileName = fileName;
        this.data = data;
        this.type = type;
        this.machine = machine;
        this.sections = sections;
    }

    /** Parses the section table of {@code data}; {@code name} names the file in messages. */
    static ElfSections parse(final String name, final byte[] data) throws ImageException {
        if (data.length < 4 || data[0] != 0x7f || data[1] != 'E' || data[2] != 'L' || data[3] != 'F') {
            throw new ImageException(name + ": not an ELF file");
        }
        if (data.length < 64) {
            throw new ImageException(name + ": truncated ELF header");
        }
        if (data[4] != 2 || data[5] != 1) {
            throw new ImageException(name + ": not a 64-bit little-endian ELF file (class " + data[4] + ", data "
                    + data[5] + ")");
        }
        final ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        final int type = Short.toUnsignedInt(b.getShort(16));
        final int machine = Short.toUnsignedInt(b.getShort(18));
        final long shoff = b.getLong(40);
        final int shentsize = Short.toUnsignedInt(b.getShort(58));
        long shnum = Short.toUnsignedInt(b.getShort(60));
        long shstrndx = Short.toUnsignedInt(b.getShort(62));
        if (shoff == 0) {
            return new ElfSections(name, data, type, machine, List.of());
        }
        if (shentsize < SHDR_SIZE || !fits(data, shoff, SHDR_SIZE)) {
            throw new ImageException(name + ": corrupt ELF: section header table lies outside the file");
        }
        if (shnum == 0) {
            shnum = b.getLong((int) shoff + 32); // extended numbering: the count is in section 0's sh_size
        }
        if (shstrndx == SHN_XINDEX) {
            shstrndx = Integer.toUnsignedLong(b.getInt((int) shoff + 40));
        }
        if (shnum > (data.length / SHDR_SIZE) || !fits(data, shoff, shnum * shentsize)) {
            throw new ImageException(name + ": corrupt ELF: section header table lies outside the file");
        }
        if (shstrndx >= shnum) {
            throw new ImageException(name + ": corrupt ELF: section name table index " + shstrndx + " out of range");
        }
        final int strHdr = (int) (shoff + shstrndx * shentsize);
        final long strOff = b.getLong(strHdr + 24);
        final long strSize = b.getLong(strHdr + 32);
        if (!fits(data, strOff, strSize)) {
            throw new ImageException(name + ": corrupt ELF: section name table lies outside the file");
        }
        final List<Section> out = new ArrayList<>((int) shnum);
        for (int i = 0; i < shnum; i++) {
            final int h = (int) (shoff + (long) i * shentsize);
            final long nameOff = Integer.toUnsignedLong(b.getInt(h));
            final int secType = b.getInt(h + 4);
            final long off = b.getLong(h + 24);
            final long size = b.getLong(h + 32);
            if (secType != SHT_NOBITS && i != 0 && !fits(data, off, size)) {
                throw new ImageException(name + ": corrupt ELF: section " + i + " lies outside the file");
            }
            if (nameOff >= strSize && !(i == 0 && nameOff == 0)) {
                throw new ImageException(name + ": corrupt ELF: section " + i + " name offset out of range");
            }
            out.add(new Section(cString(data, strOff + nameOff, strOff + strSize), secType, off, size));
        }
        return new ElfSections(name, data, type, machine, Collections.unmodifiableList(out));
    }

    int type() {
        return type;
    }

    int machine() {
        return machine;
    }

    List<Section> sections() {
        return sections;
    }

    /** The first section called {@code name}. */
    Optional<Section> find(final String name) {
        return sections.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** A copy of a section's bytes (empty for SHT_NOBITS). */
    byte[] bytes(final Section s) {
        if (s.type() == SHT_NOBITS) {
            return new byte[0];
        }
        final byte[] out = new byte[(int) s.size()];
        System.arraycopy(data, (int) s.offset(), out, 0, out.length);
        return out;
    }

    String fileName() {
        return fileName;
    }

    private static String cString(final byte[] data, final long from, final long limit) {
        int end = (int) from;
        while (end < limit && data[end] != 0) {
            end++;
        }
        return new String(data, (int) from, end - (int) from, StandardCharsets.UTF_8);
    }

    private static boolean fits(final byte[] data, final long offset, final long length) {
        return offset >= 0 && length >= 0 && offset <= data.length && length <= data.length - offset;
    }
}
