package io.sublet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sublet.boot.image.FakeArchiveServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sublet image}, in-process, against a miniature archive on a loopback HTTP server. */
class ImageCommandTest {
    @TempDir
    Path tmp;

    private FakeArchiveServer server;
    private Path home;
    private Path keyring;
    private String out;
    private String err;

    @BeforeEach
    void start() throws IOException {
        home = tmp.resolve("home");
        keyring = tmp.resolve("keyring.gpg");
        server = FakeArchiveServer.start(keyring);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private int run(final String... args) {
        final ByteArrayOutputStream o = new ByteArrayOutputStream();
        final ByteArrayOutputStream e = new ByteArrayOutputStream();
        final int status = Main.run(new PrintStream(o, true, StandardCharsets.UTF_8),
                new PrintStream(e, true, StandardCharsets.UTF_8), args);
        out = o.toString(StandardCharsets.UTF_8);
        err = e.toString(StandardCharsets.UTF_8);
        return status;
    }

    private int pull(final String... extra) {
        final String[] base = {"image", "pull", "debian", "--home", home.toString(), "--mirror",
            server.uri().toString(), "--keyring", keyring.toString()};
        final String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return run(args);
    }

    @Test
    void pullThenLsThenPath() throws IOException {
        assertEquals(0, run("image", "ls", "--home", home.toString()), err);
        assertTrue(out.startsWith("no images in "), out);
        assertEquals(2, run("image", "path", "--home", home.toString()));
        assertTrue(err.startsWith("sublet: debian-trixie is not in ") && err.contains("run 'sublet image pull'"), err);

        assertEquals(0, pull(), err);
        assertTrue(out.contains("good signature by") && out.contains("SHA-256 and size match Packages"), out);
        assertTrue(out.contains("kernel " + FakeArchiveServer.kernelVersion() + ": "), out);
        assertEquals("", err);
        final int requests = server.requests();

        assertEquals(0, pull(), err);
        assertTrue(out.contains("present and verified") && out.contains("nothing to download"), out);
        assertEquals(requests, server.requests());

        assertEquals(0, run("image", "ls", "--home", home.toString()), err);
        assertTrue(out.startsWith("debian-trixie  kernel " + FakeArchiveServer.kernelVersion()), out);
        assertTrue(out.contains("verified") && out.contains("vmlinux") && out.contains("initramfs.cpio.gz"), out);

        assertEquals(0, run("image", "path", "kernel", "--home", home.toString()), err);
        final Path kernel = Path.of(out.strip());
        assertTrue(Files.isRegularFile(kernel) && kernel.getFileName().toString().equals("vmlinux"), out);
        assertEquals(0, run("image", "path", "--home", home.toString()), err);
        assertEquals(kernel.getParent(), Path.of(out.strip()));
        assertEquals(2, run("image", "path", "bzImage", "--home", home.toString()));
        assertTrue(err.startsWith("sublet: image path: unknown file 'bzImage'"), err);
    }

    @Test
    void anUnverifiableDownloadIsExitStatusTwoWithOneLineAndNothingKept() throws IOException {
        server.tamperInRelease();
        assertEquals(2, pull());
        assertTrue(err.startsWith("sublet: " + server.uri() + "dists/trixie/InRelease: BAD signature by "), err);
        assertEquals(1, err.strip().split("\n").length, err);
        assertFalse(err.contains("Exception") || err.contains("\tat "), err);
        assertFalse(Files.exists(home.resolve("images/debian-trixie")));
        try (Stream<Path> s = Files.walk(home)) {
            assertTrue(s.noneMatch(p -> p.toString().endsWith(".part") || p.toString().contains("pull-")));
        }
    }

    @Test
    void aCorruptPackageIsExitStatusTwo() {
        server.corruptKernelPackage();
        assertEquals(2, pull());
        assertTrue(err.startsWith("sublet: ") && err.contains("linux-image-") && err.contains(": SHA-256 mismatch"),
                err);
        assertFalse(Files.exists(home.resolve("images/debian-trixie")));
    }

    @Test
    void badArgumentsAreExitStatusTwo() {
        assertEquals(2, run("image", "pull", "ubuntu", "--home", home.toString()));
        assertEquals("sublet: image pull: unknown image 'ubuntu'; the only image is 'debian'\n", err);
        assertEquals(2, run("image", "pull", "--home", home.toString(), "--mirror", "ftp://x/debian"));
        assertTrue(err.startsWith("sublet: --mirror: "), err);
        assertEquals(2, run("image", "pull", "--home", home.toString(), "--mirror", server.uri().toString(),
                "--keyring", tmp.resolve("none.gpg").toString()));
        assertTrue(err.contains("none.gpg: no such keyring"), err);
        assertEquals(2, run("image"));
        assertEquals(2, run("image", "pull", "--bogus"));
    }
}
