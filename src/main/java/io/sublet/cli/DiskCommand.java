package io.sublet.cli;

import io.sublet.dev.virtio.BlockBackend;
import io.sublet.dev.virtio.DiskImages;
import io.sublet.dev.virtio.DiskLocks;
import io.sublet.dev.virtio.FileDisk;
import io.sublet.dev.virtio.FileDiskHoles;
import io.sublet.dev.virtio.Qcow2Disk;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code sublet disk}: makes and inspects raw disk images for {@code --disk}. */
@Command(name = "disk", mixinStandardHelpOptions = true,
        description = {"Make and inspect raw disk images for --disk.",
            "A disk image is a plain file, byte for byte the guest's disk, kept sparse: space is taken only for what "
                + "the guest writes, and given back when it discards (fstrim, mount -o discard)."},
        subcommands = {DiskCommand.Create.class, DiskCommand.Info.class},
        exitCodeListHeading = "%nExit status:%n", exitCodeList = {"0:success", "2:bad input", "70:internal error"})
public final class DiskCommand implements Callable<Integer> {
    @ParentCommand
    private Main main;

    @Override
    public Integer call() {
        main.err.println("sublet: disk: give a subcommand: create or info");
        main.err.println("Try 'sublet disk --help' for more information.");
        return ExitCodes.BAD_INPUT;
    }

    /** {@code sublet disk create NAME SIZE [--force]}. */
    @Command(name = "create", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Create a sparse raw disk image of SIZE bytes, reading as zeros and taking no space yet,",
                "or a qcow2 image (--format qcow2), optionally over a backing file that supplies every cluster "
                    + "it has not written (--backing; SIZE then defaults to the backing file's).",
                "SIZE takes K, M or G (binary units) or B for bytes; a bare number is MiB, as for --mem. A size that "
                    + "is not a multiple of 512 is rounded up to one, as qemu-img does."},
            exitCodeListHeading = "%nExit status:%n", exitCodeList = {
                "0:the image was created",
                "2:bad input: a bad size, the file exists (without --force) or is in use, no such directory, "
                    + "or the file system refused",
                "70:internal error"})
    static final class Create implements Callable<Integer> {
        @ParentCommand
        private DiskCommand parent;

        @Parameters(index = "0", paramLabel = "NAME", description = "the image file to create, e.g. disk.img")
        private Path file;

        @Parameters(index = "1", paramLabel = "SIZE", converter = SizeConverter.class, arity = "0..1",
                description = "its size, e.g. 256M or 8G")
        private Long size;

        @Option(names = "--format", paramLabel = "FORMAT", description = "raw (the default) or qcow2")
        private String format = "raw";

        @Option(names = {"-b", "--backing"}, paramLabel = "FILE",
                description = "qcow2 only: the backing image (raw or qcow2), named relative to the new image's directory")
        private Path backing;

        @Option(names = {"-f", "--force"},
                description = "overwrite an existing file (its contents are lost); never one in use by a VM")
        private boolean force;

        @Override
        public Integer call() {
            final Main main = parent.main;
            if (!format.equals("raw") && !format.equals("qcow2")) {
                main.err.println("sublet: disk create: unknown format '" + format + "' (raw or qcow2)");
                return ExitCodes.BAD_INPUT;
            }
            if (backing != null && !format.equals("qcow2")) {
                main.err.println("sublet: disk create: --backing needs --format qcow2");
                return ExitCodes.BAD_INPUT;
            }
            if (size == null && backing == null) {
                main.err.println("sublet: disk create: give a SIZE (or --backing, to take its size)");
                return ExitCodes.BAD_INPUT;
            }
            try {
                if (format.equals("qcow2")) {
                    return createQcow2(main);
                }
                final long made = FileDisk.create(file, size, force);
                main.out.println("created " + file + ": " + describeSize(made) + ", sparse raw image"
                        + (made != size ? " (rounded up from " + size + " bytes to a multiple of 512)" : ""));
                noteFreeSpace(main, made);
                return ExitCodes.OK;
            } catch (FileAlreadyExistsException e) {
                main.err.println("sublet: " + file + " already exists; give --force to overwrite it "
                        + "(its contents are lost)");
                return ExitCodes.BAD_INPUT;
            } catch (NoSuchFileException e) {
                main.err.println("sublet: " + e.getFile() + ": "
                        + (e.getReason() != null ? e.getReason() : "no such file or directory"));
                return ExitCodes.BAD_INPUT;
            } catch (IllegalArgumentException e) {
                main.err.println("sublet: disk create: " + e.getMessage());
                return ExitCodes.BAD_INPUT;
            } catch (IOException e) {
                main.err.println("sublet: " + IoErrors.describe(e));
                return ExitCodes.BAD_INPUT;
            }
        }

        private int createQcow2(final Main main) throws IOException {
            if (Files.exists(file)) {
                if (!force) {
                    throw new FileAlreadyExistsException(file.toString());
                }
                if (DiskLocks.probe(file) != DiskLocks.State.FREE) {
                    main.err.println("sublet: " + file + " is in use by a VM; not overwritten");
                    return ExitCodes.BAD_INPUT;
                }
                Files.delete(file);
            }
            long bytes;
            if (size != null) {
                bytes = (size + 511) & ~511L;
            } else {
                final Path b = file.toAbsolutePath().getParent().resolve(backing);
                try (BlockBackend base = DiskImages.open(b, true)) {
                    bytes = base.size();
                }
            }
            Qcow2Disk.create(file, bytes, backing, Qcow2Disk.DEFAULT_CLUSTER_BITS);
            main.out.println("created " + file + ": " + describeSize(bytes) + ", qcow2"
                    + (backing != null ? " over " + backing : ""));
            return ExitCodes.OK;
        }

        private void noteFreeSpace(final Main main, final long made) {
            try {
                final long free = Files.getFileStore(file).getUsableSpace();
                if (free < made) {
                    main.out.println("note: the file system has only " + describeSize(free)
                            + " free; the guest's writes will fail once it is full");
                }
            } catch (IOException e) {
                // the image is made; how full its file system is was only advice
            }
        }
    }

    /** {@code sublet disk info FILE}. */
    @Command(name = "info", mixinStandardHelpOptions = true,
            description = {"Show a disk image's size, the space it takes on the host, and whether a VM is using it.",
                "Safe to run while a VM uses the image: it only tests the lock (for an instant)."},
            exitCodeListHeading = "%nExit status:%n", exitCodeList = {"0:success",
                "2:bad input: no such file, or not a regular file", "70:internal error"})
    static final class Info implements Callable<Integer> {
        @ParentCommand
        private DiskCommand parent;

        @Parameters(index = "0", paramLabel = "FILE", description = "the image")
        private Path file;

        @Override
        public Integer call() {
            final Main main = parent.main;
            try {
                final BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
                if (!a.isRegularFile()) {
                    main.err.println("sublet: " + file + ": not a regular file (a disk is a raw image file)");
                    return ExitCodes.BAD_INPUT;
                }
                if (isQcow2(file)) {
                    return qcow2(main, file);
                }
                final long size = a.size();
                main.out.println("file:      " + file);
                main.out.println("format:    raw");
                main.out.println("size:      " + describeSize(size) + ", " + size / FileDisk.SECTOR + " sectors"
                        + (size % FileDisk.SECTOR != 0 ? " (NOT USABLE: not a multiple of 512)"
                            : size == 0 ? " (NOT USABLE: empty)" : ""));
                final OptionalLong used = FileDiskHoles.allocatedBytes(file);
                main.out.println("allocated: " + (used.isEmpty() ? "unknown (no 'stat' tool)"
                        : describeSize(used.getAsLong()) + (size > 0
                            ? String.format(Locale.ROOT, " (%.1f%% of the size)", 100.0 * used.getAsLong() / size)
                            : "")));
                final DiskLocks.State s = DiskLocks.probe(file);
                final List<Long> pids = s == DiskLocks.State.READERS || s == DiskLocks.State.WRITER
                        ? DiskLocks.holderPids(file) : List.of();
                main.out.println("in use:    " + (s == DiskLocks.State.FREE ? "no" : s.text())
                        + (pids.isEmpty() ? "" : pids.size() == 1 ? " (pid " + pids.get(0) + ")" : " (pids " + pids
                            + ")"));
                return ExitCodes.OK;
            } catch (IOException e) {
                main.err.println("sublet: " + IoErrors.describe(e));
                return ExitCodes.BAD_INPUT;
            }
        }
    }

    private static boolean isQcow2(final Path file) throws IOException {
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file)) {
            final java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4);
            return ch.read(b, 0) == 4 && b.getInt(0) == 0x514649fb; // "QFI\xfb"
        }
    }

    /** {@code disk info} of a qcow2 image: its header, the space it takes, and each image of its backing chain. */
    private static int qcow2(final Main main, final Path file) throws IOException {
        Path at = file;
        for (int depth = 0; at != null && depth <= Qcow2Disk.MAX_CHAIN; depth++) {
            final String indent = depth == 0 ? "" : "  ".repeat(depth) + "backing ";
            final Qcow2Disk.Info q = Qcow2Disk.inspect(at);
            final OptionalLong used = FileDiskHoles.allocatedBytes(at);
            main.out.println(indent + "file:      " + at);
            main.out.println(indent + "format:    qcow2 version " + q.version() + ", " + q.clusterSize() + "-byte clusters"
                    + (q.dirty() ? ", DIRTY (not closed cleanly; qemu-img check -r all)" : "")
                    + (q.snapshots() > 0 ? ", " + q.snapshots() + " internal snapshots" : ""));
            main.out.println(indent + "size:      " + describeSize(q.size()) + ", " + q.size() / FileDisk.SECTOR
                    + " sectors");
            main.out.println(indent + "allocated: " + (used.isEmpty() ? "unknown" : describeSize(used.getAsLong())));
            if (q.backingFile() == null) {
                break;
            }
            main.out.println(indent + "backing:   " + q.backingFile()
                    + (q.backingFormat() != null ? " (" + q.backingFormat() + ")" : ""));
            final Path next = at.toAbsolutePath().getParent().resolve(q.backingFile());
            if (!Files.exists(next)) {
                main.out.println(indent + "           (missing)");
                break;
            }
            at = "raw".equals(q.backingFormat()) || !isQcow2(next) ? null : next;
        }
        final DiskLocks.State s = DiskLocks.probe(file);
        main.out.println("in use:    " + (s == DiskLocks.State.FREE ? "no" : s.text()));
        return ExitCodes.OK;
    }

    /** "8 GiB (8589934592 bytes)", "1000 bytes". */
    static String describeSize(final long bytes) {
        final String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
        if (bytes < 1024) {
            return bytes + " bytes";
        }
        int u = -1;
        double v = bytes;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        final String n = v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v);
        return n + " " + units[u] + " (" + bytes + " bytes)";
    }
}
