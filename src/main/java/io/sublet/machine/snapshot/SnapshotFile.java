package io.sublet.machine.snapshot;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * Writes and opens snapshot files ({@link SnapshotFormat}). Writing goes to a temporary file in the same
 * directory, which is fsynced and then renamed over the target (and the directory fsynced): a writer
 * killed at any point leaves the previous snapshot intact. Opening checks the header, both CRCs and every
 * bound before it hands out anything; the memory section is then read into RAM, or mapped copy-on-write so
 * that restore time does not grow with RAM size.
 */
public final class SnapshotFile {
    private static final ByteBuffer ZERO_PAGE = ByteBuffer.allocateDirect(SnapshotFormat.PAGE_SIZE);

    private final Path path;
    private final byte[] state;
    private final byte[] pageMap;
    private final long memoryOffset;
    private final long memoryLength;
    private final long ramBase;
    private final long created;
    private final int memoryCrc;

    private SnapshotFile(final Path path, final byte[] state, final byte[] pageMap, final long memoryOffset,
            final long memoryLength, final long ramBase, final long created, final int memoryCrc) {
        this.path = path;
        this.state = state;
        this.pageMap = pageMap;
        this.memoryOffset = memoryOffset;
        this.memoryLength = memoryLength;
        this.ramBase = ramBase;
        this.created = created;
        this.memoryCrc = memoryCrc;
    }

    // ---- writing ----

    /** What a write produced. */
    public record Written(long fileBytes, long storedPages, long zeroPages) { }

    /**
     * Writes {@code state} and {@code ram} (whose byte 0 is guest physical {@code ramBase}) to {@code target},
     * atomically. Zero pages are not written. The caller keeps RAM still meanwhile (the guest is paused).
     */
    public static Written write(final Path target, final byte[] state, final ByteBuffer ram, final long ramBase)
            throws IOException {
        return write(target, state, ram, ramBase, true);
    }

    /**
     * As {@link #write(Path, byte[], ByteBuffer, long)}; with {@code durable} false nothing is fsynced (the rename is
     * still atomic), for a file that only has to outlive this host's uptime: a clone's memory, whose clone dies
     * with the host anyway.
     */
    public static Written write(final Path target, final byte[] state, final ByteBuffer ram, final long ramBase,
            final boolean durable) throws IOException {
        final long memoryLength = ram.capacity();
        final long pages = memoryLength / SnapshotFormat.PAGE_SIZE;
        final long pageMapOffset = SnapshotFormat.HEADER_SIZE + state.length;
        final long pageMapLength = SnapshotFormat.pageMapLength(memoryLength);
        final long memoryOffset = SnapshotFormat.pageAlign(pageMapOffset + pageMapLength);
        final byte[] pageMap = new byte[(int) pageMapLength];
        final Path dir = target.toAbsolutePath().getParent();
        final Path temp = dir.resolve("." + target.getFileName() + ".tmp-" + ProcessHandle.current().pid() + "-"
                + System.nanoTime());
        final CRC32C memoryCrc = new CRC32C();
        long stored = 0;
        boolean done = false;
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            final ByteBuffer view = ram.duplicate();
            long runStart = -1;
            for (long p = 0; p <= pages; p++) {
                final boolean present = p < pages && !isZero(view, (int) (p * SnapshotFormat.PAGE_SIZE));
                if (present) {
                    pageMap[(int) (p >>> 3)] |= (byte) (1 << (p & 7));
                    stored++;
                    if (runStart < 0) {
                        runStart = p;
                    }
                } else if (runStart >= 0) {
                    final int from = (int) (runStart * SnapshotFormat.PAGE_SIZE);
                    final int to = (int) (p * SnapshotFormat.PAGE_SIZE);
                    final ByteBuffer run = view.duplicate().position(from).limit(to);
                    memoryCrc.update(run.duplicate());
                    writeFully(ch, run, memoryOffset + from);
                    runStart = -1;
                }
            }
            writeFully(ch, ByteBuffer.wrap(state), SnapshotFormat.HEADER_SIZE);
            writeFully(ch, ByteBuffer.wrap(pageMap), pageMapOffset);
            ch.truncate(memoryOffset + memoryLength); // no-op when the last page was stored
            if (ch.size() < memoryOffset + memoryLength) {
                writeFully(ch, ByteBuffer.allocate(1), memoryOffset + memoryLength - 1); // extends with a hole
            }
            final ByteBuffer h = ByteBuffer.allocate(SnapshotFormat.HEADER_SIZE).order(ByteOrder.LITTLE_ENDIAN);
            h.put(SnapshotFormat.MAGIC);
            h.putInt(SnapshotFormat.VERSION_OFFSET, SnapshotFormat.VERSION);
            h.putInt(SnapshotFormat.HEADER_SIZE_OFFSET, SnapshotFormat.HEADER_SIZE);
            h.putLong(SnapshotFormat.STATE_OFFSET, SnapshotFormat.HEADER_SIZE);
            h.putLong(SnapshotFormat.STATE_LENGTH, state.length);
            h.putLong(SnapshotFormat.PAGE_MAP_OFFSET, pageMapOffset);
            h.putLong(SnapshotFormat.PAGE_MAP_LENGTH, pageMapLength);
            h.putLong(SnapshotFormat.MEMORY_OFFSET, memoryOffset);
            h.putLong(SnapshotFormat.MEMORY_LENGTH, memoryLength);
            h.putLong(SnapshotFormat.RAM_BASE, ramBase);
            h.putLong(SnapshotFormat.CREATED, System.currentTimeMillis());
            h.putInt(SnapshotFormat.STATE_CRC, crc(state));
            h.putInt(SnapshotFormat.PAGE_MAP_CRC, crc(pageMap));
            h.putInt(SnapshotFormat.MEMORY_CRC, (int) memoryCrc.getValue());
            h.putInt(SnapshotFormat.HEADER_CRC, crc(h.array(), SnapshotFormat.HEADER_CRC));
            h.clear();
            writeFully(ch, h, 0);
            if (durable) {
                ch.force(true);
            }
            done = true;
        } finally {
            if (!done) {
                Files.deleteIfExists(temp);
            }
        }
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.deleteIfExists(temp);
            throw new IOException(target + ": cannot rename a snapshot into place atomically here", e);
        }
        if (durable) {
            try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
                d.force(true); // the rename itself survives a crash
            } catch (IOException e) {
                // some file systems cannot fsync a directory; the data is already durable in the file
            }
        }
        removeStaleTemporaries(dir, target.getFileName().toString());
        return new Written(memoryOffset + stored * SnapshotFormat.PAGE_SIZE, stored, pages - stored);
    }

    /** Deletes what writers of this snapshot killed mid-write left behind (their process is gone). */
    private static void removeStaleTemporaries(final Path dir, final String name) {
        final String prefix = "." + name + ".tmp-";
        try (var files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                final String f = p.getFileName().toString();
                if (!f.startsWith(prefix)) {
                    continue;
                }
                final String rest = f.substring(prefix.length());
                final int dash = rest.indexOf('-');
                try {
                    final long pid = Long.parseLong(dash < 0 ? rest : rest.substring(0, dash));
                    if (ProcessHandle.of(pid).isEmpty()) {
                        Files.deleteIfExists(p);
                    }
                } catch (NumberFormatException | IOException e) {
                    // not one of ours, or already gone
                }
            }
        } catch (IOException e) {
            // tidying up is best effort; the snapshot itself is written
        }
    }

    private static boolean isZero(final ByteBuffer ram, final int offset) {
        return ram.slice(offset, SnapshotFormat.PAGE_SIZE).mismatch(ZERO_PAGE) < 0;
    }

    private static void writeFully(final FileChannel ch, final ByteBuffer b, final long position) throws IOException {
        long at = position;
        while (b.hasRemaining()) {
            at += ch.write(b, at);
        }
    }

    private static int crc(final byte[] b) {
        return crc(b, b.length);
    }

    private static int crc(final byte[] b, final int length) {
        final CRC32C c = new CRC32C();
        c.update(b, 0, length);
        return (int) c.getValue();
    }

    // ---- opening ----

    /**
     * Opens a snapshot and checks everything but the stored pages: header, version, bounds, state and page
     * map CRCs. {@link #readMemory} checks the pages too; {@link #mapMemory} leaves them to {@link #verifyMemory}.
     */
    public static SnapshotFile open(final Path path) throws SnapshotException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            final long size = ch.size();
            if (size < SnapshotFormat.HEADER_SIZE) {
                throw bad(path, "is " + size + " bytes, too short for a snapshot header (truncated?)");
            }
            final ByteBuffer h = ByteBuffer.allocate(SnapshotFormat.HEADER_SIZE).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, h, 0);
            final byte[] hb = h.array();
            for (int i = 0; i < SnapshotFormat.MAGIC.length; i++) {
                if (hb[i] != SnapshotFormat.MAGIC[i]) {
                    throw bad(path, "is not a Sublet snapshot (bad magic)");
                }
            }
            final String version = SnapshotFormat.checkVersion(h.getInt(SnapshotFormat.VERSION_OFFSET));
            if (version != null) {
                throw bad(path, "has " + version);
            }
            if (crc(hb, SnapshotFormat.HEADER_CRC) != h.getInt(SnapshotFormat.HEADER_CRC)) {
                throw bad(path, "has a corrupt header (CRC mismatch)");
            }
            final long stateOffset = h.getLong(SnapshotFormat.STATE_OFFSET);
            final long stateLength = h.getLong(SnapshotFormat.STATE_LENGTH);
            final long mapOffset = h.getLong(SnapshotFormat.PAGE_MAP_OFFSET);
            final long mapLength = h.getLong(SnapshotFormat.PAGE_MAP_LENGTH);
            final long memOffset = h.getLong(SnapshotFormat.MEMORY_OFFSET);
            final long memLength = h.getLong(SnapshotFormat.MEMORY_LENGTH);
            final long ramBase = h.getLong(SnapshotFormat.RAM_BASE);
            if (h.getInt(SnapshotFormat.HEADER_SIZE_OFFSET) != SnapshotFormat.HEADER_SIZE
                    || stateOffset != SnapshotFormat.HEADER_SIZE
                    || stateLength < 0 || stateLength > SnapshotFormat.MAX_STATE
                    || mapOffset != stateOffset + stateLength
                    || memLength <= 0 || memLength % SnapshotFormat.PAGE_SIZE != 0 || memLength > Integer.MAX_VALUE
                    || mapLength != SnapshotFormat.pageMapLength(memLength)
                    || memOffset != SnapshotFormat.pageAlign(mapOffset + mapLength)
                    || (ramBase & (SnapshotFormat.PAGE_SIZE - 1)) != 0) {
                throw bad(path, "has a header whose sections do not fit together");
            }
            if (size < memOffset + memLength) {
                throw bad(path, "is truncated: " + size + " bytes, the header says " + (memOffset + memLength));
            }
            final byte[] state = new byte[(int) stateLength];
            readFully(ch, ByteBuffer.wrap(state), stateOffset);
            if (crc(state) != h.getInt(SnapshotFormat.STATE_CRC)) {
                throw bad(path, "has a corrupt state section (CRC mismatch)");
            }
            final byte[] map = new byte[(int) mapLength];
            readFully(ch, ByteBuffer.wrap(map), mapOffset);
            if (crc(map) != h.getInt(SnapshotFormat.PAGE_MAP_CRC)) {
                throw bad(path, "has a corrupt page map (CRC mismatch)");
            }
            final long pages = memLength / SnapshotFormat.PAGE_SIZE;
            if (pages % 8 != 0 && (map[map.length - 1] & 0xff) >>> (pages % 8) != 0) {
                throw bad(path, "has a page map that names pages beyond its memory");
            }
            return new SnapshotFile(path, state, map, memOffset, memLength, ramBase,
                    h.getLong(SnapshotFormat.CREATED), h.getInt(SnapshotFormat.MEMORY_CRC));
        } catch (NoSuchFileException e) {
            throw new SnapshotException(path + ": no such snapshot file");
        } catch (IOException e) {
            throw new SnapshotException(path + ": cannot read the snapshot: " + e.getMessage(), e);
        }
    }

    private static SnapshotException bad(final Path path, final String what) {
        return new SnapshotException(path + ": " + what);
    }

    private static void readFully(final FileChannel ch, final ByteBuffer b, final long position) throws IOException {
        long at = position;
        while (b.hasRemaining()) {
            final int n = ch.read(b, at);
            if (n < 0) {
                throw new IOException("unexpected end of file at " + at);
            }
            at += n;
        }
    }

    public Path path() {
        return path;
    }

    /** The state section (checked against its CRC). */
    public byte[] state() {
        return state;
    }

    public long memoryLength() {
        return memoryLength;
    }

    public long ramBase() {
        return ramBase;
    }

    /** When the snapshot was written, ms since the epoch: the one header field that differs between equal snapshots. */
    public long created() {
        return created;
    }

    private boolean stored(final long page) {
        return (pageMap[(int) (page >>> 3)] & (1 << (page & 7))) != 0;
    }

    /** Pages the file stores (the others are zero). */
    public long storedPages() {
        long n = 0;
        for (byte b : pageMap) {
            n += Integer.bitCount(b & 0xff);
        }
        return n;
    }

    /**
     * Reads the memory section into {@code ram} (zero-filled, {@link #memoryLength} bytes) after checking the
     * stored pages against their CRC in a first pass, so a corrupt file leaves {@code ram} untouched.
     */
    public void readMemory(final ByteBuffer ram) throws SnapshotException {
        verifyMemory();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            forEachRun((from, to) -> readFully(ch, ram.duplicate().position(from).limit(to), memoryOffset + from));
        } catch (IOException e) {
            throw new SnapshotException(path + ": cannot read the memory section: " + e.getMessage(), e);
        }
    }

    /** Checks the stored pages against their CRC (reads them once, through the page cache). */
    public void verifyMemory() throws SnapshotException {
        final CRC32C c = new CRC32C();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            final ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
            forEachRun((from, to) -> {
                for (long at = from; at < to; ) {
                    final int n = (int) Math.min(buf.capacity(), to - at);
                    buf.clear().limit(n);
                    readFully(ch, buf, memoryOffset + at);
                    buf.flip();
                    c.update(buf);
                    at += n;
                }
            });
        } catch (IOException e) {
            throw new SnapshotException(path + ": cannot read the memory section: " + e.getMessage(), e);
        }
        if ((int) c.getValue() != memoryCrc) {
            throw new SnapshotException(path + ": has a corrupt memory section (CRC mismatch)");
        }
    }

    /**
     * Maps the memory section copy-on-write: the guest's stores go to private copies of the pages, the file
     * never changes, and only the pages the guest touches are ever read. Needs write permission on the file
     * (a JDK rule for private mappings), though nothing is written. The file must not be modified
     * in place while the mapping lives (Sublet itself only ever replaces snapshots by renaming).
     */
    public ByteBuffer mapMemory() throws SnapshotException {
        // The JDK maps PRIVATE only through a channel open for writing too; nothing is ever written through it.
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            final MappedByteBuffer m = ch.map(FileChannel.MapMode.PRIVATE, memoryOffset, memoryLength);
            return m.order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException e) {
            throw new SnapshotException(path + ": cannot map the memory section: " + e.getMessage(), e);
        }
    }

    /** A run of stored pages, as byte offsets into memory: {@code [from, to)}. */
    @FunctionalInterface
    public interface Run {
        void accept(int from, int to) throws IOException;
    }

    /** Where the memory section starts in the file (everything before it is header, state and page map). */
    public long memoryOffset() {
        return memoryOffset;
    }

    /** Calls {@code run} for each maximal run of stored pages, in order. */
    public void forEachStoredRun(final Run run) throws IOException {
        forEachRun(run);
    }

    private void forEachRun(final Run run) throws IOException {
        final long pages = memoryLength / SnapshotFormat.PAGE_SIZE;
        long start = -1;
        for (long p = 0; p <= pages; p++) {
            final boolean s = p < pages && stored(p);
            if (s && start < 0) {
                start = p;
            } else if (!s && start >= 0) {
                run.accept((int) (start * SnapshotFormat.PAGE_SIZE), (int) (p * SnapshotFormat.PAGE_SIZE));
                start = -1;
            }
        }
    }
}
