package io.sublet.boot.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.cpio.CpioArchiveEntry;
import org.apache.commons.compress.archivers.cpio.CpioArchiveInputStream;
import org.apache.commons.compress.archivers.cpio.CpioConstants;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CpioWriterTest {
    @TempDir
    Path dir;

    private static byte[] sample() throws IOException {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (CpioWriter w = new CpioWriter(out, 1_700_000_000L)) {
            w.directory("bin", 0755);
            w.file("/bin/busybox", 0755, "#!fake\n".getBytes(StandardCharsets.US_ASCII));
            w.symlink("bin/sh", "busybox");
            w.directory("dev", 0755);
            w.charDevice("dev/console", 0600, 5, 1);
            w.file("init", 0755, new byte[] {1, 2, 3, 4, 5});
            w.file("empty", 0644, new byte[0]);
        }
        return out.toByteArray();
    }

    /** Read back with commons-compress, an independent cpio reader. */
    @Test
    void entriesReadBackWithTheirTypesModesDataAndDevices() throws IOException {
        final byte[] archive = sample();
        assertEquals(0, archive.length % 4);
        final List<String> names = new ArrayList<>();
        try (CpioArchiveInputStream in = new CpioArchiveInputStream(new ByteArrayInputStream(archive))) {
            CpioArchiveEntry e;
            while ((e = in.getNextEntry()) != null) {
                names.add(e.getName());
                assertEquals(CpioConstants.FORMAT_NEW, e.getFormat());
                assertEquals(1_700_000_000L, e.getTime(), "seconds");
                assertEquals(0, e.getUID());
                final byte[] data = in.readAllBytes();
                switch (e.getName()) {
                    case "bin":
                        assertTrue(e.isDirectory());
                        assertEquals(040755L, e.getMode());
                        break;
                    case "bin/busybox":
                        assertTrue(e.isRegularFile());
                        assertEquals(0100755L, e.getMode());
                        assertArrayEquals("#!fake\n".getBytes(StandardCharsets.US_ASCII), data);
                        break;
                    case "bin/sh":
                        assertTrue(e.isSymbolicLink());
                        assertEquals("busybox", new String(data, StandardCharsets.UTF_8));
                        break;
                    case "dev/console":
                        assertTrue(e.isCharacterDevice());
                        assertEquals(020600L, e.getMode());
                        assertEquals(5, e.getRemoteDeviceMaj());
                        assertEquals(1, e.getRemoteDeviceMin());
                        break;
                    case "init":
                        assertArrayEquals(new byte[] {1, 2, 3, 4, 5}, data);
                        break;
                    default:
                        break;
                }
            }
        }
        assertEquals(List.of("bin", "bin/busybox", "bin/sh", "dev", "dev/console", "init", "empty"), names);
    }

    @Test
    void theSameInputMakesTheSameBytes() throws IOException {
        assertArrayEquals(sample(), sample());
    }

    /** And with GNU cpio, when the host has it. */
    @Test
    void gnuCpioListsTheArchive() throws Exception {
        final Path a = dir.resolve("a.cpio");
        Files.write(a, sample());
        final Process p;
        try {
            p = new ProcessBuilder("cpio", "-itv", "--quiet").redirectInput(a.toFile()).redirectErrorStream(true)
                    .start();
        } catch (IOException e) {
            Assumptions.abort("cpio (Debian package cpio) is not installed");
            return;
        }
        final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("crw-------") && out.contains("5,   1") && out.contains("dev/console"), out);
        assertTrue(out.contains("bin/sh -> busybox"), out);
        assertTrue(out.contains("-rwxr-xr-x") && out.contains("bin/busybox"), out);
        assertEquals(7, out.strip().split("\n").length, out);
    }

    @Test
    void badNamesDuplicatesAndOrphansAreRefused() throws IOException {
        final CpioWriter w = new CpioWriter(new ByteArrayOutputStream(), 0);
        w.directory("etc", 0755);
        w.file("etc/a", 0644, new byte[0]);
        assertThrows(IllegalArgumentException.class, () -> w.file("etc/a", 0644, new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> w.file("/etc/a", 0644, new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> w.file("lib/x", 0644, new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> w.file("etc/../x", 0644, new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> w.file("", 0644, new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> w.symlink("etc/l", ""));
        w.finish();
        assertThrows(IllegalStateException.class, () -> w.file("etc/b", 0644, new byte[0]));
    }
}
