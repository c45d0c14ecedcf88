package io.sublet.boot.image;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.tukaani.xz.XZInputStream;

/**
 * The default guest image, built from Debian trixie's riscv64 archive: Debian's kernel, an initramfs with busybox
 * and the virtio and ext4 modules, and OpenSBI. This is the entry point of the package.
 *
 * <p>A pull fetches {@code dists/trixie/InRelease} and verifies its OpenPGP signature against the Debian archive
 * keyring; fetches {@code main/binary-riscv64/Packages.xz} and checks it against the SHA-256 in InRelease; picks
 * the packages ({@link GuestPackages}); downloads each {@code .deb} and checks its size and SHA-256 against
 * Packages; unpacks them; resolves the module dependencies; writes the initramfs; and installs the result
 * atomically ({@link ImageStore}). Any failed check stops the pull with an {@link ImageException} and leaves the
 * previous image, if any, current.
 *
 * <p>Once an image is installed, {@link #ensure} uses no network: it checks the image's files against its manifest
 * and returns it. If the files are damaged, or this version of Sublet builds the image differently ({@link
 * #RECIPE}), the image is rebuilt from the cached packages, and only fetched again if those are gone too.
 */
public final class DebianImage {
    public static final String NAME = "debian-trixie";
    public static final String SUITE = "trixie";
    public static final String ARCH = "riscv64";
    /** The Debian archive keyring on Debian hosts (package debian-archive-keyring). */
    public static final Path DEFAULT_KEYRING = Path.of("/usr/share/keyrings/debian-archive-keyring.gpg");
    private static final Path OTHER_KEYRING = Path.of("/usr/share/keyrings/debian-archive-keyring.pgp");
    /**
     * The version of the build recipe; bump it when the image's contents change, and older images are rebuilt.
     * A newer image is kept: worktrees and installs of different ages share one cache without rebuilding it
     * back and forth. 2: eth0 is brought up with DHCP.
     */
    static final int RECIPE = 2;
    /** The kernel modules the initramfs loads (with their dependencies); built-in ones are skipped. */
    static final List<String> MODULES = List.of("virtio_mmio", "virtio_blk", "virtio_net", "virtio_rng",
            "virtio_console", "ext4");

    static final String KERNEL = "vmlinux";
    static final String INITRD = "initramfs.cpio.gz";
    static final String FW_JUMP = "fw_jump.bin";
    static final String FW_DYNAMIC = "fw_dynamic.bin";
    private static final String FIRMWARE_DIR = "usr/lib/riscv64-linux-gnu/opensbi/generic/";
    private static final List<String> BUSYBOX_PATHS = List.of("usr/bin/busybox", "bin/busybox");
    private static final long MAX_RELEASE = 16L << 20;
    private static final long MAX_FILE = 64L << 20;

    private final ImageStore store;
    private final URI mirror;
    private final Path keyring;

    /**
     * @param home the cache directory ({@link ImageStore#defaultHome()})
     * @param mirror the Debian mirror ({@link ArchiveClient#DEFAULT_MIRROR})
     * @param keyring the OpenPGP keyring to verify InRelease with, or null for the system's Debian archive keyring
     */
    public DebianImage(final Path home, final URI mirror, final Path keyring) {
        this.store = new ImageStore(home);
        this.mirror = mirror;
        this.keyring = keyring;
    }

    /**
     * The default guest image in {@code home}, pulled from Debian's CDN first if it is not there: what {@code
     * sublet run} calls. With a complete image in the cache this uses no network.
     */
    public static GuestImage ensure(final Path home, final Progress progress) throws ImageException {
        return new DebianImage(home, ArchiveClient.DEFAULT_MIRROR, null).ensure(progress);
    }

    /** {@link ImageStore#defaultHome()}. */
    public static Path defaultHome() {
        return ImageStore.defaultHome();
    }

    /** The image, verified; pulled or rebuilt first if it is missing, damaged or out of date. */
    public GuestImage ensure(final Progress progress) throws ImageException {
        final Optional<GuestImage> ready = readyImage();
        if (ready.isPresent()) {
            return ready.get();
        }
        return pull(progress, false);
    }

    /**
     * Pulls the image. Without {@code refresh}, a complete, verified image in the cache is kept and nothing is
     * downloaded. With {@code refresh}, the archive's index is fetched and the image rebuilt if the packages have
     * changed.
     */
    @SuppressWarnings("try") // the lock is held by the try block, not used in it
    public GuestImage pull(final Progress progress, final boolean refresh) throws ImageException {
        final long start = System.nanoTime();
        try (ImageStore.Lock lock = store.lock(() -> progress.note("waiting for another pull into " + store.home()
                + " to finish"))) {
            store.clean(NAME);
            final Inspection cur = inspect();
            if (!refresh && cur.ok()) {
                progress.note(NAME + " is present and verified (kernel " + cur.manifest.kernelVersion()
                        + "); nothing to download");
                return cur.image();
            }
            if (cur.manifest != null && cur.problem != null) {
                progress.note(NAME + ": " + cur.problem + "; rebuilding");
            }
            final Path work = store.newWork();
            try {
                final Plan plan;
                if (!refresh && cur.manifest != null && cachedDebsVerify(cur.manifest.debs())) {
                    progress.note("using the cached packages it was built from (SHA-256 verified)");
                    plan = new Plan(cur.manifest.debs(), cur.manifest.mirror(), cur.manifest.releaseDate(),
                            cur.manifest.signers());
                } else {
                    plan = fetchPlan(work, progress);
                    if (cur.ok() && sameDebs(cur.manifest.debs(), plan.debs)) {
                        progress.note(NAME + " is up to date (kernel " + cur.manifest.kernelVersion() + ")");
                        return cur.image();
                    }
                    fetchDebs(plan.debs, progress);
                }
                final GuestImage image = build(plan, work, progress);
                progress.note(String.format(Locale.ROOT, "installed %s in %s (%.1f s)", NAME, store.link(NAME),
                        (System.nanoTime() - start) / 1e9));
                return image;
            } finally {
                ImageStore.deleteTree(work);
            }
        } catch (IOException e) {
            throw new ImageException(store.home() + ": cache error: " + e.getMessage(), e);
        }
    }

    /** What the cache holds, without network and without changing anything; empty if no image was ever pulled. */
    public Optional<ImageStatus> status() {
        final Inspection cur = inspect();
        if (cur.dir == null) {
            return Optional.empty();
        }
        final ImageManifest m = cur.manifest;
        final Map<String, Long> files = new LinkedHashMap<>();
        if (m != null) {
            m.files().forEach((k, v) -> files.put(k, v.size()));
        }
        return Optional.of(new ImageStatus(NAME, cur.dir, m == null ? null : m.kernelVersion(),
                m == null ? "" : m.created(), m == null ? List.of() : packages(m), files, cur.problem));
    }

    /** The stable path of the image (a symlink to its current directory). */
    public Path link() {
        return store.link(NAME);
    }

    private Optional<GuestImage> readyImage() {
        final Inspection cur = inspect();
        return cur.ok() ? Optional.of(cur.image()) : Optional.empty();
    }

    /** The current image directory, its manifest, and what is wrong with it (null: nothing). */
    private static final class Inspection {
        Path dir;
        ImageManifest manifest;
        String problem;

        boolean ok() {
            return dir != null && manifest != null && problem == null;
        }

        GuestImage image() {
            return new GuestImage(NAME, dir, dir.resolve(KERNEL), dir.resolve(INITRD), dir.resolve(FW_JUMP),
                    dir.resolve(FW_DYNAMIC), manifest.kernelVersion(), packages(manifest), manifest.modules());
        }
    }

    private Inspection inspect() {
        final Inspection in = new Inspection();
        in.dir = store.current(NAME).orElse(null);
        if (in.dir == null) {
            in.problem = "not pulled";
            return in;
        }
        try {
            in.manifest = ImageManifest.read(in.dir);
        } catch (ImageException e) {
            in.problem = e.getMessage();
            return in;
        }
        if (in.manifest.recipe() < RECIPE) {
            in.problem = "built by an older version of Sublet (recipe " + in.manifest.recipe() + ", now " + RECIPE + ")";
            return in;
        }
        for (String f : List.of(KERNEL, INITRD, FW_JUMP, FW_DYNAMIC)) {
            if (!in.manifest.files().containsKey(f)) {
                in.problem = "the manifest does not list " + f;
                return in;
            }
        }
        in.problem = in.manifest.verify(in.dir);
        return in;
    }

    private static List<String> packages(final ImageManifest m) {
        final List<String> out = new ArrayList<>();
        for (PackageEntry d : m.debs()) {
            out.add(d.name() + " " + d.version());
        }
        return out;
    }

    /** The packages to build from, and where their checksums came from. */
    private record Plan(List<PackageEntry> debs, String mirror, String releaseDate, List<String> signers) { }

    private Plan fetchPlan(final Path work, final Progress progress) throws ImageException {
        final ArchiveClient client = new ArchiveClient(mirror);
        final ReleaseVerifier verifier = ReleaseVerifier.load(keyringPath());
        final String dists = "dists/" + SUITE + "/";
        final String releaseName = client.uri(dists + "InRelease").toString();
        final byte[] inRelease = client.fetch(dists + "InRelease", MAX_RELEASE);
        final ReleaseVerifier.Verified verified = verifier.verify(releaseName, inRelease);
        final ReleaseFile release = ReleaseFile.parse(releaseName, verified.text());
        release.check(SUITE, Instant.now());
        final int more = verified.signers().size() - 1;
        progress.note("verified " + releaseName + " (" + release.field("Date").orElse("undated")
                + "): good signature by " + verified.signers().get(0) + (more > 0 ? " and " + more + " more" : ""));

        final String indexPath = "main/binary-" + ARCH + "/Packages.xz";
        final ReleaseFile.Checksum sum = release.checksum(indexPath).orElseThrow(() -> new ImageException(
                releaseName + ": lists no " + indexPath + " (does the suite have " + ARCH + "?)"));
        final Path index = work.resolve("Packages.xz");
        final long t0 = System.nanoTime();
        final boolean byHash = release.byHash() && client.downloadIfPresent(
                dists + "main/binary-" + ARCH + "/by-hash/SHA256/" + sum.sha256(), index, sum.sha256(), sum.size(),
                progress, true);
        if (!byHash) {
            client.download(dists + indexPath, index, sum.sha256(), sum.size(), progress);
        }
        final String indexName = client.uri(dists + indexPath).toString();
        progress.note(String.format(Locale.ROOT, "fetched %s: %.1f MB in %.1f s; SHA-256 matches InRelease",
                indexName, sum.size() / 1e6, (System.nanoTime() - t0) / 1e9));
        final PackageIndex packages;
        try (InputStream in = new XZInputStream(new BufferedInputStream(Files.newInputStream(index), 1 << 16))) {
            packages = PackageIndex.read(indexName, in, GuestPackages.WANTED);
        } catch (IOException e) {
            throw new ImageException(indexName + ": cannot decompress: " + e.getMessage(), e);
        }
        final GuestPackages chosen = GuestPackages.resolve(indexName, packages);
        progress.note(GuestPackages.KERNEL_META + " depends on " + chosen.kernel().name() + " "
                + chosen.kernel().version() + "; with " + chosen.busybox().name() + " " + chosen.busybox().version()
                + " and " + chosen.opensbi().name() + " " + chosen.opensbi().version());
        return new Plan(chosen.all(), client.mirror().toString(), release.field("Date").orElse(""),
                verified.signers());
    }

    private static boolean sameDebs(final List<PackageEntry> a, final List<PackageEntry> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!a.get(i).sha256().equals(b.get(i).sha256()) || !a.get(i).filename().equals(b.get(i).filename())) {
                return false;
            }
        }
        return true;
    }

    private Path keyringPath() {
        if (keyring != null) {
            return keyring;
        }
        if (!Files.exists(DEFAULT_KEYRING) && Files.exists(OTHER_KEYRING)) {
            return OTHER_KEYRING;
        }
        return DEFAULT_KEYRING;
    }

    private boolean cachedDebsVerify(final List<PackageEntry> debs) {
        if (debs.size() != 3) {
            return false;
        }
        for (PackageEntry d : debs) {
            final Path f = store.debs().resolve(d.debName());
            try {
                if (!Files.isRegularFile(f) || Files.size(f) != d.size()
                        || !Sha256.ofFile(f).matches(d.sha256(), d.size())) {
                    return false;
                }
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }

    private void fetchDebs(final List<PackageEntry> debs, final Progress progress) throws ImageException {
        final ArchiveClient client = new ArchiveClient(mirror);
        for (PackageEntry d : debs) {
            final Path target = store.debs().resolve(d.debName());
            try {
                if (Files.isRegularFile(target) && Files.size(target) == d.size()
                        && Sha256.ofFile(target).matches(d.sha256(), d.size())) {
                    progress.note("cached " + d.debName() + ": SHA-256 and size match Packages");
                    continue;
                }
            } catch (IOException e) {
                // fetch it again
            }
            final long t0 = System.nanoTime();
            client.download(d.filename(), target, d.sha256(), d.size(), progress);
            progress.note(String.format(Locale.ROOT, "fetched %s: %.1f MB in %.1f s; SHA-256 and size match Packages",
                    d.debName(), d.size() / 1e6, (System.nanoTime() - t0) / 1e9));
        }
    }

    private GuestImage build(final Plan plan, final Path work, final Progress progress)
            throws ImageException, IOException {
        if (plan.debs.size() != 3) {
            throw new ImageException("internal: expected 3 packages, got " + plan.debs.size());
        }
        final Path image = Files.createDirectories(work.resolve("image"));
        final Path unpack = work.resolve("unpack");
        final PackageEntry kernelDeb = plan.debs.get(0);
        final PackageEntry busyboxDeb = plan.debs.get(1);
        final PackageEntry opensbiDeb = plan.debs.get(2);

        long t0 = System.nanoTime();
        final KernelPackage kernel = KernelPackage.unpack(store.debs().resolve(kernelDeb.debName()), unpack);
        Files.move(kernel.vmlinux(), image.resolve(KERNEL));
        progress.note(String.format(Locale.ROOT, "unpacked %s: kernel %s (vmlinux, %.1f MB, RISC-V Image), "
                + "%d modules, in %.1f s", kernelDeb.debName(), kernel.version(),
                Files.size(image.resolve(KERNEL)) / 1e6, kernel.modules().size(), (System.nanoTime() - t0) / 1e9));

        final byte[] busybox = busybox(store.debs().resolve(busyboxDeb.debName()), unpack);
        firmware(store.debs().resolve(opensbiDeb.debName()), image);

        t0 = System.nanoTime();
        final ModuleTree tree = kernel.modules();
        final ModuleResolver.Result modules = ModuleResolver.resolve(tree, MODULES);
        final List<Initramfs.Module> included = new ArrayList<>();
        for (String m : modules.order()) {
            final ModInfo info = tree.info(m);
            if (info.vermagic() == null || !info.vermagic().startsWith(kernel.version() + " ")) {
                throw new ImageException(kernelDeb.debName() + ": module " + m + " was built for "
                        + info.vermagic() + ", not kernel " + kernel.version());
            }
            included.add(new Initramfs.Module(m, tree.installPath(m), tree.bytes(m), info.depends()));
        }
        for (String note : modules.notes()) {
            progress.note("modules: " + note);
        }
        final Path initrd = image.resolve(INITRD);
        try (FileChannel ch = FileChannel.open(initrd, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
             OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16)) {
            Initramfs.write(out, busybox, kernel.version(), included, kernel.buildTime());
        }
        progress.note(String.format(Locale.ROOT, "built %s: %.1f MB, busybox and %d modules in load order (%s)%s,"
                + " in %.1f s", INITRD, Files.size(initrd) / 1e6, modules.order().size(),
                String.join(" ", modules.order()), modules.builtin().isEmpty() ? ""
                        : "; built into the kernel: " + String.join(" ", modules.builtin()),
                (System.nanoTime() - t0) / 1e9));

        final Map<String, Sha256.Sum> files = new LinkedHashMap<>();
        for (String f : List.of(KERNEL, INITRD, FW_JUMP, FW_DYNAMIC)) {
            final Path p = image.resolve(f);
            try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            files.put(f, Sha256.ofFile(p));
        }
        final ImageManifest manifest = new ImageManifest(RECIPE, NAME, kernel.version(),
                Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), plan.mirror, plan.releaseDate,
                plan.signers, plan.debs, files, modules.order(), modules.builtin());
        manifest.write(image);
        final Path dir = store.install(NAME, image);
        final Set<String> keep = new HashSet<>();
        plan.debs.forEach(d -> keep.add(d.debName()));
        store.pruneDebs(keep);
        final Inspection done = new Inspection();
        done.dir = dir;
        done.manifest = manifest;
        return done.image();
    }

    private static byte[] busybox(final Path deb, final Path unpack) throws ImageException, IOException {
        final Path target = unpack.resolve("busybox");
        final Map<String, Path> wanted = new LinkedHashMap<>();
        BUSYBOX_PATHS.forEach(p -> wanted.put(p, target));
        final Set<String> found = DebArchive.extract(deb, wanted, MAX_FILE);
        if (found.isEmpty()) {
            throw new ImageException(deb.getFileName() + ": has no " + String.join(" or ", BUSYBOX_PATHS));
        }
        final byte[] bytes = Files.readAllBytes(target);
        final ElfSections elf = ElfSections.parse(deb.getFileName() + ": busybox", bytes);
        if (elf.machine() != 243) {
            throw new ImageException(deb.getFileName() + ": busybox is for ELF machine " + elf.machine()
                    + ", not RISC-V");
        }
        return bytes;
    }

    private static void firmware(final Path deb, final Path image) throws ImageException {
        final Map<String, Path> wanted = new LinkedHashMap<>();
        wanted.put(FIRMWARE_DIR + FW_JUMP, image.resolve(FW_JUMP));
        wanted.put(FIRMWARE_DIR + FW_DYNAMIC, image.resolve(FW_DYNAMIC));
        final Set<String> found = DebArchive.extract(deb, wanted, MAX_FILE);
        for (String w : wanted.keySet()) {
            if (!found.contains(w)) {
                throw new ImageException(deb.getFileName() + ": has no " + w);
            }
        }
    }
}
