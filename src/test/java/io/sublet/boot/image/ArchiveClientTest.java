package io.sublet.boot.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Downloads from a real HTTP server on a loopback port: verification, atomicity and network failures. */
class ArchiveClientTest {
    private static final byte[] BODY = FakeArchive.fill(300_000, 5);

    @TempDir
    Path dir;

    private FakeMirror mirror;
    private ArchiveClient client;

    @BeforeEach
    void start() throws IOException {
        mirror = new FakeMirror();
        mirror.files.put("pool/a.deb", BODY);
        client = new ArchiveClient(mirror.uri(), Duration.ofSeconds(5), Duration.ofMillis(500));
    }

    @AfterEach
    void stop() {
        mirror.close();
    }

    private List<String> filesInDir() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(java.util.stream.Collectors.toList());
        }
    }

    @Test
    void aVerifiedDownloadAppearsWhole() throws Exception {
        final List<long[]> progress = new ArrayList<>();
        final Progress p = new Progress() {
            @Override
            public void note(final String line) {
            }

            @Override
            public void transfer(final String name, final long done, final long total) {
                assertEquals("a.deb", name);
                progress.add(new long[] {done, total});
            }
        };
        client.download("pool/a.deb", dir.resolve("a.deb"), Sha256.of(BODY), BODY.length, p);
        assertArrayEquals(BODY, Files.readAllBytes(dir.resolve("a.deb")));
        assertEquals(List.of("a.deb"), filesInDir());
        assertArrayEquals(new long[] {BODY.length, BODY.length}, progress.get(progress.size() - 1));
        assertArrayEquals(BODY, client.fetch("pool/a.deb", BODY.length));
    }

    @Test
    void aHashMismatchKeepsNothing() throws IOException {
        final String wrong = Sha256.of(new byte[] {1});
        final ImageException e = assertThrows(ImageException.class,
                () -> client.download("pool/a.deb", dir.resolve("a.deb"), wrong, BODY.length, Progress.SILENT));
        assertEquals(mirror.uri() + "pool/a.deb: SHA-256 mismatch: the index says " + wrong + ", the download is "
                + Sha256.of(BODY), e.getMessage());
        assertEquals(List.of(), filesInDir());
    }

    @Test
    void aShortOrLongDownloadKeepsNothing() throws IOException {
        ImageException e = assertThrows(ImageException.class, () -> client.download("pool/a.deb", dir.resolve("a.deb"),
                Sha256.of(BODY), BODY.length + 1000, Progress.SILENT));
        assertTrue(e.getMessage().endsWith(
                "pool/a.deb: truncated: received 300000 of the 301000 bytes the index lists"),
                e.getMessage());
        e = assertThrows(ImageException.class, () -> client.download("pool/a.deb", dir.resolve("a.deb"),
                Sha256.of(BODY), 1000, Progress.SILENT));
        assertTrue(e.getMessage().contains("more than the 1000 expected"), e.getMessage());
        e = assertThrows(ImageException.class, () -> client.fetch("pool/a.deb", 1000));
        assertTrue(e.getMessage().contains("more than the 1000 expected"), e.getMessage());
        assertEquals(List.of(), filesInDir());
    }

    @Test
    void aFailedDownloadLeavesAnEarlierGoodFileAlone() throws Exception {
        final Path target = dir.resolve("a.deb");
        Files.write(target, new byte[] {42});
        assertThrows(ImageException.class, () -> client.download("pool/a.deb", target, Sha256.of(new byte[0]),
                BODY.length, Progress.SILENT));
        assertArrayEquals(new byte[] {42}, Files.readAllBytes(target));
        assertEquals(List.of("a.deb"), filesInDir());
    }

    @Test
    void notFoundIsNamedOrReportedAsMissing() throws ImageException, IOException {
        final ImageException e = assertThrows(ImageException.class, () -> client.fetch("pool/none.deb", 100));
        assertEquals(mirror.uri() + "pool/none.deb: not found on the mirror (HTTP 404)", e.getMessage());
        assertFalse(client.downloadIfPresent("pool/none.deb", dir.resolve("n"), Sha256.of(BODY), 10,
                Progress.SILENT, true));
        assertEquals(List.of(), filesInDir());
    }

    @Test
    void aStalledTransferIsAbandoned() throws IOException {
        mirror.stalled.put("pool/a.deb", true);
        final ImageException e = assertThrows(ImageException.class, () -> client.download("pool/a.deb",
                dir.resolve("a.deb"), Sha256.of(BODY), BODY.length, Progress.SILENT));
        assertTrue(e.getMessage().endsWith("pool/a.deb: no data for 500 ms; giving up"), e.getMessage());
        assertEquals(List.of(), filesInDir());
    }

    @Test
    void anUnreachableMirrorIsAOneLineNetworkError() throws IOException {
        final int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        final ArchiveClient dead = new ArchiveClient(URI.create("http://127.0.0.1:" + port + "/debian"));
        ImageException e = assertThrows(ImageException.class, () -> dead.fetch("dists/trixie/InRelease", 100));
        assertTrue(e.getMessage().startsWith(
                "http://127.0.0.1:" + port + "/debian/dists/trixie/InRelease: cannot connect"),
                e.getMessage());
        final ArchiveClient nowhere = new ArchiveClient(URI.create("http://no-such-host.invalid/debian/"));
        e = assertThrows(ImageException.class, () -> nowhere.fetch("dists/trixie/InRelease", 100));
        assertTrue(e.getMessage().startsWith("http://no-such-host.invalid/debian/dists/trixie/InRelease: "),
                e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }
}
