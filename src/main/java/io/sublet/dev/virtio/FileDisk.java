package io.sublet.dev.virtio;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A raw disk image file behind a virtio-blk device: byte {@code n} of the file is byte {@code n} of the disk.
 *
 * <p><b>I/O.</b> Reads and writes are positional ({@code pread}/{@code pwrite} on one {@link FileChannel}, safe from
 * several threads at once) straight from and into the caller's buffer; with a direct buffer, such as guest RAM,
 * nothing is copied or allocated (a heap buffer goes through the JDK's per-thread cached temporary direct buffer).
 * Writes land in the host's page cache: this is a write-back cache, so the device
 * should offer VIRTIO_BLK_F_FLUSH, and only what the guest has flushed is promised to survive a host crash.
 *
 * <p><b>Flush</b> is {@code FileChannel.force(false)}, i.e. {@code fdatasync}: it writes the file's data and the
 * metadata needed to read that data back (block allocation, including blocks allocated when a write fills a hole),
 * but not timestamps. That is enough because the size never changes: every write is inside the fixed size taken at
 * open, and holes are punched with KEEP_SIZE. After a hole has been punched the next flush is
 * {@code force(true)} (full {@code fsync}), so the freed extents are on disk too and a host crash cannot bring the
 * old contents back into a range the guest was told reads as zeros.
 *
 * <p><b>Discard and write-zeroes.</b> Both leave the range reading as zeros (for DISCARD virtio would allow
 * anything; zeros make the result the same whichever way it was done). With {@code mayUnmap} (and always for
 * DISCARD), ranges of at least {@value #PUNCH_MIN_DEFAULT} bytes (system property {@value #PUNCH_MIN_PROP_NAME}) get
 * a hole punched so the image stays sparse (see {@link FileDiskHoles} for how and at what cost); smaller ranges, or
 * all of them when punching is unavailable, are overwritten with zeros from one shared buffer, 1 MiB per write.
 *
 * <p><b>Errors.</b> Every failure is an IOException, which the device turns into the request's error status: a
 * write to a read-only disk, a full host file system ("No space left on device", from the write or, on file
 * systems that allocate late, from the next flush), a file that shrank under us, a closed disk.
 *
 * <p><b>Interrupts.</b> A FileChannel closes itself when a thread using it is interrupted, which would also drop
 * the lock and fail every later request. FileDisk clears a pending interrupt before each request and sets it
 * again afterwards, so an interrupted I/O thread does not harm the disk; an interrupt that lands while a request is
 * in the kernel still closes the channel, and then FileDisk reopens the file, takes the lock again (unless another
 * process took it in that instant: then the disk fails with IOException) and finishes the request. A request is
 * never abandoned halfway because of an interrupt.
 *
 * <p><b>Locking.</b> {@link #open} locks the image against a second writer on the host, through {@link DiskLocks};
 * the lock dies with the process. Do not open the image file with anything else in the same JVM while a FileDisk
 * holds it: on Linux, closing any other descriptor of the file drops the lock (see DiskLocks).
 */
public final class FileDisk implements BlockBackend {
    /** The sector size: image sizes are multiples of it. */
    public static final int SECTOR = 512;

    /** The longest id (virtio-blk GET_ID answers at most 20 bytes). */
    public static final int ID_MAX = 20;

    /** System property: the smallest range, in bytes, that discard and write-zeroes punch rather than overwrite. */
    public static final String PUNCH_MIN_PROP_NAME = "sublet.disk.punchMinBytes";
    public static final long PUNCH_MIN_DEFAULT = 1 << 20;

    private static final int ZERO_CHUNK = 1 << 20;
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(ZERO_CHUNK).asReadOnlyBuffer();

    private final Path path;
    private final DiskLocks.Handle handle;
    private final long size;
    private final boolean readOnly;
    private final String id;
    private final FileDiskHoles holes;
    private final long punchMin;
    private final AtomicLong holesPunched = new AtomicLong();
    private final AtomicLong bytesPunched = new AtomicLong();
    private final AtomicLong bytesZeroed = new AtomicLong();
    private volatile boolean punchedSinceFlush;
    private volatile boolean closed;

    private FileDisk(final Path path, final DiskLocks.Handle handle, final long size, final boolean readOnly,
            final String id, final FileDiskHoles holes) {
        this.path = path;
        this.handle = handle;
        this.size = size;
        this.readOnly = readOnly;
        this.id = id;
        this.holes = holes;
        this.punchMin = Math.max(SECTOR, Long.getLong(PUNCH_MIN_PROP_NAME, PUNCH_MIN_DEFAULT));
    }

    /** Opens an image with the id made from its file name ({@link #idFromFileName}). */
    public static FileDisk open(final Path path, final boolean readOnly) throws IOException {
        return open(path, readOnly, idFromFileName(path));
    }

    /**
     * Opens and locks a raw image: read-only opens share the file with other readers, a read-write open excludes
     * everyone else.
     *
     * @param id the serial number the guest sees (GET_ID), at most {@value #ID_MAX} bytes of printable ASCII
     * @throws DiskLockedException the image is in use (by another process, or already in this one)
     * @throws IOException a missing or unreadable file, not a regular file, or a size that is zero or not a multiple
     *         of 512 (refused rather than rounded: rounding down would hide the tail of the file from the guest,
     *         rounding up would grow a file the user did not ask to change)
     */
    public static FileDisk open(final Path path, final boolean readOnly, final String id) throws IOException {
        checkId(id);
        final DiskLocks.Handle h = DiskLocks.acquire(path, readOnly);
        boolean ok = false;
        try {
            final long size = h.channel().size();
            if (size == 0) {
                throw new IOException(path + ": the image is empty (0 bytes); make one with 'sublet disk create'");
            }
            if (size % SECTOR != 0) {
                throw new IOException(path + ": size " + size + " bytes is not a multiple of " + SECTOR
                        + " (the sector size); 'truncate -s %512 " + path + "' pads it with zeros");
            }
            final FileDiskHoles holes = readOnly ? null : FileDiskHoles.forFile(path, h.dev(), h.ino());
            final FileDisk d = new FileDisk(path, h, size, readOnly, id, holes);
            ok = true;
            return d;
        } finally {
            if (!ok) {
                h.release();
            }
        }
    }

    /**
     * A disk over a channel that is already open, with no lock and no hole punching: for tests that need a channel
     * no regular file gives, such as {@code /dev/full} (every write fails with "No space left on device").
     */
    static FileDisk overChannel(final Path name, final FileChannel channel, final long size, final boolean readOnly) {
        return new FileDisk(name, DiskLocks.unlocked(name, channel), size, readOnly, idFromFileName(name),
                readOnly ? null : FileDiskHoles.forFile(name, -1, -1));
    }

    /**
     * Makes a sparse raw image of {@code size} bytes (rounded up to a multiple of 512, as {@code qemu-img create}
     * does) reading as zeros and occupying no data blocks: the length is set with {@code ftruncate}. An existing
     * file is refused unless {@code overwrite}, and even then it is refused while any process has it open as a disk;
     * overwriting truncates it in place under an exclusive lock, so every old block is freed.
     *
     * @return the image's size
     * @throws IllegalArgumentException a size that is not positive
     * @throws FileAlreadyExistsException the file exists and {@code overwrite} is false
     * @throws NoSuchFileException the parent directory does not exist (reason "no such directory")
     * @throws NotDirectoryException the parent is not a directory
     */
    public static long create(final Path path, final long size, final boolean overwrite) throws IOException {
        if (size <= 0) {
            throw new IllegalArgumentException("size must be positive, got " + size);
        }
        if (size > Long.MAX_VALUE - SECTOR) {
            throw new IllegalArgumentException("size " + size + " is too large");
        }
        final long rounded = (size + SECTOR - 1) & -SECTOR;
        final Path parent = path.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            if (Files.exists(parent)) {
                throw new NotDirectoryException(parent.toString());
            }
            throw new NoSuchFileException(parent.toString(), null, "no such directory");
        }
        boolean created = false;
        if (!overwrite || !Files.exists(path)) {
            Files.createFile(path);
            created = true;
        }
        boolean ok = false;
        try {
            final DiskLocks.Handle h = DiskLocks.create(path);
            try {
                h.setLength(0);
                h.setLength(rounded);
                h.channel().force(true);
            } finally {
                h.release();
            }
            ok = true;
            return rounded;
        } finally {
            if (!ok && created) {
                Files.deleteIfExists(path);
            }
        }
    }

    /**
     * The default id: the file name, each byte outside printable ASCII replaced by '_', cut to
     * {@value #ID_MAX} bytes ("debian-root.img" stays as is; Linux shows it in /sys/block/vdX/serial).
     */
    public static String idFromFileName(final Path path) {
        final Path name = path.getFileName();
        final String s = name == null ? "disk" : name.toString();
        final StringBuilder b = new StringBuilder(ID_MAX);
        for (int i = 0; i < s.length() && b.length() < ID_MAX; i++) {
            final char c = s.charAt(i);
            b.append(c >= 0x20 && c < 0x7f ? c : '_');
        }
        return b.toString();
    }

    private static void checkId(final String id) {
        if (id.length() > ID_MAX) {
            throw new IllegalArgumentException("disk id '" + id + "' is longer than " + ID_MAX + " bytes");
        }
        for (int i = 0; i < id.length(); i++) {
            if (id.charAt(i) < 0x20 || id.charAt(i) >= 0x7f) {
                throw new IllegalArgumentException("disk id '" + id + "' is not printable ASCII");
            }
        }
    }

    /** The path the image was opened by. */
    public Path path() {
        return path;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public boolean readOnly() {
        return readOnly;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public void read(final long offset, final ByteBuffer dst) throws IOException {
        check(offset, dst.remaining());
        final int start = dst.position();
        boolean interrupted = Thread.interrupted();
        try {
            while (true) {
                final FileChannel ch = handle.channel();
                try {
                    while (dst.hasRemaining()) {
                        final long pos = offset + (dst.position() - start);
                        if (ch.read(dst, pos) < 0) {
                            throw new EOFException(path + ": unexpected end of file at byte " + pos + " of " + size
                                    + " (the image shrank while in use?)");
                        }
                    }
                    return;
                } catch (ClosedChannelException e) {
                    interrupted |= reopen(ch);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void write(final long offset, final ByteBuffer src) throws IOException {
        checkWritable();
        check(offset, src.remaining());
        final int start = src.position();
        boolean interrupted = Thread.interrupted();
        try {
            while (true) {
                final FileChannel ch = handle.channel();
                try {
                    while (src.hasRemaining()) {
                        ch.write(src, offset + (src.position() - start));
                    }
                    return;
                } catch (ClosedChannelException e) {
                    interrupted |= reopen(ch);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * fdatasync, or fsync after a hole was punched (see the class comment). Nothing to do on a read-only disk.
     * An error from the host (a failed or full disk found at writeback) is thrown, never dropped.
     */
    @Override
    public void flush() throws IOException {
        if (closed) {
            throw closedException();
        }
        if (readOnly) {
            return;
        }
        final boolean metadata = punchedSinceFlush;
        punchedSinceFlush = false;
        boolean interrupted = Thread.interrupted();
        try {
            while (true) {
                final FileChannel ch = handle.channel();
                try {
                    ch.force(metadata);
                    return;
                } catch (ClosedChannelException e) {
                    interrupted |= reopen(ch);
                }
            }
        } catch (IOException e) {
            if (metadata) {
                punchedSinceFlush = true;
            }
            throw e;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void discard(final long offset, final long length) throws IOException {
        writeZeroes(offset, length, true);
    }

    @Override
    public void writeZeroes(final long offset, final long length, final boolean mayUnmap) throws IOException {
        checkWritable();
        check(offset, length);
        if (length == 0) {
            return;
        }
        if (mayUnmap && length >= punchMin && holes.punch(offset, length)) {
            punchedSinceFlush = true;
            holesPunched.incrementAndGet();
            bytesPunched.addAndGet(length);
            return;
        }
        final ByteBuffer z = ZEROS.duplicate();
        final long end = offset + length;
        long pos = offset;
        boolean interrupted = Thread.interrupted();
        try {
            while (pos < end) {
                final FileChannel ch = handle.channel();
                try {
                    while (pos < end) {
                        z.clear().limit((int) Math.min(ZERO_CHUNK, end - pos));
                        while (z.hasRemaining()) {
                            pos += ch.write(z, pos);
                        }
                    }
                } catch (ClosedChannelException e) {
                    interrupted |= reopen(ch);
                    pos -= z.position(); // the chunk in flight is written again whole
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        bytesZeroed.addAndGet(length);
    }

    /**
     * The channel was closed under a request: by {@link #close} (then the request fails), or because some thread
     * was interrupted inside FileChannel, which closes the channel for everyone and with it drops the lock. Then the
     * file is reopened and relocked ({@link DiskLocks.Handle#reopen}) and the request is done again from where it
     * stopped (positional writes are idempotent). Returns whether this thread's interrupt status was set, having
     * cleared it so the new channel is not closed at once; the caller sets it again when the request is done.
     */
    private boolean reopen(final FileChannel failed) throws IOException {
        if (closed) {
            throw closedException();
        }
        final boolean interrupted = Thread.interrupted();
        handle.reopen(failed);
        return interrupted;
    }

    /** The channel in use now; for tests that close it the way an interrupt does. */
    FileChannel channel() {
        return handle.channel();
    }

    /** Releases the lock and closes the file. Does not flush: call {@link #flush} first on an orderly stop. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        handle.release();
    }

    /** How discard and write-zeroes free space on this disk: "punching holes with PATH", or why they write zeros. */
    public String punchStatus() {
        if (readOnly) {
            return "read-only";
        }
        final String why = holes.disabledReason();
        return why == null ? "punching holes with " + FileDiskHoles.tool().map(Path::toString).orElse("?")
                : "writing zeros (" + why + ")";
    }

    /** Holes punched so far. */
    public long holesPunched() {
        return holesPunched.get();
    }

    /** Bytes freed by punching holes so far. */
    public long bytesPunched() {
        return bytesPunched.get();
    }

    /** Bytes overwritten with zeros (write-zeroes without unmap, small ranges, or no hole punching). */
    public long bytesZeroed() {
        return bytesZeroed.get();
    }

    private void checkWritable() throws IOException {
        if (readOnly) {
            throw new IOException(path + " is read-only");
        }
    }

    /** Guards against a device bug turning into a file that grows or a read of the wrong place. */
    private void check(final long offset, final long length) throws IOException {
        if (closed) {
            throw closedException();
        }
        if (offset < 0 || length < 0 || offset > size - length) {
            throw new IOException(path + ": request [" + offset + ", +" + length + ") is outside the disk ("
                    + size + " bytes)");
        }
    }

    private IOException closedException() {
        return new IOException(path + ": the disk is closed");
    }

    @Override
    public String toString() {
        return "FileDisk[" + path + ", " + size + " bytes" + (readOnly ? ", read-only" : "") + "]";
    }
}
