package io.sublet.cli;

import io.sublet.boot.image.ArchiveClient;
import io.sublet.boot.image.ConsoleProgress;
import io.sublet.boot.image.DebianImage;
import io.sublet.boot.image.GuestImage;
import io.sublet.boot.image.ImageException;
import io.sublet.boot.image.ImageStatus;
import io.sublet.boot.image.ImageStore;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code sublet image}: fetches guest images from Debian's archive, verified, and shows what the cache holds. */
@Command(name = "image", mixinStandardHelpOptions = true,
        description = {"Fetch and inspect guest images.",
            "The default image (debian) is Debian trixie's riscv64 kernel, an initramfs with busybox-static and the "
                + "virtio and ext4 modules, and OpenSBI, cached under $SUBLET_HOME (default ~/.cache/sublet)."},
        subcommands = {ImageCommand.Pull.class, ImageCommand.Ls.class, ImageCommand.PathOf.class},
        exitCodeListHeading = "%nExit status:%n", exitCodeList = {"0:success", "2:bad input", "70:internal error"})
public final class ImageCommand implements Callable<Integer> {
    @ParentCommand
    private Main main;

    @Override
    public Integer call() {
        main.err.println("sublet: image: give a subcommand: pull, ls or path");
        main.err.println("Try 'sublet image --help' for more information.");
        return ExitCodes.BAD_INPUT;
    }

    /** The cache directory option, shared by the subcommands. */
    static final class Home {
        @Option(names = "--home", paramLabel = "DIR",
                description = "cache directory (default: $SUBLET_HOME, else ~/.cache/sublet)")
        Path dir;

        Path resolve() {
            return dir != null ? dir : ImageStore.defaultHome();
        }
    }

    private static boolean knownImage(final String name) {
        return name.equals("debian") || name.equals(DebianImage.NAME);
    }

    /** {@code sublet image pull [debian]}. */
    @Command(name = "pull", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Fetch the image from Debian's archive, verify it and build it; a complete, verified image "
                + "in the cache is kept as is (no download).",
                "InRelease is checked against the Debian archive keyring (OpenPGP), Packages.xz against InRelease, "
                    + "each .deb against Packages (SHA-256 and size). A pull that fails keeps the previous image."},
            exitCodeListHeading = "%nExit status:%n", exitCodeList = {
                "0:the image is in the cache, verified",
                "2:bad input, a network failure, or a download that failed verification (nothing is kept)",
                "70:internal error"})
    static final class Pull implements Callable<Integer> {
        @ParentCommand
        private ImageCommand parent;

        @Parameters(arity = "0..1", paramLabel = "IMAGE", description = "debian (the default and, for now, only image)")
        private String image = "debian";

        @Mixin
        private Home home;

        @Option(names = "--mirror", paramLabel = "URL", description = "Debian mirror (default: ${DEFAULT-VALUE})")
        private String mirror = ArchiveClient.DEFAULT_MIRROR.toString();

        @Option(names = "--keyring", paramLabel = "FILE",
                description = "OpenPGP keyring to verify InRelease with (default: " + "/usr/share/keyrings/"
                        + "debian-archive-keyring.gpg)")
        private Path keyring;

        @Option(names = "--refresh", description = "check the archive for newer packages even if the image is complete")
        private boolean refresh;

        @Option(names = "--progress", description = "show download progress even when stderr is not a terminal")
        private boolean progress;

        @Override
        public Integer call() {
            final Main main = parent.main;
            if (!knownImage(image)) {
                main.err.println("sublet: image pull: unknown image '" + image + "'; the only image is 'debian'");
                return ExitCodes.BAD_INPUT;
            }
            final URI uri;
            try {
                uri = new URI(mirror);
                if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme()) || uri.getHost() == null) {
                    throw new URISyntaxException(mirror, "not an http or https URL");
                }
            } catch (URISyntaxException e) {
                main.err.println("sublet: --mirror: " + e.getMessage());
                return ExitCodes.BAD_INPUT;
            }
            final ConsoleProgress p = new ConsoleProgress(main.out,
                    progress || ConsoleProgress.stderrIsTerminal() ? main.err : null);
            try {
                final GuestImage img = new DebianImage(home.resolve(), uri, keyring).pull(p, refresh);
                main.out.println("kernel " + img.kernelVersion() + ": " + img.kernel());
                main.out.println("initrd: " + img.initrd());
                main.out.println("firmware: " + img.fwJump() + ", " + img.fwDynamic());
                return ExitCodes.OK;
            } catch (ImageException e) {
                main.out.flush();
                main.err.println("sublet: " + e.getMessage());
                return ExitCodes.BAD_INPUT;
            }
        }
    }

    /** {@code sublet image ls}. */
    @Command(name = "ls", mixinStandardHelpOptions = true,
            description = "List the images in the cache with their kernel, packages and files, and check each file "
                + "against the image's manifest (SHA-256).",
            exitCodeListHeading = "%nExit status:%n", exitCodeList = {"0:success (also when the cache is empty)",
                "2:bad input", "70:internal error"})
    static final class Ls implements Callable<Integer> {
        @ParentCommand
        private ImageCommand parent;

        @Mixin
        private Home home;

        @Override
        public Integer call() {
            final Main main = parent.main;
            final Optional<ImageStatus> s =
                    new DebianImage(home.resolve(), ArchiveClient.DEFAULT_MIRROR, null).status();
            if (s.isEmpty()) {
                main.out.println("no images in " + home.resolve() + "; 'sublet image pull' fetches the default one");
                return ExitCodes.OK;
            }
            final ImageStatus st = s.get();
            main.out.printf(Locale.ROOT, "%s  kernel %s  built %s  %s%n", st.name(),
                    st.kernelVersion() == null ? "?" : st.kernelVersion(), st.created().isEmpty() ? "?" : st.created(),
                    st.ok() ? "verified" : "NOT USABLE: " + st.problem());
            main.out.println("  " + st.dir());
            if (!st.packages().isEmpty()) {
                main.out.println("  from " + String.join(", ", st.packages()));
            }
            for (Map.Entry<String, Long> f : st.files().entrySet()) {
                main.out.printf(Locale.ROOT, "  %-18s %10.1f MB%n", f.getKey(), f.getValue() / 1e6);
            }
            return ExitCodes.OK;
        }
    }

    /** {@code sublet image path [FILE]}. */
    @Command(name = "path", mixinStandardHelpOptions = true,
            description = {"Print the path of the verified image's directory, or of one of its files: "
                + "kernel, initrd, fw_jump, fw_dynamic.", "Does not download: run 'sublet image pull' first."},
            exitCodeListHeading = "%nExit status:%n", exitCodeList = {"0:success",
                "2:bad input, or no verified image in the cache", "70:internal error"})
    static final class PathOf implements Callable<Integer> {
        @ParentCommand
        private ImageCommand parent;

        @Parameters(arity = "0..1", paramLabel = "FILE",
                description = "dir (default), kernel, initrd, fw_jump or fw_dynamic")
        private String what = "dir";

        @Mixin
        private Home home;

        @Override
        public Integer call() {
            final Main main = parent.main;
            final DebianImage image = new DebianImage(home.resolve(), ArchiveClient.DEFAULT_MIRROR, null);
            final Optional<ImageStatus> s = image.status();
            if (s.isEmpty() || !s.get().ok()) {
                main.err.println("sublet: " + DebianImage.NAME + " is " + (s.isEmpty() ? "not in " + home.resolve()
                        : "not usable: " + s.get().problem()) + "; run 'sublet image pull'");
                return ExitCodes.BAD_INPUT;
            }
            final Path dir = s.get().dir();
            final Path p;
            switch (what) {
                case "dir": p = dir; break;
                case "kernel": p = dir.resolve("vmlinux"); break;
                case "initrd": p = dir.resolve("initramfs.cpio.gz"); break;
                case "fw_jump": p = dir.resolve("fw_jump.bin"); break;
                case "fw_dynamic": p = dir.resolve("fw_dynamic.bin"); break;
                default:
                    main.err.println("sublet: image path: unknown file '" + what
                            + "'; give dir, kernel, initrd, fw_jump or fw_dynamic");
                    return ExitCodes.BAD_INPUT;
            }
            if (!Files.exists(p)) {
                main.err.println("sublet: " + p + ": missing");
                return ExitCodes.BAD_INPUT;
            }
            main.out.println(p);
            return ExitCodes.OK;
        }
    }
}
