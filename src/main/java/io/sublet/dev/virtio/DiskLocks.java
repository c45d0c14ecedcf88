package io.sublet.dev.virtio;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Who may open a disk image: one writer, or any number of readers, across every process on the host.
 *
 * <h2>Across processes: an OS advisory lock that dies with its holder</h2>
 * A read-write open takes an exclusive {@link FileChannel#tryLock() FileChannel lock} over the whole file, a
 * read-only open a shared one. On Linux the JDK implements these with POSIX record locks ({@code fcntl(F_SETLK)}).
 * The kernel owns such a lock, not the file system: it is dropped when the process exits for any reason,
 * {@code kill -9} and crashes included, because the kernel closes the process's descriptors as it dies. There is
 * no lock file, so there is nothing stale to clean up after a crash and no "the disk is locked, delete the .lck
 * directory by hand" step, which is what VMware users complain about (issue 5). A second Sublet that asks for a
 * conflicting lock is refused at once with the holder's pid, read from {@code /proc/locks} when the kernel has it.
 * The locks are advisory: they stop other Sublets and other programs that lock the same way (QEMU's image locking
 * uses the same family of byte-range locks), not {@code dd}.
 *
 * <h2>Inside this process: a registry, because POSIX locks belong to the process</h2>
 * A POSIX lock belongs to the process, not to the descriptor, so two opens in the same JVM never conflict in the
 * kernel. Worse, closing <em>any</em> descriptor of the file in the process drops <em>all</em> the process's locks
 * on it. So this class keeps a JVM-wide table of open images, keyed by file identity (device and inode, so a second
 * name or a hard link of the same file is the same disk): a second writer is refused without touching the file,
 * and read-only opens of the same file share one channel and one lock, released when the last reader closes.
 *
 * <p>FileChannel closes itself when a thread using it is interrupted, which drops the lock too; {@link FileDisk}
 * then asks {@link Handle#reopen} for a new channel and the lock back.
 *
 * <p><b>Never open an image that a {@link FileDisk} holds with anything else in the same JVM</b>
 * ({@code Files.readAllBytes}, a second {@code FileChannel}, {@code RandomAccessFile}): closing that stream silently
 * releases the VM's lock. Read through the FileDisk, or close it first. {@link #probe} goes through the table and
 * is safe.
 */
public final class DiskLocks {
    /** What {@link #probe} found. */
    public enum State {
        /** No process holds a lock on the file. */
        FREE("not in use"),
        /** Another process has it open read-only (a shared lock); more readers may join, no writer. */
        READERS("in use read-only by another process"),
        /** Another process has it open read-write (an exclusive lock). */
        WRITER("in use read-write by another process"),
        /** No writer, but this process may not write the file, so it cannot tell whether there are readers. */
        NO_WRITER("not in use by a writer"),
        /** Open read-only in this process. */
        HERE_READ_ONLY("open read-only in this process"),
        /** Open read-write in this process. */
        HERE_READ_WRITE("open read-write in this process");

        private final String text;

        State(final String text) {
            this.text = text;
        }

        /** A short phrase for messages, e.g. "in use read-write by another process". */
        public String text() {
            return text;
        }
    }

    /** Open images, by file identity; guarded by the class monitor. */
    private static final Map<Object, Entry> OPEN = new HashMap<>();

    private DiskLocks() { }

    /**
     * One open image: its channel and lock, shared by every read-only user in this JVM. The channel and lock
     * change only when {@link Handle#reopen} replaces a channel an interrupt closed.
     */
    private static final class Entry {
        final Object key;
        final Path path;
        final RandomAccessFile file;
        final boolean writable;
        final long dev;
        final long ino;
        volatile FileChannel channel;
        FileLock lock;
        String broken;
        int users = 1;

        Entry(final Path path, final Identity id, final FileChannel channel, final RandomAccessFile file,
                final FileLock lock, final boolean writable) {
            this.key = id == null ? null : id.key;
            this.path = path;
            this.channel = channel;
            this.file = file;
            this.lock = lock;
            this.writable = writable;
            this.dev = id == null ? -1 : id.dev;
            this.ino = id == null ? -1 : id.ino;
        }
    }

    /** A user's claim on an open image; {@link #release} once. */
    static final class Handle {
        private final Entry entry;
        private boolean released;

        Handle(final Entry entry) {
            this.entry = entry;
        }

        FileChannel channel() {
            return entry.channel;
        }

        /** st_dev of the file, or -1 where the platform does not say. */
        long dev() {
            return entry.dev;
        }

        /** st_ino of the file, or -1 where the platform does not say. */
        long ino() {
            return entry.ino;
        }

        /** Sets the file's length (ftruncate: extending leaves a hole). Only for handles from {@link #create}. */
        void setLength(final long length) throws IOException {
            entry.file.setLength(length);
        }

        /**
         * Replaces {@code failed}, a channel closed under us (FileChannel closes itself when a thread blocked in it,
         * or entering it, is interrupted), with a new one on the same file, and locks it again. Closing the old
         * descriptor dropped the process's lock, so another process may have taken it in between: then the disk
         * is broken for good, and this and every later call throw. Call with the thread's interrupt cleared.
         */
        void reopen(final FileChannel failed) throws IOException {
            synchronized (DiskLocks.class) {
                if (released) {
                    throw new IOException(entry.path + ": the disk is closed");
                }
                if (entry.channel != failed) {
                    return; // another user of the entry reopened it already
                }
                if (entry.broken != null) {
                    throw new IOException(entry.broken);
                }
                try {
                    if (entry.key == null || entry.file != null) {
                        throw new IOException("it cannot be reopened");
                    }
                    if (!identify(entry.path).key.equals(entry.key)) {
                        throw new IOException("the name now belongs to another file");
                    }
                    final FileChannel ch = entry.writable
                            ? FileChannel.open(entry.path, StandardOpenOption.READ, StandardOpenOption.WRITE)
                            : FileChannel.open(entry.path, StandardOpenOption.READ);
                    final FileLock l;
                    try {
                        l = ch.tryLock(0, Long.MAX_VALUE, !entry.writable);
                    } catch (IOException | RuntimeException e) {
                        ch.close();
                        throw e;
                    }
                    if (l == null) {
                        ch.close();
                        final List<Long> pids = holderPids(entry.dev, entry.ino);
                        throw new IOException("another process" + (pids.isEmpty() ? "" : " (pid " + pids.get(0) + ")")
                                + " took its lock");
                    }
                    entry.lock = l;
                    entry.channel = ch;
                } catch (IOException e) {
                    entry.broken = entry.path + ": an interrupt closed the image file and reopening it failed: "
                            + e.getMessage();
                    throw new IOException(entry.broken, e);
                }
            }
        }

        /** Drops this claim; the last one releases the lock and closes the channel. */
        void release() throws IOException {
            synchronized (DiskLocks.class) {
                if (released) {
                    return;
                }
                released = true;
                if (--entry.users > 0) {
                    return;
                }
                if (entry.key != null) {
                    OPEN.remove(entry.key);
                }
                try {
                    if (entry.lock != null && entry.lock.isValid()) {
                        entry.lock.release();
                    }
                } finally {
                    if (entry.file != null) {
                        entry.file.close();
                    } else {
                        entry.channel.close();
                    }
                }
            }
        }
    }

    /** Device, inode and the key they make; read from the path, following symbolic links. */
    private static final class Identity {
        final Object key;
        final boolean regular;
        final long dev;
        final long ino;

        Identity(final Object key, final boolean regular, final long dev, final long ino) {
            this.key = key;
            this.regular = regular;
            this.dev = dev;
            this.ino = ino;
        }
    }

    private static Identity identify(final Path path) throws IOException {
        final BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
        long dev = -1;
        long ino = -1;
        try {
            final Map<String, Object> u = Files.readAttributes(path, "unix:dev,ino");
            dev = ((Number) u.get("dev")).longValue();
            ino = ((Number) u.get("ino")).longValue();
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            // not a Unix JDK: the file key alone identifies the file, and /proc/locks does not exist either
        }
        final Object key = a.fileKey() != null ? a.fileKey() : path.toRealPath();
        return new Identity(key, a.isRegularFile(), dev, ino);
    }

    /**
     * Opens {@code path} and locks it: shared for a read-only open, exclusive otherwise.
     *
     * @throws DiskLockedException when another process or this one holds a conflicting lock
     * @throws IOException when the file is missing, not a regular file, or cannot be opened
     */
    static Handle acquire(final Path path, final boolean readOnly) throws IOException {
        synchronized (DiskLocks.class) {
            final Identity id = identify(path);
            if (!id.regular) {
                throw new IOException(path + ": not a regular file (a disk is a raw image file)");
            }
            final Entry e = OPEN.get(id.key);
            if (e != null) {
                if (readOnly && !e.writable) {
                    e.users++;
                    return new Handle(e);
                }
                throw inThisProcess(path, e.writable);
            }
            final FileChannel ch = readOnly ? FileChannel.open(path, StandardOpenOption.READ)
                    : FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
            return lock(path, id, ch, null, readOnly);
        }
    }

    /**
     * Opens {@code path} read-write through a RandomAccessFile, so the handle can {@link Handle#setLength set its
     * length} through the one descriptor that holds the lock.
     */
    static Handle create(final Path path) throws IOException {
        synchronized (DiskLocks.class) {
            final Identity id = identify(path);
            if (!id.regular) {
                throw new IOException(path + ": not a regular file");
            }
            final Entry e = OPEN.get(id.key);
            if (e != null) {
                throw inThisProcess(path, e.writable);
            }
            final RandomAccessFile raf = new RandomAccessFile(path.toFile(), "rw");
            return lock(path, id, raf.getChannel(), raf, false);
        }
    }

    /** Locks a freshly opened channel and registers it; closes it on any failure. Under the class monitor. */
    private static Handle lock(final Path path, final Identity id, final FileChannel ch, final RandomAccessFile raf,
            final boolean shared) throws IOException {
        boolean ok = false;
        try {
            if (!identify(path).key.equals(id.key)) {
                throw new IOException(path + ": replaced by another file while it was being opened");
            }
            final FileLock lock;
            try {
                lock = ch.tryLock(0, Long.MAX_VALUE, shared);
            } catch (OverlappingFileLockException x) {
                // only code outside this class locks files this way; closing our channel below drops its lock
                throw new DiskLockedException(path + " is in use by another VM (locked elsewhere in this process)",
                        true);
            }
            if (lock == null) {
                final List<Long> pids = holderPids(id.dev, id.ino);
                throw new DiskLockedException(path + " is in use by another VM (locked by another process"
                        + (pids.isEmpty() ? "" : pids.size() == 1 ? ", pid " + pids.get(0) : ", pids " + pids)
                        + ")", false);
            }
            final Entry entry = new Entry(path, id, ch, raf, lock, !shared);
            OPEN.put(id.key, entry);
            ok = true;
            return new Handle(entry);
        } finally {
            if (!ok) {
                if (raf != null) {
                    raf.close();
                } else {
                    ch.close();
                }
            }
        }
    }

    /** A handle on a channel that is neither locked nor registered (tests over /dev/full); it cannot reopen. */
    static Handle unlocked(final Path path, final FileChannel channel) {
        return new Handle(new Entry(path, null, channel, null, null, true));
    }

    private static DiskLockedException inThisProcess(final Path path, final boolean writable) {
        return new DiskLockedException(path + " is in use by another VM (already open in this process"
                + (writable ? "" : ", read-only") + ")", true);
    }

    /**
     * Tells whether the image is in use, without disturbing a holder in this process (it consults the table first
     * and opens nothing then). Otherwise it briefly takes and releases a lock itself, so a VM that starts in that
     * instant may be refused once.
     */
    public static State probe(final Path path) throws IOException {
        synchronized (DiskLocks.class) {
            final Identity id = identify(path);
            final Entry e = OPEN.get(id.key);
            if (e != null) {
                return e.writable ? State.HERE_READ_WRITE : State.HERE_READ_ONLY;
            }
            FileChannel ch;
            boolean canWrite = true;
            try {
                ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
            } catch (FileSystemException x) {
                ch = FileChannel.open(path, StandardOpenOption.READ);
                canWrite = false;
            }
            try (FileChannel c = ch) {
                if (canWrite) {
                    final FileLock x = c.tryLock(0, Long.MAX_VALUE, false);
                    if (x != null) {
                        x.release();
                        return State.FREE;
                    }
                }
                final FileLock s = c.tryLock(0, Long.MAX_VALUE, true);
                if (s == null) {
                    return State.WRITER;
                }
                s.release();
                return canWrite ? State.READERS : State.NO_WRITER;
            } catch (OverlappingFileLockException x) {
                throw new DiskLockedException(path + " is locked elsewhere in this process", true);
            }
        }
    }

    /** The pids of other processes holding a lock on the file, per {@code /proc/locks}; empty when unknown. */
    public static List<Long> holderPids(final Path path) throws IOException {
        final Identity id = identify(path);
        return holderPids(id.dev, id.ino);
    }

    /**
     * Reads {@code /proc/locks}, whose lines look like {@code 3: POSIX  ADVISORY  WRITE 4242 fe:00:2146348 0 EOF}
     * (the device as the kernel's major:minor in hex, then the inode). {@code st_dev} as user space sees it packs
     * major and minor differently (glibc's encoding), so both are decoded and compared as numbers.
     */
    static List<Long> holderPids(final long dev, final long ino) {
        final List<Long> pids = new ArrayList<>();
        if (dev < 0 || ino < 0) {
            return pids;
        }
        final long major = ((dev >>> 8) & 0xfffL) | ((dev >>> 32) & ~0xfffL);
        final long minor = (dev & 0xffL) | ((dev >>> 12) & ~0xffL);
        final long self = ProcessHandle.current().pid();
        final List<String> lines;
        try {
            lines = Files.readAllLines(Path.of("/proc/locks"), StandardCharsets.US_ASCII);
        } catch (IOException | UnsupportedOperationException e) {
            return pids;
        }
        for (String line : lines) {
            final String[] f = line.trim().split("\\s+");
            // id: TYPE ADVISORY MODE PID MAJ:MIN:INO START END; waiters have "->" after the id
            if (f.length < 8 || f[1].equals("->") || !(f[1].equals("POSIX") || f[1].equals("OFDLCK"))) {
                continue;
            }
            final String[] d = f[5].split(":");
            try {
                final long pid = Long.parseLong(f[4]);
                if (d.length == 3 && Long.parseLong(d[0], 16) == major && Long.parseLong(d[1], 16) == minor
                        && Long.parseLong(d[2]) == ino && pid > 0 && pid != self && !pids.contains(pid)) {
                    pids.add(pid);
                }
            } catch (NumberFormatException x) {
                // a line this parser does not know; skip it
            }
        }
        return pids;
    }
}
