package io.sublet.boot;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes small ELF64 little-endian RISC-V executables for tests, byte by byte, so that tests need no
 * cross toolchain and can corrupt any field. Layout of what {@link #build} returns:
 * <pre>
 *   0                 ELF header (64 bytes)
 *   64                program headers, 56 bytes each
 *   ...               segment data, each 8-byte aligned
 *   strtabOffset      .strtab (only with symbols)
 *   symtabOffset      .symtab: a null symbol, then one global symbol per {@link #symbol} call
 *   shoff             section headers: [0] null, [1] .symtab (link 2), [2] .strtab
 * </pre>
 * After {@link #build}, the offsets of each part are available for tests that patch the bytes.
 */
public final class ElfWriter {
    public static final int PT_LOAD = 1;
    public static final int PT_NOTE = 4;
    public static final int PF_X = 1;
    public static final int PF_W = 2;
    public static final int PF_R = 4;
    public static final int EM_RISCV = 243;
    public static final int ET_EXEC = 2;

    /** One program header and its file bytes. */
    public record Segment(int type, long vaddr, long paddr, byte[] data, long memSize, int flags) { }

    private long entry = 0x8000_0000L;
    private int machine = EM_RISCV;
    private int type = ET_EXEC;
    private final List<Segment> segments = new ArrayList<>();
    private final Map<String, Long> symbols = new LinkedHashMap<>();

    private int[] dataOffsets;
    private int strtabOffset;
    private int symtabOffset;
    private int shoff;

    public ElfWriter entry(long address) {
        this.entry = address;
        return this;
    }

    public ElfWriter machine(int value) {
        this.machine = value;
        return this;
    }

    public ElfWriter type(int value) {
        this.type = value;
        return this;
    }

    /** A PT_LOAD segment at {@code address} (physical = virtual): {@code data}, zero-filled to {@code memSize}. */
    public ElfWriter load(long address, byte[] data, long memSize, int flags) {
        return segment(new Segment(PT_LOAD, address, address, data, memSize, flags));
    }

    public ElfWriter segment(Segment s) {
        segments.add(s);
        return this;
    }

    public ElfWriter symbol(String name, long value) {
        symbols.put(name, value);
        return this;
    }

    public byte[] build() {
        int at = 64 + 56 * segments.size();
        dataOffsets = new int[segments.size()];
        for (int i = 0; i < segments.size(); i++) {
            at = align8(at);
            dataOffsets[i] = at;
            at += segments.get(i).data().length;
        }
        final byte[] strtab = strtab();
        strtabOffset = at;
        at += strtab.length;
        at = align8(at);
        symtabOffset = at;
        final int symtabSize = symbols.isEmpty() ? 0 : 24 * (symbols.size() + 1);
        at += symtabSize;
        at = align8(at);
        shoff = symbols.isEmpty() ? 0 : at;
        final int shnum = symbols.isEmpty() ? 0 : 3;
        at += 64 * shnum;

        final ByteBuffer b = ByteBuffer.allocate(at).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0});
        b.putShort(16, (short) type);
        b.putShort(18, (short) machine);
        b.putInt(20, 1);
        b.putLong(24, entry);
        b.putLong(32, segments.isEmpty() ? 0 : 64);
        b.putLong(40, shoff);
        b.putInt(48, 0x5); // RVC, double-float ABI
        b.putShort(52, (short) 64);
        b.putShort(54, (short) 56);
        b.putShort(56, (short) segments.size());
        b.putShort(58, (short) 64);
        b.putShort(60, (short) shnum);
        b.putShort(62, (short) 0);
        for (int i = 0; i < segments.size(); i++) {
            final Segment s = segments.get(i);
            final int p = 64 + 56 * i;
            b.putInt(p, s.type());
            b.putInt(p + 4, s.flags());
            b.putLong(p + 8, dataOffsets[i]);
            b.putLong(p + 16, s.vaddr());
            b.putLong(p + 24, s.paddr());
            b.putLong(p + 32, s.data().length);
            b.putLong(p + 40, s.memSize());
            b.putLong(p + 48, 8);
            b.put(dataOffsets[i], s.data());
        }
        if (!symbols.isEmpty()) {
            b.put(strtabOffset, strtab);
            int name = 1;
            int sym = symtabOffset + 24; // entry 0 is the null symbol
            for (Map.Entry<String, Long> e : symbols.entrySet()) {
                b.putInt(sym, name);
                b.put(sym + 4, (byte) 0x10); // STB_GLOBAL, STT_NOTYPE
                b.putShort(sym + 6, (short) 0xfff1); // SHN_ABS
                b.putLong(sym + 8, e.getValue());
                name += e.getKey().getBytes(StandardCharsets.UTF_8).length + 1;
                sym += 24;
            }
            final int symHdr = shoff + 64;
            b.putInt(symHdr + 4, 2); // SHT_SYMTAB
            b.putLong(symHdr + 24, symtabOffset);
            b.putLong(symHdr + 32, symtabSize);
            b.putInt(symHdr + 40, 2); // sh_link: .strtab
            b.putInt(symHdr + 44, 1); // sh_info: first global
            b.putLong(symHdr + 48, 8);
            b.putLong(symHdr + 56, 24);
            final int strHdr = shoff + 128;
            b.putInt(strHdr + 4, 3); // SHT_STRTAB
            b.putLong(strHdr + 24, strtabOffset);
            b.putLong(strHdr + 32, strtab.length);
            b.putLong(strHdr + 48, 1);
        }
        return b.array();
    }

    public Path writeTo(Path file) throws IOException {
        Files.write(file, build());
        return file;
    }

    private byte[] strtab() {
        if (symbols.isEmpty()) {
            return new byte[0];
        }
        final StringBuilder s = new StringBuilder("\0");
        for (String name : symbols.keySet()) {
            s.append(name).append('\0');
        }
        return s.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static int align8(int v) {
        return (v + 7) & ~7;
    }

    /** File offset of program header {@code i}. */
    public static int phdr(int i) {
        return 64 + 56 * i;
    }

    public int dataOffset(int segment) {
        return dataOffsets[segment];
    }

    public int symtabOffset() {
        return symtabOffset;
    }

    public int strtabOffset() {
        return strtabOffset;
    }

    /** File offset of section header {@code i} (0 null, 1 .symtab, 2 .strtab). */
    public int shdr(int i) {
        return shoff + 64 * i;
    }

    // ---- patching helpers for corrupt-file tests ----

    public static void putShort(byte[] b, int at, int v) {
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putShort(at, (short) v);
    }

    public static void putInt(byte[] b, int at, int v) {
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(at, v);
    }

    public static void putLong(byte[] b, int at, long v) {
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(at, v);
    }
}
