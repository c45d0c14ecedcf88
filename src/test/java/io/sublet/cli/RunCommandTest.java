package io.sublet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input to {@code sublet run}: one clear line on stderr, exit status 2, and the guest never starts. */
class RunCommandTest {
    @TempDir
    Path dir;

    private record Result(int status, String out, String err) { }

    private static Result sublet(String... args) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int status = Main.run(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), args);
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** A minimal valid RISC-V Image header (its code is never run by these tests). */
    private Path kernel() throws IOException {
        final ByteBuffer b = ByteBuffer.allocate(8192).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(8, 0x200000);
        b.putLong(16, 0x100000);
        b.putLong(48, 0x5643534952L);
        b.putInt(56, 0x05435352);
        return Files.write(dir.resolve("Image"), b.array());
    }

    private static void assertOneLine(Result r, String mentions) {
        assertEquals(ExitCodes.BAD_INPUT, r.status(), r.toString());
        final String[] lines = r.err().strip().split("\n");
        assertEquals(1, lines.length, "one line: " + r.err());
        assertTrue(lines[0].startsWith("sublet: ") && lines[0].contains(mentions), r.err());
        assertFalse(r.err().contains("Exception"), "no stack trace: " + r.err());
    }

    @Test
    void aFileThatIsNotAKernelIsRefused() throws IOException {
        final Path notes = Files.writeString(dir.resolve("notes.txt"), "not a kernel\n".repeat(20));
        assertOneLine(sublet("run", "--kernel", notes.toString()), "not a RISC-V Linux Image");
    }

    @Test
    void aMissingKernelIsRefused() {
        assertOneLine(sublet("run", "--kernel", dir.resolve("nope").toString()), "no such file");
    }

    @Test
    void anInitrdLargerThanRamIsRefused() throws IOException {
        final Path initrd = dir.resolve("big.cpio.gz");
        Files.write(initrd, new byte[40 << 20]);
        final Result r = sublet("run", "--mem", "32M", "--kernel", kernel().toString(), "--initrd", initrd.toString());
        assertOneLine(r, "does not fit");
        assertTrue(r.err().contains("--mem"), "says how to fix it: " + r.err());
    }

    @Test
    void aMissingFirmwareIsRefused() throws IOException {
        assertOneLine(sublet("run", "--kernel", kernel().toString(), "--bios", dir.resolve("fw.bin").toString()),
                "no such file");
    }

    @Test
    void aBadMemorySizeIsRefused() throws IOException {
        final Result r = sublet("run", "--mem", "lots", "--kernel", kernel().toString());
        assertEquals(ExitCodes.BAD_INPUT, r.status());
        assertTrue(r.err().contains("'lots' is not a size"), r.err());
    }

    @Test
    void aFileThatIsNotASnapshotIsRefused() throws IOException {
        final Path notes = Files.writeString(dir.resolve("notes.snap"), "not a snapshot\n".repeat(400));
        assertOneLine(sublet("run", "--restore", notes.toString()), "not a Sublet snapshot");
        assertOneLine(sublet("run", "--restore", dir.resolve("none.snap").toString()), "no such snapshot file");
    }

    @Test
    void restoreTakesTheMachineFromTheSnapshotAlone() throws IOException {
        assertOneLine(sublet("run", "--restore", "x.snap", "--kernel", kernel().toString()), "leave out the options");
        assertOneLine(sublet("run", "--force", "--kernel", kernel().toString()), "--force goes with --restore");
    }
}
