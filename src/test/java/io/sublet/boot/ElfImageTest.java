package io.sublet.boot;

import static io.sublet.boot.ElfWriter.PF_R;
import static io.sublet.boot.ElfWriter.PF_W;
import static io.sublet.boot.ElfWriter.PF_X;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * ELF parsing: every refusal names the file and the problem, and a good file yields its segments,
 * entry point and symbols. Files are built byte by byte with {@link ElfWriter} and then corrupted.
 */
class ElfImageTest {
    private static final String NAME = "prog.elf";
    private static final byte[] CODE = {0x13, 0, 0, 0, 0x73, 0, 0x10, 0}; // nop; ebreak

    private static ElfWriter good() {
        return new ElfWriter().entry(0x8000_0004L)
                .load(0x8000_0000L, CODE, CODE.length, PF_R | PF_X)
                .load(0x8000_1000L, new byte[] {1, 2, 3, 4}, 0x100, PF_R | PF_W)
                .symbol("tohost", 0x8000_1000L).symbol("fromhost", 0x8000_1008L).symbol("_start", 0x8000_0000L);
    }

    private static String refusal(byte[] bytes) {
        final BadImageException e = assertThrows(BadImageException.class, () -> ElfImage.parse(NAME, bytes));
        assertTrue(e.getMessage().startsWith(NAME + ": "), () -> "the message names the file: " + e.getMessage());
        return e.getMessage();
    }

    private static void assertRefused(byte[] bytes, String... fragments) {
        final String message = refusal(bytes);
        for (String f : fragments) {
            assertTrue(message.contains(f), () -> "'" + message + "' should contain '" + f + "'");
        }
    }

    private static byte[] patched(ElfWriter w, Consumer<byte[]> patch) {
        final byte[] b = w.build();
        patch.accept(b);
        return b;
    }

    // ---- not an ELF at all ----

    @Test
    void notAnElf() {
        final String script = "#!/bin/sh\necho hello, this is a shell script and not an ELF\n";
        assertRefused(script.getBytes(StandardCharsets.US_ASCII), "not an ELF file");
        assertRefused(new byte[0], "not an ELF file");
        assertRefused(new byte[] {0x7f, 'E', 'L'}, "not an ELF file");
        final byte[] b = good().build();
        b[1] = 'e';
        assertRefused(b, "not an ELF file");
    }

    @Test
    void tooShortForAnElfHeader() {
        assertRefused(Arrays.copyOf(good().build(), 40), "truncated ELF header");
        assertRefused(Arrays.copyOf(good().build(), 63), "truncated ELF header");
    }

    // ---- the wrong kind of ELF ----

    @Test
    void elf32IsRefusedAsRv32() {
        final byte[] b = patched(good(), x -> x[4] = 1);
        assertRefused(b, "32-bit ELF", "ELFCLASS32", "RV64");
    }

    @Test
    void unknownClass() {
        assertRefused(patched(good(), x -> x[4] = 3), "unknown ELF class 3");
    }

    @Test
    void bigEndianIsRefused() {
        assertRefused(patched(good(), x -> x[5] = 2), "big-endian");
    }

    @ParameterizedTest(name = "machine {0}")
    @CsvSource({"62, x86-64", "3, x86", "40, ARM", "183, AArch64"})
    void wrongMachineIsNamed(int machine, String name) {
        assertRefused(good().machine(machine).build(), "machine type " + machine + " (" + name + ")",
                "not RISC-V (243)");
    }

    @Test
    void unknownMachineNumberIsStillReported() {
        final String message = refusal(good().machine(0x1234).build());
        assertTrue(message.contains("machine type 4660") && message.contains("not RISC-V"), message);
    }

    @ParameterizedTest(name = "type {0}")
    @CsvSource({"1", "3", "4"})
    void onlyExecutablesAreAccepted(int type) {
        assertRefused(good().type(type).build(), "ELF type " + type, "not an executable (ET_EXEC)");
    }

    // ---- program headers ----

    @Test
    void noProgramHeaders() {
        assertRefused(patched(good(), x -> ElfWriter.putShort(x, 56, 0)), "no program headers");
        assertRefused(new ElfWriter().build(), "no program headers");
    }

    @Test
    void programHeaderTableOutsideTheFile() {
        final String outside = "program header table lies outside the file";
        assertRefused(patched(good(), x -> ElfWriter.putLong(x, 32, x.length)), outside);
        assertRefused(patched(good(), x -> ElfWriter.putLong(x, 32, x.length - 56)), outside);
        assertRefused(patched(good(), x -> ElfWriter.putLong(x, 32, -64L)), outside);
        assertRefused(patched(good(), x -> ElfWriter.putShort(x, 56, 0xffff)), outside);
        assertRefused(patched(good(), x -> ElfWriter.putShort(x, 54, 32)), outside);
    }

    @Test
    void segmentDataOutsideTheFile() {
        assertRefused(patched(good(), x -> ElfWriter.putLong(x, ElfWriter.phdr(1) + 8, x.length - 2)),
                "segment 1 data lies outside the file");
        assertRefused(patched(good(), x -> ElfWriter.putLong(x, ElfWriter.phdr(0) + 32, 1L << 40)),
                "segment 0 data lies outside the file");
        assertRefused(patched(good(), x -> ElfWriter.putLong(x, ElfWriter.phdr(0) + 8, -8L)),
                "segment 0 data lies outside the file");
    }

    @Test
    void fileSizeLargerThanMemorySize() {
        assertRefused(patched(good(), x -> ElfWriter.putLong(x, ElfWriter.phdr(1) + 40, 2)),
                "segment 1 has file size > memory size");
    }

    @Test
    void onlyNonLoadSegments() {
        final byte[] b = new ElfWriter()
                .segment(new ElfWriter.Segment(ElfWriter.PT_NOTE, 0, 0, new byte[8], 8, PF_R)).build();
        assertRefused(b, "no PT_LOAD segment");
    }

    // ---- symbol table ----

    @Test
    void sectionHeaderTableOutsideTheFile() {
        final ElfWriter w = good();
        final byte[] b = w.build();
        ElfWriter.putLong(b, 40, b.length - 64);
        assertRefused(b, "section header table lies outside the file");
    }

    @Test
    void symbolTableWithBadLinkOrEntrySize() {
        final ElfWriter w = good();
        final byte[] base = w.build();
        final int sym = w.shdr(1);
        assertRefused(patchedCopy(base, x -> ElfWriter.putInt(x, sym + 40, 0)), "bad symbol table");
        assertRefused(patchedCopy(base, x -> ElfWriter.putInt(x, sym + 40, 3)), "bad symbol table");
        assertRefused(patchedCopy(base, x -> ElfWriter.putInt(x, sym + 40, -1)), "bad symbol table");
        assertRefused(patchedCopy(base, x -> ElfWriter.putLong(x, sym + 56, 8)), "bad symbol table");
        assertRefused(patchedCopy(base, x -> ElfWriter.putLong(x, sym + 32, 1L << 20)), "bad symbol table");
        assertRefused(patchedCopy(base, x -> ElfWriter.putLong(x, sym + 24, -24L)), "bad symbol table");
    }

    @Test
    void stringTableOutsideTheFile() {
        final ElfWriter w = good();
        final byte[] b = w.build();
        ElfWriter.putLong(b, w.shdr(2) + 24, b.length);
        ElfWriter.putLong(b, w.shdr(2) + 32, 16);
        assertRefused(b, "string table lies outside the file");
    }

    @Test
    void symbolNameOffsetsOutsideTheStringTableAreSkipped() throws BadImageException {
        final ElfWriter w = good();
        final byte[] b = w.build();
        ElfWriter.putInt(b, w.symtabOffset() + 24, 10_000); // first real symbol: name offset past the table
        final ElfImage elf = ElfImage.parse(NAME, b);
        assertEquals(Optional.empty(), elf.symbol("tohost"));
        assertEquals(Optional.of(0x8000_1008L), elf.symbol("fromhost"));
    }

    private static byte[] patchedCopy(byte[] base, Consumer<byte[]> patch) {
        final byte[] b = base.clone();
        patch.accept(b);
        return b;
    }

    // ---- success ----

    @Test
    void goodFileYieldsEntrySegmentsAndSymbols() throws BadImageException {
        final ElfWriter w = good();
        final byte[] bytes = w.build();
        final ElfImage elf = ElfImage.parse(NAME, bytes);
        assertEquals(NAME, elf.name());
        assertEquals(0x8000_0004L, elf.entry());
        final List<ElfImage.Segment> s = elf.segments();
        assertEquals(2, s.size());
        assertEquals(new ElfImage.Segment(0x8000_0000L, 0x8000_0000L, w.dataOffset(0), CODE.length, CODE.length,
                PF_R | PF_X), s.get(0));
        assertEquals(new ElfImage.Segment(0x8000_1000L, 0x8000_1000L, w.dataOffset(1), 4, 0x100, PF_R | PF_W),
                s.get(1));
        assertArrayEquals(CODE, Arrays.copyOfRange(elf.data(), s.get(0).fileOffset(), s.get(0).fileOffset() + 8));
        assertEquals(Optional.of(0x8000_1000L), elf.symbol("tohost"));
        assertEquals(Optional.of(0x8000_1008L), elf.symbol("fromhost"));
        assertEquals(Optional.of(0x8000_0000L), elf.symbol("_start"));
        assertEquals(Optional.empty(), elf.symbol("begin_signature"));
        assertEquals(Optional.empty(), elf.symbol(""), "the null symbol has no name");
        assertThrows(UnsupportedOperationException.class, () -> elf.segments().clear());
    }

    @Test
    void physicalAndVirtualAddressesAreKeptApart() throws BadImageException {
        final byte[] b = new ElfWriter().segment(new ElfWriter.Segment(ElfWriter.PT_LOAD, 0xffff_ffff_8000_0000L,
                0x8020_0000L, CODE, 0x2000, PF_R | PF_X)).build();
        final ElfImage.Segment s = ElfImage.parse(NAME, b).segments().get(0);
        assertEquals(0x8020_0000L, s.paddr());
        assertEquals(0xffff_ffff_8000_0000L, s.vaddr());
        assertEquals(0x2000, s.memSize());
    }

    @Test
    void nonLoadSegmentsAreSkipped() throws BadImageException {
        final byte[] b = new ElfWriter()
                .segment(new ElfWriter.Segment(ElfWriter.PT_NOTE, 0, 0, new byte[4], 4, PF_R))
                .load(0x8000_0000L, CODE, 16, PF_R | PF_X).build();
        final List<ElfImage.Segment> s = ElfImage.parse(NAME, b).segments();
        assertEquals(1, s.size());
        assertEquals(0x8000_0000L, s.get(0).paddr());
    }

    @Test
    void strippedFileHasNoSymbols() throws BadImageException {
        final ElfImage elf = ElfImage.parse(NAME, new ElfWriter().load(0x8000_0000L, CODE, 8, PF_R | PF_X).build());
        assertEquals(Optional.empty(), elf.symbol("tohost"));
    }

    @Test
    void firstDefinitionOfASymbolWins() throws BadImageException {
        final ElfWriter w = new ElfWriter().load(0x8000_0000L, CODE, 8, PF_R | PF_X)
                .symbol("a", 1).symbol("b", 2);
        final byte[] b = w.build();
        ElfWriter.putInt(b, w.symtabOffset() + 48, 1); // second symbol's name offset -> "a"
        assertEquals(Optional.of(1L), ElfImage.parse(NAME, b).symbol("a"));
    }

    // ---- files ----

    @Test
    void readsFromAFile(@TempDir Path dir) throws IOException, BadImageException {
        final Path p = good().writeTo(dir.resolve("ok.elf"));
        final ElfImage elf = ElfImage.read(p);
        assertEquals(p.toString(), elf.name());
        assertEquals(2, elf.segments().size());
    }

    @Test
    void missingFileAndDirectoryAreRefusedByName(@TempDir Path dir) {
        final Path missing = dir.resolve("missing.elf");
        BadImageException e = assertThrows(BadImageException.class, () -> ElfImage.read(missing));
        assertEquals(missing + ": no such file", e.getMessage());
        e = assertThrows(BadImageException.class, () -> ElfImage.read(dir));
        assertTrue(e.getMessage().startsWith(dir.toString()) && e.getMessage().contains("directory"), e.getMessage());
    }

    @Test
    void refusalFromAFileNamesThePath(@TempDir Path dir) throws IOException {
        final Path p = dir.resolve("script.sh");
        Files.writeString(p, "#!/bin/sh\n");
        final BadImageException e = assertThrows(BadImageException.class, () -> ElfImage.read(p));
        assertEquals(p + ": not an ELF file", e.getMessage());
    }
}
