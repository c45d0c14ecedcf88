package io.sublet.boot.image;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** For tests in other packages (the CLI): a {@link FakeArchive} on a {@link FakeMirror}, and its keyring. */
public final class FakeArchiveServer implements AutoCloseable {
    private final FakeArchive archive;
    private final FakeMirror mirror;

    private FakeArchiveServer(final FakeArchive archive, final FakeMirror mirror) {
        this.archive = archive;
        this.mirror = mirror;
    }

    /** Starts serving a fresh archive; writes the public key that signed it to {@code keyring}. */
    public static FakeArchiveServer start(final Path keyring) throws IOException {
        final TestKeys.SigningKey key = TestKeys.ed25519("Test Archive <archive@test>");
        Files.write(keyring, key.publicRing());
        final FakeArchive a = new FakeArchive(key);
        final FakeMirror m = new FakeMirror();
        m.files.putAll(a.files);
        return new FakeArchiveServer(a, m);
    }

    public URI uri() {
        return mirror.uri();
    }

    public int requests() {
        return mirror.requests.get();
    }

    /** The kernel version of the archive's kernel package. */
    public static String kernelVersion() {
        return FakeArchive.KVER;
    }

    /** Serves an InRelease whose signed text was changed after signing. */
    public void tamperInRelease() {
        mirror.files.put("dists/trixie/InRelease", new String(archive.inRelease, StandardCharsets.UTF_8)
                .replace("Date: Sat", "Date: Sun").getBytes(StandardCharsets.UTF_8));
    }

    /** Serves the kernel package with one byte changed. */
    public void corruptKernelPackage() {
        final byte[] b = archive.kernelDeb.clone();
        b[b.length / 3] ^= 0x40;
        mirror.files.put(archive.kernelPath(), b);
    }

    @Override
    public void close() {
        mirror.close();
    }
}
