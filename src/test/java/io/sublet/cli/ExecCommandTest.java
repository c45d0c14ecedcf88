package io.sublet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sublet.boot.ElfWriter;
import io.sublet.cpu.Asm;
import io.sublet.isa.Decoder;
import io.sublet.isa.Disassembler;
import io.sublet.machine.TestPrograms;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sublet exec}, in-process through {@link Main#run}: exit statuses 0/1/2/3, error messages, and the
 * --signature and --trace outputs. Programs are hand-assembled and wrapped in ELF files written to a temp dir.
 */
class ExecCommandTest {
    @TempDir
    Path dir;

    /** Exit status, stdout and stderr of one command line. */
    private record Result(int status, String out, String err) {
        @Override
        public String toString() {
            return "exit " + status + "\n--- stdout:\n" + out + "\n--- stderr:\n" + err;
        }

        List<String> errLines() {
            return err.isEmpty() ? List.of() : List.of(err.split("\\R"));
        }
    }

    private static Result sublet(String... args) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int status;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            status = Main.run(o, e, args);
        }
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** {@code sublet exec} with a small RAM (16 MiB), which is all these programs need. */
    private static Result exec(String... args) {
        final String[] all = new String[args.length + 3];
        all[0] = "exec";
        all[1] = "--mem";
        all[2] = "16M";
        System.arraycopy(args, 0, all, 3, args.length);
        return sublet(all);
    }

    private Path write(String name, ElfWriter w) throws IOException {
        return w.writeTo(dir.resolve(name));
    }

    private Path exitWith(long status) throws IOException {
        return write("exit" + status + ".elf", TestPrograms.elf(TestPrograms.exit(TestPrograms.code(), status)));
    }

    private static void assertNoStackTrace(Result r) {
        assertFalse(r.err.contains("\tat ") || r.err.contains("Exception"), () -> "no stack trace expected:\n" + r);
    }

    /** One line saying what is wrong (prefixed "sublet:"), optionally followed by a pointer to --help. */
    private static void assertOneClearError(Result r, String fragment) {
        assertEquals(ExitCodes.BAD_INPUT, r.status, r::toString);
        assertNoStackTrace(r);
        final List<String> lines = r.errLines();
        assertTrue(lines.size() >= 1 && lines.get(0).startsWith("sublet: ") && lines.get(0).contains(fragment),
                () -> "first line should say '" + fragment + "':\n" + r);
        assertTrue(lines.stream().skip(1).allMatch(l -> l.startsWith("Try 'sublet") && l.contains("--help")),
                () -> "anything after the first line is only a pointer to --help:\n" + r);
    }

    // ---- exit statuses ----

    @Test
    void passingProgramExitsZero() throws IOException {
        final Result r = sublet("exec", exitWith(0).toString());
        assertEquals(0, r.status, r::toString);
        assertEquals("", r.err);
    }

    @Test
    void failingProgramExitsOneAndNamesTheTest() throws IOException {
        final Path p = exitWith(3);
        final Result r = exec(p.toString());
        assertEquals(1, r.status, r::toString);
        assertTrue(r.err.contains(p + ": test 3 failed"), r::toString);
        assertNoStackTrace(r);
    }

    @Test
    void consoleOutputGoesToStdout() throws IOException {
        final Asm a = TestPrograms.print(TestPrograms.code(), "Hello from the guest\n");
        TestPrograms.exit(a, 0);
        final Result r = exec(write("hello.elf", TestPrograms.elf(a)).toString());
        assertEquals(0, r.status, r::toString);
        assertEquals("Hello from the guest\n", r.out);
    }

    @Test
    void instructionLimitExitsThree() throws IOException {
        final Path p = write("spin.elf", TestPrograms.elf(TestPrograms.code().spin()));
        final Result r = exec("--max-instructions", "10000", p.toString());
        assertEquals(3, r.status, r::toString);
        assertTrue(r.err.contains("--max-instructions") && r.err.contains("10000"), r::toString);
    }

    @Test
    void unhandledMachineModeTrapExitsOneWithPcCauseAndTval() throws IOException {
        final Asm a = TestPrograms.code().nop().nop().word32(0xffff_ffff); // mtvec is 0: no handler
        final Path p = write("trap.elf", TestPrograms.elf(a));
        final Result r = exec(p.toString());
        assertEquals(1, r.status, r::toString);
        assertTrue(r.err.contains("illegal instruction") && r.err.contains("pc 0x0000000080000008")
                && r.err.contains("cause 2") && r.err.contains("tval 0xffffffff"), r::toString);
        assertNoStackTrace(r);
    }

    @Test
    void loadFaultReportsTheAddress() throws IOException {
        final Asm a = TestPrograms.code().li(Asm.A0, 0x1234_5678L).ld(Asm.A1, Asm.A0, 0);
        final Result r = exec(write("load.elf", TestPrograms.elf(a)).toString());
        assertEquals(1, r.status, r::toString);
        assertTrue(r.err.contains("load access fault") && r.err.contains("cause 5")
                && r.err.contains("tval 0x12345678"), r::toString);
    }

    // ---- bad input ----

    @Test
    void programWithoutTohostNeedsAnInstructionLimit() throws IOException {
        final Path p = write("notohost.elf", TestPrograms.elfWithoutHtif(TestPrograms.code().spin()));
        final Result r = exec(p.toString());
        assertOneClearError(r, "no tohost symbol");
        assertTrue(r.err.contains("--max-instructions"), r::toString);
    }

    @Test
    void programWithoutTohostRunsWithAnInstructionLimitButNeverPasses() throws IOException {
        final Path p = write("notohost.elf", TestPrograms.elfWithoutHtif(TestPrograms.code().spin()));
        final Result r = exec("--max-instructions", "1000", p.toString());
        assertNotEquals(0, r.status, r::toString);
        assertTrue(r.err.contains("no tohost symbol"), r::toString);
    }

    @Test
    void programWithoutTohostStillReportsATrap() throws IOException {
        final Path p = write("notohost-trap.elf", TestPrograms.elfWithoutHtif(TestPrograms.code().word32(0)));
        final Result r = exec("--max-instructions", "1000", p.toString());
        assertEquals(1, r.status, r::toString);
        assertTrue(r.err.contains("cause 2"), r::toString);
    }

    @Test
    void missingFile() {
        final Path p = dir.resolve("nope.elf");
        assertOneClearError(exec(p.toString()), p + ": no such file");
    }

    @Test
    void directoryInsteadOfAFile() {
        assertOneClearError(exec(dir.toString()), "directory");
    }

    @Test
    void notAnElfFile() throws IOException {
        final Path p = dir.resolve("readme.txt");
        Files.writeString(p, "hello\n");
        assertOneClearError(exec(p.toString()), "not an ELF file");
    }

    @Test
    void x86ElfIsNamed() throws IOException {
        final Path p = write("x86.elf", TestPrograms.elf(TestPrograms.exit(TestPrograms.code(), 0)).machine(62));
        assertOneClearError(exec(p.toString()), "x86-64");
    }

    @Test
    void segmentOutsideRamSuggestsMem() throws IOException {
        final Path p = write("big.elf", TestPrograms.elf(TestPrograms.exit(TestPrograms.code(), 0))
                .load(0x8000_0000L + (32L << 20), new byte[] {1}, 16, ElfWriter.PF_R));
        final Result r = sublet("exec", "--mem", "16M", p.toString());
        assertOneClearError(r, "lies outside RAM");
        assertTrue(r.err.contains("--mem"), r::toString);
        assertEquals(0, sublet("exec", "--mem", "64M", p.toString()).status, "with more RAM it runs");
    }

    @Test
    void unknownOption() throws IOException {
        assertOneClearError(exec("--frobnicate", exitWith(0).toString()), "--frobnicate");
    }

    @Test
    void missingFileArgument() {
        assertOneClearError(sublet("exec"), "FILE.elf");
    }

    @Test
    void badInstructionLimits() throws IOException {
        final String p = exitWith(0).toString();
        assertOneClearError(exec("--max-instructions", "lots", p), "lots");
        assertOneClearError(exec("--max-instructions", "0", p), "--max-instructions must be positive");
        assertOneClearError(exec("--max-instructions", "-5", p), "--max-instructions must be positive");
    }

    @Test
    void badMemorySizes() throws IOException {
        final String p = exitWith(0).toString();
        assertOneClearError(sublet("exec", "--mem", "lots", p), "'lots' is not a size");
        assertOneClearError(sublet("exec", "--mem", "0", p), "not a positive size");
        assertOneClearError(sublet("exec", "--mem", "3K", p), "--mem");
        assertOneClearError(sublet("exec", "--mem", "4G", p), "--mem");
    }

    @Test
    void unknownSubcommand() {
        final Result r = sublet("frobnicate");
        assertEquals(ExitCodes.BAD_INPUT, r.status, r::toString);
        assertNoStackTrace(r);
        assertTrue(r.err.startsWith("sublet: ") && r.err.contains("frobnicate"), r::toString);
    }

    @Test
    void helpListsTheExitStatuses() {
        final Result r = sublet("exec", "--help");
        assertEquals(0, r.status, r::toString);
        for (String code : new String[] {"0", "1", "2", "3"}) {
            assertTrue(Pattern.compile("(?m)^\\s+" + code + "\\s+\\S").matcher(r.out).find(),
                    () -> "exit status " + code + " listed:\n" + r.out);
        }
    }

    // ---- --signature ----

    @Test
    void signatureIsOneLittleEndianWordPerLine() throws IOException {
        final byte[] data = new byte[32];
        for (int k = 0; k < 16; k++) {
            data[k] = (byte) (k + 1); // words 0x0807060504030201, 0x100f0e0d0c0b0a09 before the program runs
        }
        final long sig = TestPrograms.DATA + 0x10; // where TestPrograms puts the data bytes
        final Asm a = TestPrograms.code().li(Asm.T0, 0xfedc_ba98_7654_3210L).li(Asm.T1, sig).sd(Asm.T0, Asm.T1, 16);
        TestPrograms.exit(a, 0);
        final Path p = write("sig.elf", TestPrograms.elf(a, data)
                .symbol("begin_signature", sig).symbol("end_signature", sig + 24));
        final Path out = dir.resolve("sig.txt");
        final Result r = exec("--signature", out.toString(), p.toString());
        assertEquals(0, r.status, r::toString);
        assertEquals("0807060504030201\n100f0e0d0c0b0a09\nfedcba9876543210\n", Files.readString(out));
    }

    @Test
    void signatureIsWrittenEvenWhenTheProgramFails() throws IOException {
        final long sig = TestPrograms.DATA + 0x10;
        final Path p = write("sigfail.elf", TestPrograms.elf(TestPrograms.exit(TestPrograms.code(), 2), new byte[8])
                .symbol("begin_signature", sig).symbol("end_signature", sig + 8));
        final Path out = dir.resolve("sig.txt");
        assertEquals(1, exec("--signature", out.toString(), p.toString()).status);
        assertEquals("0000000000000000\n", Files.readString(out));
    }

    @Test
    void signatureNeedsItsSymbols() throws IOException {
        final Result r = exec("--signature", dir.resolve("s.txt").toString(), exitWith(0).toString());
        assertOneClearError(r, "begin_signature");
        assertFalse(Files.exists(dir.resolve("s.txt")));
    }

    // ---- --trace ----

    @Test
    void traceFileThatCannotBeCreatedIsExplained() throws IOException {
        final Path trace = dir.resolve("nodir").resolve("trace.txt");
        final Result r = exec("--trace", trace.toString(), exitWith(0).toString());
        assertOneClearError(r, trace.toString());
        assertNotEquals("sublet: " + trace, r.errLines().get(0).trim(), "the message must say what is wrong");
    }

    @Test
    void signatureFileThatCannotBeWrittenIsExplained() throws IOException {
        final long sig = TestPrograms.DATA + 0x10;
        final Path p = write("sig.elf", TestPrograms.elf(TestPrograms.exit(TestPrograms.code(), 0), new byte[8])
                .symbol("begin_signature", sig).symbol("end_signature", sig + 8));
        final Path out = dir.resolve("nodir").resolve("sig.txt");
        final Result r = exec("--signature", out.toString(), p.toString());
        assertOneClearError(r, out.toString());
        assertNotEquals("sublet: " + out, r.errLines().get(0).trim(), "the message must say what is wrong");
    }

    @Test
    void traceHasOneDisassembledLinePerInstructionWithTheRegistersWritten() throws IOException {
        final Asm a = TestPrograms.code().addi(Asm.A0, Asm.ZERO, 42).addi(Asm.A1, Asm.A0, 1);
        TestPrograms.exit(a, 0);
        final Path p = write("trace.elf", TestPrograms.elf(a));
        final Path trace = dir.resolve("trace.txt");
        final Result r = exec("--trace", trace.toString(), p.toString());
        assertEquals(0, r.status, r::toString);
        final List<String> lines = Files.readAllLines(trace);
        final String first = lines.get(0);
        final String second = lines.get(1);
        assertTrue(first.startsWith("M 0x0000000080000000 (0x" + String.format("%08x", a.word(0)) + ")"), first);
        assertTrue(first.contains(Disassembler.format(Decoder.decode(a.word(0)), 0x8000_0000L)), first);
        assertTrue(first.endsWith("a0=0x000000000000002a"), first);
        assertTrue(second.startsWith("M 0x0000000080000004 "), second);
        assertTrue(second.contains("addi\ta1,a0,1") && second.endsWith("a1=0x000000000000002b"), second);
        assertTrue(lines.size() >= 5, "li, li, sd, then the spin loop");
    }

    @Test
    void traceShowsTraps() throws IOException {
        final Asm a = TestPrograms.code().li(Asm.T0, 0x8000_0100L).csrrw(Asm.ZERO, 0x305, Asm.T0).ecall();
        while (a.pc() < 0x8000_0100L) {
            a.nop();
        }
        TestPrograms.exit(a, 0);
        final Path trace = dir.resolve("trace.txt");
        final Path p = write("ecall.elf", TestPrograms.elf(a));
        final Result r = exec("--trace", trace.toString(), p.toString());
        assertEquals(0, r.status, r::toString);
        final String text = Files.readString(trace);
        assertTrue(text.contains("trap: environment call from M-mode (cause 11)") && text.contains("-> M mode at "
                + "0x0000000080000100"), text);
    }
}
