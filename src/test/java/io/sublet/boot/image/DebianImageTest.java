package io.sublet.boot.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole pull, offline: a miniature archive ({@link FakeArchive}) signed with a key made in the test, served by
 * a real HTTP server on a loopback port. Checks what a pull installs, that a second pull downloads nothing, and
 * that every kind of bad download fails with a one-line message and leaves the previous image current and nothing
 * half-written in the cache.
 */
class DebianImageTest {
    private static final List<String> LOAD_ORDER = List.of("virtio_mmio", "virtio_blk", "failover", "net_failover",
            "virtio_net", "virtio_rng", "crc32c_generic", "jbd2", "mbcache", "crc16", "ext4");

    @TempDir
    Path tmp;

    private Path home;
    private Path keyring;
    private FakeArchive archive;
    private FakeMirror mirror;
    private final List<String> notes = new ArrayList<>();
    private final Progress progress = new Progress() {
        @Override
        public void note(final String line) {
            notes.add(line);
        }

        @Override
        public void transfer(final String name, final long done, final long total) {
        }
    };

    @BeforeEach
    void setUp() throws IOException {
        home = tmp.resolve("home");
        final TestKeys.SigningKey key = TestKeys.ed25519("Test Archive <archive@test>");
        keyring = Files.write(tmp.resolve("keyring.gpg"), key.publicRing());
        archive = new FakeArchive(key);
        mirror = new FakeMirror();
        serve();
    }

    @AfterEach
    void tearDown() {
        mirror.close();
    }

    private void serve() {
        mirror.files.clear();
        mirror.files.putAll(archive.files);
    }

    private DebianImage image() {
        return new DebianImage(home, mirror.uri(), keyring);
    }

    private static String initOf(final GuestImage img) throws IOException {
        return InitramfsTest.text(InitramfsTest.read(Files.readAllBytes(img.initrd())), "init");
    }

    private List<String> list(final String sub) throws IOException {
        final Path d = home.resolve(sub);
        if (!Files.isDirectory(d)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    /** The previous image is still current and verified, and no work or partial file is left. */
    private void assertIntact(final GuestImage before) throws IOException {
        final ImageStatus st = image().status().orElseThrow();
        assertTrue(st.ok(), st.problem());
        assertEquals(before.dir(), st.dir());
        assertEquals(List.of(), list("tmp"));
        assertTrue(list("debs").stream().allMatch(f -> f.endsWith(".deb") && !f.startsWith(".")),
                list("debs").toString());
        assertEquals(List.of(DebianImage.NAME, before.dir().getFileName().toString()), list("images"));
    }

    @Test
    void pullInstallsAVerifiedImageAndASecondPullDownloadsNothing() throws Exception {
        final GuestImage img = image().pull(progress, false);
        assertEquals(FakeArchive.KVER, img.kernelVersion());
        assertArrayEquals(TestFiles.kernelImage(64 * 1024), Files.readAllBytes(img.kernel()));
        assertArrayEquals(FakeArchive.fill(2000, 2), Files.readAllBytes(img.fwJump()));
        assertArrayEquals(FakeArchive.fill(3000, 1), Files.readAllBytes(img.fwDynamic()));
        assertEquals(LOAD_ORDER, img.modules());
        assertEquals(List.of(FakeArchive.KPKG + " 6.12.0-1", "busybox-static 1:1.37.0-6", "opensbi 1.6-1"),
                img.packages());
        assertEquals(home.resolve("images").toRealPath(), img.dir().getParent());
        assertEquals(img.dir(), home.resolve("images/debian-trixie").toRealPath());

        final Map<String, Object[]> initrd = InitramfsTest.read(Files.readAllBytes(img.initrd()));
        final String modDir = "lib/modules/" + FakeArchive.KVER + "/";
        assertArrayEquals(TestFiles.riscvModule(FakeArchive.KVER, "virtio_rng", ""),
                (byte[]) initrd.get(modDir + "kernel/drivers/char/hw_random/virtio-rng.ko")[1]);
        assertArrayEquals(TestFiles.riscvExecutable(4096), (byte[]) initrd.get("bin/busybox")[1]);
        assertFalse(initrd.keySet().stream().anyMatch(n -> n.contains("unrelated") || n.contains("libcrc32c")));
        final String init = initOf(img);
        int last = -1;
        for (String m : LOAD_ORDER) {
            final int at = init.indexOf("load " + m + " ");
            assertTrue(at > last, m + " out of order in\n" + init);
            last = at;
        }
        assertTrue(notes.stream().anyMatch(n -> n.contains("built into the kernel: virtio_console")), notes.toString());
        assertTrue(notes.stream().anyMatch(n -> n.startsWith("verified " + mirror.uri() + "dists/trixie/InRelease")
                && n.contains("good signature by") && n.contains("Test Archive <archive@test>")), notes.toString());
        assertTrue(notes.stream().anyMatch(n -> n.startsWith("fetched " + FakeArchive.KPKG)
                && n.endsWith("SHA-256 and size match Packages")), notes.toString());
        assertEquals(List.of(), list("tmp"));
        assertEquals(3, list("debs").size());

        final int requests = mirror.requests.get();
        notes.clear();
        assertEquals(img, image().pull(progress, false));
        assertEquals(img, image().ensure(progress));
        assertEquals(img, DebianImage.ensure(home, Progress.SILENT), "the default mirror is never asked either");
        assertEquals(requests, mirror.requests.get(), "a second pull downloads nothing");
        assertTrue(notes.get(0).contains("present and verified"), notes.toString());

        notes.clear();
        assertEquals(img, image().pull(progress, true));
        assertTrue(notes.get(notes.size() - 1).contains("is up to date"), notes.toString());
        assertEquals(requests + 2, mirror.requests.get(), "refresh fetches InRelease and Packages.xz only");
    }

    @Test
    void aTamperedInReleaseIsRefusedAndTheImageKept() throws Exception {
        final GuestImage before = image().pull(progress, false);
        mirror.files.put("dists/trixie/InRelease", new String(archive.inRelease, StandardCharsets.UTF_8)
                .replace("Codename: trixie", "Codename: trixie ").replace("Date: Sat", "Date: Sun")
                .getBytes(StandardCharsets.UTF_8));
        final ImageException e = assertThrows(ImageException.class, () -> image().pull(progress, true));
        assertTrue(e.getMessage().startsWith(mirror.uri() + "dists/trixie/InRelease: BAD signature by "),
                e.getMessage());
        assertIntact(before);
    }

    @Test
    void anIndexSignedByAnotherKeyIsRefused() throws Exception {
        final FakeArchive other = new FakeArchive(TestKeys.ed25519("Mallory <m@evil>"));
        mirror.files.putAll(other.files);
        final ImageException e = assertThrows(ImageException.class, () -> image().pull(progress, false));
        assertTrue(e.getMessage().contains("InRelease: no good signature by a key in " + keyring), e.getMessage());
        assertEquals(List.of(), list("images"));
        assertEquals(List.of(), list("tmp"));
        assertEquals(List.of(), list("debs"));
    }

    @Test
    void aPackagesIndexThatDoesNotMatchInReleaseIsRefused() throws Exception {
        final byte[] bad = TestFiles.xz("Package: evil\n".getBytes(StandardCharsets.US_ASCII));
        mirror.files.replaceAll((k, v) -> k.contains("binary-riscv64/") ? bad : v);
        final ImageException e = assertThrows(ImageException.class, () -> image().pull(progress, false));
        assertTrue(e.getMessage().contains("dists/trixie/main/binary-riscv64/by-hash/SHA256/")
                && (e.getMessage().contains("SHA-256 mismatch") || e.getMessage().contains("truncated")),
                e.getMessage());
        assertEquals(List.of(), list("images"));
        assertEquals(List.of(), list("tmp"));
    }

    @Test
    void theIndexIsFetchedByPathWhenTheMirrorHasNoByHashCopy() throws Exception {
        mirror.files.keySet().removeIf(k -> k.contains("/by-hash/"));
        assertEquals(LOAD_ORDER, image().pull(progress, false).modules());
    }

    /** A new kernel appears in the archive, but the mirror serves a damaged or short copy of its package. */
    @Test
    void aDamagedOrShortPackageIsRefusedAndNothingOfItKept() throws Exception {
        final GuestImage before = image().pull(progress, false);
        archive.kernelVersion = "6.12.0-2";
        archive.build();
        serve();
        final byte[] deb = archive.kernelDeb;
        final byte[] flipped = deb.clone();
        flipped[deb.length / 2] ^= 1;
        mirror.files.put(archive.kernelPath(), flipped);
        ImageException e = assertThrows(ImageException.class, () -> image().pull(progress, true));
        assertEquals(mirror.uri() + archive.kernelPath() + ": SHA-256 mismatch: the index says " + Sha256.of(deb)
                + ", the download is " + Sha256.of(flipped), e.getMessage());
        assertIntact(before);
        assertFalse(list("debs").contains(FakeArchive.KPKG + "_6.12.0-2_riscv64.deb"));

        mirror.files.put(archive.kernelPath(), Arrays.copyOf(deb, deb.length / 2));
        e = assertThrows(ImageException.class, () -> image().pull(progress, true));
        assertTrue(e.getMessage().endsWith(": truncated: received " + deb.length / 2 + " of the " + deb.length
                + " bytes the index lists"), e.getMessage());
        assertIntact(before);

        mirror.files.put(archive.kernelPath(), deb);
        final GuestImage after = image().pull(progress, true);
        assertFalse(after.dir().equals(before.dir()));
        assertFalse(Files.exists(before.dir()), "the old image directory is removed");
        assertEquals(List.of("busybox-static_1.37.0-6_riscv64.deb", FakeArchive.KPKG + "_6.12.0-2_riscv64.deb",
                "opensbi_1.6-1_all.deb"), list("debs"));
        assertEquals(List.of(FakeArchive.KPKG + " 6.12.0-2", "busybox-static 1:1.37.0-6", "opensbi 1.6-1"),
                after.packages());
    }

    @Test
    void aPackageWithATraversingPathIsRefusedAndTheImageKept() throws Exception {
        final GuestImage before = image().pull(progress, false);
        archive.kernelVersion = "6.12.0-3";
        archive.kernelExtra.add(TestFiles.Entry.file("./usr/lib/modules/../../../../etc/cron.d/evil", new byte[4]));
        archive.build();
        serve();
        final ImageException e = assertThrows(ImageException.class, () -> image().pull(progress, true));
        assertEquals(FakeArchive.KPKG + "_6.12.0-3_riscv64.deb: unsafe path in data.tar: "
                + "./usr/lib/modules/../../../../etc/cron.d/evil", e.getMessage());
        assertIntact(before);
        try (Stream<Path> s = Files.walk(tmp)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().equals("evil")));
        }
    }

    @Test
    void aKernelPackageWithAForeignKernelOrTwoKernelsIsRefused() throws Exception {
        archive.vmlinux = FakeArchive.fill(4096, 9);
        archive.build();
        serve();
        ImageException e = assertThrows(ImageException.class, () -> image().pull(progress, false));
        assertEquals(FakeArchive.KPKG + "_6.12.0-1_riscv64.deb: the kernel is not a RISC-V Image (no RSC\\x05 magic "
                + "at offset 56)", e.getMessage());
        archive.vmlinux = TestFiles.kernelImage(4096);
        archive.kernelExtra.add(TestFiles.Entry.file("./boot/vmlinux-other", new byte[100]));
        archive.build();
        serve();
        e = assertThrows(ImageException.class, () -> image().pull(progress, false));
        assertTrue(e.getMessage().contains("has two kernels"), e.getMessage());
        assertEquals(List.of(), list("images"));
        assertEquals(List.of(), list("tmp"));
    }

    @Test
    void aDamagedImageIsRebuiltFromTheCachedPackagesWithoutTheNetwork() throws Exception {
        final GuestImage before = image().pull(progress, false);
        Files.write(before.initrd(), new byte[] {1, 2, 3});
        final ImageStatus st = image().status().orElseThrow();
        assertFalse(st.ok());
        assertTrue(st.problem().contains("initramfs.cpio.gz: 3 bytes, the manifest says"), st.problem());
        mirror.close();
        notes.clear();
        final GuestImage after = image().ensure(progress);
        assertTrue(notes.stream().anyMatch(n -> n.contains("using the cached packages")), notes.toString());
        assertEquals(before.modules(), after.modules());
        assertTrue(image().status().orElseThrow().ok());
        assertTrue(initOf(after).contains("load ext4 kernel/fs/ext4/ext4.ko\n"));
        assertEquals(List.of(DebianImage.NAME, after.dir().getFileName().toString()), list("images"));
    }

    @Test
    void withoutTheNetworkOrACacheThePullFailsWithTheReason() throws IOException {
        mirror.close();
        final ImageException e = assertThrows(ImageException.class, () -> image().ensure(progress));
        assertTrue(e.getMessage().startsWith(mirror.uri() + "dists/trixie/InRelease: cannot connect"), e.getMessage());
        assertEquals(List.of(), list("images"));
        assertEquals(List.of(), list("tmp"));
        assertTrue(image().status().isEmpty());
    }

    @Test
    void leftoversOfACrashedPullAreCleanedUp() throws Exception {
        final GuestImage before = image().pull(progress, false);
        Files.createDirectories(home.resolve("tmp/pull-123/image"));
        Files.createDirectories(home.resolve("images/debian-trixie.999"));
        Files.write(home.resolve("debs/.x.deb.123.part"), new byte[5]);
        Files.write(before.initrd(), new byte[] {0});
        image().pull(progress, false);
        assertEquals(List.of(), list("tmp"));
        assertEquals(2, list("images").size(), list("images").toString());
        assertFalse(list("debs").stream().anyMatch(f -> f.endsWith(".part")));
    }
}
