package io.sublet.boot.image;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Sublet's cache directory ({@code $SUBLET_HOME}, else {@code ~/.cache/sublet}) and how images are installed in it
 * so that a reader never sees half an image:
 *
 * <pre>
 *  debs/PACKAGE_VERSION_ARCH.deb     verified packages, kept so an image can be rebuilt without the network
 *  images/debian-trixie              symlink to the current image directory, replaced atomically (rename)
 *  images/debian-trixie.NNNN/        an image: vmlinux, initramfs.cpio.gz, fw_*.bin, manifest.properties
 *  tmp/pull-NNNN/                    work of a pull in progress; removed when it ends, or by the next pull
 *  .lock                             held while a pull runs, so two pulls do not interleave
 * </pre>
 *
 * A pull builds the new image in {@code tmp/}, renames it into {@code images/}, then points the symlink at it and
 * deletes the old directory. A crash at any point leaves either the old image or the new one current.
 */
public final class ImageStore {
    private static final ReentrantLock IN_PROCESS = new ReentrantLock();

    private final Path home;

    public ImageStore(final Path home) {
        this.home = home.toAbsolutePath().normalize();
    }

    /** {@code $SUBLET_HOME} if set, else {@code ~/.cache/sublet}. */
    public static Path defaultHome() {
        final String env = System.getenv("SUBLET_HOME");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        return Path.of(System.getProperty("user.home"), ".cache", "sublet");
    }

    public Path home() {
        return home;
    }

    Path debs() {
        return home.resolve("debs");
    }

    Path images() {
        return home.resolve("images");
    }

    /** The stable path of image {@code name} (a symlink to its current directory). */
    public Path link(final String name) {
        return images().resolve(name);
    }

    /** The directory image {@code name} currently points to, if there is one. */
    Optional<Path> current(final String name) {
        final Path link = link(name);
        try {
            if (!Files.exists(link)) {
                return Optional.empty();
            }
            return Optional.of(link.toRealPath());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** A fresh, empty work directory for a pull. */
    Path newWork() throws IOException {
        final Path tmp = home.resolve("tmp");
        Files.createDirectories(tmp);
        return Files.createTempDirectory(tmp, "pull-");
    }

    /**
     * Makes {@code built} (a complete image directory on the same file system, manifest written last) the current
     * image {@code name}, and deletes the previous one. Returns the new directory.
     */
    Path install(final String name, final Path built) throws IOException {
        Files.createDirectories(images());
        final Path dir = Files.createTempDirectory(images(), name + ".");
        Files.delete(dir);
        Files.move(built, dir, StandardCopyOption.ATOMIC_MOVE);
        final Optional<Path> old = current(name);
        final Path link = link(name);
        final Path tmpLink = images().resolve("." + name + ".link-" + dir.getFileName());
        Files.deleteIfExists(tmpLink);
        Files.createSymbolicLink(tmpLink, dir.getFileName());
        if (Files.isDirectory(link, LinkOption.NOFOLLOW_LINKS)) {
            // An image directory left by something else: move it aside, it is replaced below.
            final Path aside = Files.createTempDirectory(images(), "." + name + ".old-");
            Files.delete(aside);
            Files.move(link, aside, StandardCopyOption.ATOMIC_MOVE);
            deleteTree(aside);
        }
        Files.move(tmpLink, link, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        if (old.isPresent() && !old.get().equals(dir.toRealPath())) {
            deleteTree(old.get());
        }
        return dir.toRealPath();
    }

    /**
     * Removes what crashed or failed pulls left: work directories, image directories no link points to, stray
     * temporary links and partial downloads. Call only while holding {@link #lock}.
     */
    void clean(final String name) throws IOException {
        deleteTree(home.resolve("tmp"));
        final Optional<Path> cur = current(name);
        if (Files.isDirectory(images())) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(images())) {
                for (Path p : ds) {
                    final String f = p.getFileName().toString();
                    final boolean ours = f.startsWith(name + ".") || f.startsWith("." + name + ".");
                    if (ours && (cur.isEmpty() || !p.getFileName().equals(cur.get().getFileName()))) {
                        deleteTree(p);
                    }
                }
            }
        }
        if (Files.isDirectory(debs())) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(debs(), ".*.part")) {
                for (Path p : ds) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** Deletes cached packages other than {@code keep} (file names). */
    void pruneDebs(final Set<String> keep) throws IOException {
        if (!Files.isDirectory(debs())) {
            return;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(debs(), "*.deb")) {
            for (Path p : ds) {
                if (!keep.contains(p.getFileName().toString())) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** Takes the cache's pull lock, calling {@code onWait} first if another process holds it and waiting. */
    Lock lock(final Runnable onWait) throws IOException {
        Files.createDirectories(home);
        IN_PROCESS.lock();
        FileChannel ch = null;
        try {
            ch = FileChannel.open(home.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock l = ch.tryLock();
            if (l == null) {
                onWait.run();
                l = ch.lock();
            }
            return new Lock(ch, l);
        } catch (IOException | OverlappingFileLockException e) {
            if (ch != null) {
                ch.close();
            }
            IN_PROCESS.unlock();
            throw e instanceof IOException ? (IOException) e : new IOException(e.getMessage(), e);
        }
    }

    /** The held pull lock. */
    static final class Lock implements AutoCloseable {
        private final FileChannel channel;
        private final FileLock lock;

        private Lock(final FileChannel channel, final FileLock lock) {
            this.channel = channel;
            this.lock = lock;
        }

        @Override
        public void close() throws IOException {
            try {
                lock.release();
                channel.close();
            } finally {
                IN_PROCESS.unlock();
            }
        }
    }

    /** Deletes a file, a symlink (not its target) or a directory tree; absent is fine. */
    static void deleteTree(final Path p) throws IOException {
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            Files.delete(p);
            return;
        }
        Files.walkFileTree(p, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(final Path file, final BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(final Path dir, final IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
