package io.sublet.boot;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed, validated ELF64 little-endian RISC-V executable: its loadable segments, entry point and
 * symbol table. Every offset and size read from the file is checked against the file before use, so
 * a truncated or corrupt file is refused with a message instead of an exception from deep inside.
 */
public final class ElfImage {
    private static final int EM_RISCV = 243;
    private static final int ET_EXEC = 2;
    private static final int PT_LOAD = 1;
    private static final int SHT_SYMTAB = 2;
    private static final long MAX_FILE = 1L << 30;

    /** A PT_LOAD segment: {@code fileSize} bytes from the file, then zeros up to {@code memSize}. */
    public record Segment(long paddr, long vaddr, int fileOffset, long fileSize, long memSize, int flags) { }

    private final String name;
    private final byte[] data;
    private final long entry;
    private final List<Segment> segments;
    private final Map<String, Long> symbols;

    private ElfImage(String name, byte[] data, long entry, List<Segment> segments, Map<String, Long> symbols) {
        this.name = name;
        this.data = data;
        this.entry = entry;
        this.segments = segments;
        this.symbols = symbols;
    }

    public static ElfImage read(Path path) throws BadImageException {
        final byte[] bytes;
        try {
            if (Files.isDirectory(path)) {
                throw new BadImageException(path + ": is a directory, not an ELF file");
            }
            if (Files.size(path) > MAX_FILE) {
                throw new BadImageException(path + ": file is larger than 1 GiB, not a bare-metal program");
            }
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new BadImageException(path + ": no such file");
        } catch (IOException e) {
            throw new BadImageException(path + ": cannot read: " + e.getMessage());
        }
        return parse(path.toString(), bytes);
    }

    public static ElfImage parse(String name, byte[] bytes) throws BadImageException {
        final ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 4 || bytes[0] != 0x7f || bytes[1] != 'E' || bytes[2] != 'L' || bytes[3] != 'F') {
            throw new BadImageException(name + ": not an ELF file");
        }
        if (bytes.length < 64) {
            throw new BadImageException(name + ": truncated ELF header");
        }
        if (bytes[4] == 1) {
            throw new BadImageException(name + ": 32-bit ELF (ELFCLASS32); Sublet runs RV64 programs");
        }
        if (bytes[4] != 2) {
            throw new BadImageException(name + ": unknown ELF class " + bytes[4]);
        }
        if (bytes[5] != 1) {
            throw new BadImageException(name + ": big-endian ELF; RISC-V programs are little-endian");
        }
        final int machine = Short.toUnsignedInt(b.getShort(18));
        if (machine != EM_RISCV) {
            throw new BadImageException(name + ": ELF for machine type " + machine + machineName(machine)
                    + ", not RISC-V (" + EM_RISCV + ")");
        }
        final int type = Short.toUnsignedInt(b.getShort(16));
        if (type != ET_EXEC) {
            throw new BadImageException(name + ": ELF type " + type + " is not an executable (ET_EXEC); "
                    + "link the program statically at a fixed address");
        }
        final long entry = b.getLong(24);
        final List<Segment> segments = readSegments(name, b);
        final Map<String, Long> symbols = readSymbols(name, b);
        return new ElfImage(name, bytes, entry, segments, symbols);
    }

    private static String machineName(int machine) {
        switch (machine) {
            case 3: return " (x86)";
            case 62: return " (x86-64)";
            case 40: return " (ARM)";
            case 183: return " (AArch64)";
            default: return "";
        }
    }

    private static List<Segment> readSegments(String name, ByteBuffer b) throws BadImageException {
        final long phoff = b.getLong(32);
        final int phentsize = Short.toUnsignedInt(b.getShort(54));
        final int phnum = Short.toUnsignedInt(b.getShort(56));
        if (phnum == 0) {
            throw new BadImageException(name + ": ELF has no program headers, nothing to load");
        }
        if (phentsize < 56 || !fits(b, phoff, (long) phentsize * phnum)) {
            throw new BadImageException(name + ": corrupt ELF: program header table lies outside the file");
        }
        final List<Segment> out = new ArrayList<>();
        for (int i = 0; i < phnum; i++) {
            final int p = (int) (phoff + (long) i * phentsize);
            if (b.getInt(p) != PT_LOAD) {
                continue;
            }
            final int flags = b.getInt(p + 4);
            final long offset = b.getLong(p + 8);
            final long vaddr = b.getLong(p + 16);
            final long paddr = b.getLong(p + 24);
            final long filesz = b.getLong(p + 32);
            final long memsz = b.getLong(p + 40);
            if (!fits(b, offset, filesz)) {
                throw new BadImageException(name + ": corrupt ELF: segment " + i + " data lies outside the file");
            }
            if (Long.compareUnsigned(filesz, memsz) > 0) {
                throw new BadImageException(name + ": corrupt ELF: segment " + i + " has file size > memory size");
            }
            out.add(new Segment(paddr, vaddr, (int) offset, filesz, memsz, flags));
        }
        if (out.isEmpty()) {
            throw new BadImageException(name + ": ELF has no PT_LOAD segment, nothing to load");
        }
        return Collections.unmodifiableList(out);
    }

    private static Map<String, Long> readSymbols(String name, ByteBuffer b) throws BadImageException {
        final long shoff = b.getLong(40);
        final int shentsize = Short.toUnsignedInt(b.getShort(58));
        final int shnum = Short.toUnsignedInt(b.getShort(60));
        final Map<String, Long> symbols = new HashMap<>();
        if (shoff == 0 || shnum == 0) {
            return symbols; // stripped: no symbols, which the runner reports if it needs one
        }
        if (shentsize < 64 || !fits(b, shoff, (long) shentsize * shnum)) {
            throw new BadImageException(name + ": corrupt ELF: section header table lies outside the file");
        }
        for (int i = 0; i < shnum; i++) {
            final int s = (int) (shoff + (long) i * shentsize);
            if (b.getInt(s + 4) != SHT_SYMTAB) {
                continue;
            }
            final long offset = b.getLong(s + 24);
            final long size = b.getLong(s + 32);
            final int link = b.getInt(s + 40);
            final long entsize = b.getLong(s + 56);
            if (link <= 0 || link >= shnum || entsize < 24 || !fits(b, offset, size)) {
                throw new BadImageException(name + ": corrupt ELF: bad symbol table");
            }
            final int str = (int) (shoff + (long) link * shentsize);
            final long strOffset = b.getLong(str + 24);
            final long strSize = b.getLong(str + 32);
            if (!fits(b, strOffset, strSize)) {
                throw new BadImageException(name + ": corrupt ELF: string table lies outside the file");
            }
            for (long e = 0; e + entsize <= size; e += entsize) {
                final int sym = (int) (offset + e);
                final long nameOffset = Integer.toUnsignedLong(b.getInt(sym));
                if (nameOffset == 0 || nameOffset >= strSize) {
                    continue;
                }
                final String symName = cString(b, (int) (strOffset + nameOffset), (int) (strOffset + strSize));
                symbols.putIfAbsent(symName, b.getLong(sym + 8));
            }
        }
        return symbols;
    }

    private static String cString(ByteBuffer b, int from, int limit) {
        int end = from;
        while (end < limit && b.get(end) != 0) {
            end++;
        }
        final byte[] chars = new byte[end - from];
        b.get(from, chars);
        return new String(chars, java.nio.charset.StandardCharsets.UTF_8);
    }

    private static boolean fits(ByteBuffer b, long offset, long length) {
        return offset >= 0 && length >= 0 && offset <= b.capacity() && length <= b.capacity() - offset;
    }

    public String name() {
        return name;
    }

    public long entry() {
        return entry;
    }

    public List<Segment> segments() {
        return segments;
    }

    public Optional<Long> symbol(String symbol) {
        return Optional.ofNullable(symbols.get(symbol));
    }

    /** The file bytes of a segment. */
    public byte[] data() {
        return data;
    }
}
