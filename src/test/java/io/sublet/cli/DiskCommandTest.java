package io.sublet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sublet.dev.virtio.FileDisk;
import io.sublet.dev.virtio.FileDiskHoles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sublet disk create} and {@code sublet disk info}, in-process: exit status, stdout, one-line errors. */
class DiskCommandTest {
    @TempDir
    Path tmp;

    private String out;
    private String err;

    private int run(final String... args) {
        final ByteArrayOutputStream o = new ByteArrayOutputStream();
        final ByteArrayOutputStream e = new ByteArrayOutputStream();
        final int status = Main.run(new PrintStream(o, true, StandardCharsets.UTF_8),
                new PrintStream(e, true, StandardCharsets.UTF_8), args);
        out = o.toString(StandardCharsets.UTF_8);
        err = e.toString(StandardCharsets.UTF_8);
        return status;
    }

    private void assertOneLineError(final String expected) {
        assertEquals(expected + "\n", err);
        assertFalse(err.contains("Exception") || err.contains("\tat "), err);
    }

    @Test
    void createMakesASparseImageOfTheGivenSize() throws IOException {
        final Path d = tmp.resolve("d.img");
        assertEquals(0, run("disk", "create", d.toString(), "8G"), err);
        assertEquals("created " + d + ": 8 GiB (8589934592 bytes), sparse raw image\n", out);
        assertEquals("", err);
        assertEquals(8L << 30, Files.size(d));
        final OptionalLong used = FileDiskHoles.allocatedBytes(d);
        Assumptions.assumeTrue(used.isPresent(), "no 'stat' tool to count allocated blocks");
        assertTrue(used.getAsLong() <= 64 * 1024, "8 GiB image takes " + used.getAsLong() + " bytes");
    }

    @Test
    void aSizeThatIsNotWholeSectorsIsRoundedUp() throws IOException {
        final Path d = tmp.resolve("small.img");
        assertEquals(0, run("disk", "create", d.toString(), "1000B"), err);
        assertEquals("created " + d + ": 1 KiB (1024 bytes), sparse raw image (rounded up from 1000 bytes to a "
                + "multiple of 512)\n", out);
        assertEquals(1024, Files.size(d));
        assertEquals(0, run("disk", "create", tmp.resolve("m.img").toString(), "3"), err);
        assertEquals(3 << 20, Files.size(tmp.resolve("m.img")), "a bare number is MiB, as for --mem");
    }

    @Test
    void anExistingFileIsKeptUnlessForced() throws IOException {
        final Path d = tmp.resolve("d.img");
        Files.write(d, new byte[] {1, 2, 3});
        assertEquals(2, run("disk", "create", d.toString(), "1M"));
        assertOneLineError("sublet: " + d + " already exists; give --force to overwrite it (its contents are lost)");
        assertEquals(3, Files.size(d));
        assertEquals(0, run("disk", "create", "--force", d.toString(), "1M"), err);
        assertEquals(1 << 20, Files.size(d));
        assertEquals(0, Files.readAllBytes(d)[0]);
    }

    @Test
    void aDiskInUseIsNotOverwrittenEvenWithForce() throws IOException {
        final Path d = tmp.resolve("busy.img");
        FileDisk.create(d, 1 << 20, false);
        try (FileDisk vm = FileDisk.open(d, false)) {
            assertEquals(2, run("disk", "create", "-f", d.toString(), "2M"));
            assertOneLineError("sublet: " + d + " is in use by another VM (already open in this process)");
            assertEquals(0, run("disk", "info", d.toString()), err);
            assertTrue(out.contains("in use:    open read-write in this process\n"), out);
        }
        assertEquals(1 << 20, Files.size(d));
    }

    @Test
    void badSizesAndPlacesAreExitStatusTwoWithOneLine() throws IOException {
        final Path d = tmp.resolve("d.img");
        assertEquals(2, run("disk", "create", d.toString(), "0"));
        assertTrue(err.startsWith("sublet: ") && err.contains("'0' is not a positive size"), err);
        assertEquals(2, run("disk", "create", d.toString(), "lots"));
        assertTrue(err.contains("'lots' is not a size"), err);
        assertEquals(2, run("disk", "create", d.toString(), "-5"));
        assertFalse(Files.exists(d));

        assertEquals(2, run("disk", "create", tmp.resolve("nowhere/d.img").toString(), "1M"));
        assertOneLineError("sublet: " + tmp.resolve("nowhere") + ": no such directory");
        final Path file = Files.write(tmp.resolve("plain"), new byte[1]);
        assertEquals(2, run("disk", "create", file.resolve("d.img").toString(), "1M"));
        assertOneLineError("sublet: " + file + ": not a directory");
        assertEquals(2, run("disk", "create", tmp.toString(), "1M", "--force"));
        assertOneLineError("sublet: " + tmp + ": not a regular file");

        assertEquals(2, run("disk", "create", d.toString()));
        assertOneLineError("sublet: disk create: give a SIZE (or --backing, to take its size)");
        assertEquals(2, run("disk"));
        assertTrue(err.startsWith("sublet: disk: give a subcommand: create or info\n"), err);
    }

    @Test
    void infoShowsSizeSpaceAndUse() throws IOException {
        final Path d = tmp.resolve("d.img");
        assertEquals(0, run("disk", "create", d.toString(), "64M"), err);
        assertEquals(0, run("disk", "info", d.toString()), err);
        assertTrue(out.startsWith("file:      " + d + "\nformat:    raw\n"
                + "size:      64 MiB (67108864 bytes), 131072 sectors\nallocated: "), out);
        assertTrue(out.endsWith("in use:    no\n"), out);
        try (FileDisk ro = FileDisk.open(d, true)) {
            assertEquals(0, run("disk", "info", d.toString()), err);
            assertTrue(out.endsWith("in use:    open read-only in this process\n"), out);
        }

        final Path odd = Files.write(tmp.resolve("odd.img"), new byte[1000]);
        assertEquals(0, run("disk", "info", odd.toString()), err);
        assertTrue(out.contains("size:      1000 bytes, 1 sectors (NOT USABLE: not a multiple of 512)\n"), out);

        assertEquals(2, run("disk", "info", tmp.resolve("missing.img").toString()));
        assertOneLineError("sublet: " + tmp.resolve("missing.img") + ": no such file or directory");
        assertEquals(2, run("disk", "info", tmp.toString()));
        assertOneLineError("sublet: " + tmp + ": not a regular file (a disk is a raw image file)");
    }

    @Test
    void sizesAreShownInBinaryUnitsWithTheExactCount() {
        assertEquals("1000 bytes", DiskCommand.describeSize(1000));
        assertEquals("1 KiB (1024 bytes)", DiskCommand.describeSize(1024));
        assertEquals("1.5 GiB (1610612736 bytes)", DiskCommand.describeSize(3L << 29));
        assertEquals("2 TiB (2199023255552 bytes)", DiskCommand.describeSize(2L << 40));
    }

    @Test
    void createMakesQcow2ImagesThatQemuImgAccepts() throws Exception {
        final Path base = tmp.resolve("base.qcow2");
        assertEquals(0, run("disk", "create", "--format", "qcow2", base.toString(), "1G"), err);
        assertEquals("created " + base + ": 1 GiB (1073741824 bytes), qcow2\n", out);
        final Path top = tmp.resolve("top.qcow2");
        assertEquals(0, run("disk", "create", "--format", "qcow2", "--backing", "base.qcow2", top.toString()), err);
        assertEquals("created " + top + ": 1 GiB (1073741824 bytes), qcow2 over base.qcow2\n", out);
        assertEquals(0, run("disk", "info", top.toString()), err);
        assertTrue(out.contains("format:    qcow2 version 3, 65536-byte clusters"), out);
        assertTrue(out.contains("backing:   base.qcow2 (qcow2)"), out);
        assertTrue(out.contains("  backing file:      " + tmp.resolve("base.qcow2")), out);
        try {
            final Process p = new ProcessBuilder("qemu-img", "info", top.toString()).redirectErrorStream(true).start();
            final String info = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.waitFor(), info);
            assertTrue(info.contains("virtual size: 1 GiB") && info.contains("backing file: base.qcow2"), info);
        } catch (IOException e) {
            Assumptions.abort("qemu-img is not installed (.ci/install-deps installs qemu-utils)");
        }
    }

    @Test
    void badQcow2RequestsAreRefusedInOneLine() {
        assertEquals(ExitCodes.BAD_INPUT, run("disk", "create", "--format", "vmdk", tmp.resolve("x").toString(), "1G"));
        assertOneLineError("sublet: disk create: unknown format 'vmdk' (raw or qcow2)");
        assertEquals(ExitCodes.BAD_INPUT, run("disk", "create", "--backing", "b.img", tmp.resolve("x").toString(), "1G"));
        assertOneLineError("sublet: disk create: --backing needs --format qcow2");
        assertEquals(ExitCodes.BAD_INPUT, run("disk", "create", "--format", "qcow2", tmp.resolve("x").toString()));
        assertOneLineError("sublet: disk create: give a SIZE (or --backing, to take its size)");
        assertEquals(ExitCodes.BAD_INPUT, run("disk", "create", "--format", "qcow2", "--backing", "none.img",
                tmp.resolve("x").toString()));
        assertTrue(err.startsWith("sublet: ") && err.contains("none.img") && !err.contains("Exception"), err);
    }
}
