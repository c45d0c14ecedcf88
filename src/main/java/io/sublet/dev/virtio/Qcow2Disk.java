package io.sublet.dev.virtio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A qcow2 image behind a virtio-blk device (see {@link Qcow2Header} for the format): clusters found through
 * a two-level table (L1, then L2), allocated on first write, 16-bit reference counts kept exact on every
 * allocation, zero clusters (version 3), and a backing file (raw or qcow2, to any depth up to
 * {@value #MAX_CHAIN}) that supplies the clusters this image has not written. Writing to a cluster that
 * comes from the backing file, or is shared, first copies it (copy-on-write).
 *
 * <p>Metadata is written through, in an order that never lets a table point at a cluster before the cluster's
 * data and reference count are on file: a crash can leak a cluster (reference counted but unused, which
 * {@code qemu-img check} reports as a leak, not an error), never corrupt the image. New clusters are
 * appended at the end of the file; freed ones (discard) get reference count 0 and are not reused.
 * L2 tables and refcount blocks are cached (a few, least recently used). Compressed clusters are refused
 * when read (an IOException, so the guest sees an I/O error on them): {@code qemu-img convert} without
 * {@code -c} writes none. Calls are serialised on this object.
 */
public final class Qcow2Disk implements BlockBackend {
    /** Longest backing chain followed; deeper (or looping) chains are refused. */
    public static final int MAX_CHAIN = 16;
    private static final int CACHED_TABLES = 32;
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(1 << 21).asReadOnlyBuffer();

    private final Path path;
    private final DiskLocks.Handle handle;
    private final FileChannel ch;
    private final Qcow2Header h;
    private final boolean readOnly;
    private final String id;
    private final BlockBackend backing;
    private final int clusterBits;
    private final int clusterSize;
    private final int l2Entries;
    private final long[] l1;
    private long refTableOffset;
    private long[] refTable;
    private long fileEnd;
    private boolean closed;
    private final Map<Long, long[]> l2Cache = lru();
    private final Map<Long, char[]> refCache = lru();

    private static <V> Map<Long, V> lru() {
        return new LinkedHashMap<>(CACHED_TABLES, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(final Map.Entry<Long, V> eldest) {
                return size() > CACHED_TABLES;
            }
        };
    }

    private Qcow2Disk(final Path path, final DiskLocks.Handle handle, final Qcow2Header h, final boolean readOnly,
            final BlockBackend backing, final String id) throws IOException {
        this.path = path;
        this.handle = handle;
        this.ch = handle.channel();
        this.h = h;
        this.readOnly = readOnly;
        this.id = id;
        this.backing = backing;
        this.clusterBits = h.clusterBits();
        this.clusterSize = h.clusterSize();
        this.l2Entries = clusterSize / 8;
        this.l1 = readLongs(h.l1TableOffset(), h.l1Size());
        this.refTableOffset = h.refcountTableOffset();
        this.refTable = readLongs(refTableOffset, h.refcountTableClusters() * clusterSize / 8);
        this.fileEnd = (ch.size() + clusterSize - 1) & ~(long) (clusterSize - 1);
    }

    /** Opens and locks an image, and its backing chain read-only; the serial number comes from the file name. */
    public static Qcow2Disk open(final Path path, final boolean readOnly) throws IOException {
        return open(path, readOnly, 0, FileDisk.idFromFileName(path));
    }

    /** As {@link #open(Path, boolean)} with the serial number the guest sees (at most 20 bytes of ASCII). */
    public static Qcow2Disk open(final Path path, final boolean readOnly, final String id) throws IOException {
        return open(path, readOnly, 0, id);
    }

    private static Qcow2Disk open(final Path path, final boolean readOnly, final int depth, final String id)
            throws IOException {
        if (depth > MAX_CHAIN) {
            throw new IOException(path + ": backing chain deeper than " + MAX_CHAIN + " images (a loop?)");
        }
        final DiskLocks.Handle handle = DiskLocks.acquire(path, readOnly);
        BlockBackend backing = null;
        boolean ok = false;
        try {
            final FileChannel ch = handle.channel();
            final ByteBuffer first = ByteBuffer.allocate((int) Math.min(ch.size(), 1 << 21));
            ch.read(first, 0);
            first.flip();
            final Qcow2Header h = Qcow2Header.parse(path, first, ch.size());
            if (!readOnly && (h.incompatible() & Qcow2Header.INCOMPAT_DIRTY) != 0) {
                throw new IOException(path + ": the qcow2 image was not closed cleanly (dirty); "
                        + "'qemu-img check -r all' repairs it");
            }
            if (!readOnly && h.snapshots() != 0) {
                throw new IOException(path + ": the qcow2 image has internal snapshots; Sublet opens it read-only only");
            }
            if (h.backingFile() != null) {
                backing = openBacking(path, h, depth);
            }
            final Qcow2Disk d = new Qcow2Disk(path, handle, h, readOnly, backing, id);
            if (!readOnly && h.version() == 3 && h.autoclear() != 0) {
                d.putLong(88, 0); // the spec: a writer that does not know autoclear features clears them
            }
            ok = true;
            return d;
        } finally {
            if (!ok) {
                handle.release();
                if (backing != null) {
                    backing.close();
                }
            }
        }
    }

    private static BlockBackend openBacking(final Path image, final Qcow2Header h, final int depth) throws IOException {
        final Path dir = image.toAbsolutePath().getParent();
        final Path b = dir.resolve(h.backingFile());
        final String format = h.backingFormat();
        if (format != null && !format.equals("raw") && !format.equals("qcow2")) {
            throw new IOException(image + ": backing file format '" + format + "' is not supported (raw or qcow2)");
        }
        try {
            if ("raw".equals(format) || (format == null && !DiskImages.isQcow2(b))) {
                return FileDisk.open(b, true);
            }
            return open(b, true, depth + 1, FileDisk.idFromFileName(b));
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IOException(image + ": its backing file " + b + " does not exist");
        }
    }

    private long[] readLongs(final long offset, final int count) throws IOException {
        final ByteBuffer b = ByteBuffer.allocate(count * 8);
        readFully(b, offset);
        final long[] v = new long[count];
        for (int i = 0; i < count; i++) {
            v[i] = b.getLong(i * 8);
        }
        return v;
    }

    private void readFully(final ByteBuffer b, final long offset) throws IOException {
        long at = offset;
        while (b.hasRemaining()) {
            final int n = ch.read(b, at);
            if (n < 0) {
                throw new IOException(path + ": qcow2 metadata or data at " + at + " lies past the end of the file");
            }
            at += n;
        }
    }

    private void writeFully(final ByteBuffer b, final long offset) throws IOException {
        long at = offset;
        while (b.hasRemaining()) {
            at += ch.write(b, at);
        }
    }

    private void putLong(final long offset, final long v) throws IOException {
        writeFully(ByteBuffer.allocate(8).putLong(0, v), offset);
    }

    // ---- BlockBackend ----

    @Override
    public long size() {
        return h.size();
    }

    @Override
    public boolean readOnly() {
        return readOnly;
    }

    @Override
    public String id() {
        return id;
    }

    public Path path() {
        return path;
    }

    /** The parsed header, for {@code sublet disk info}. */
    Qcow2Header header() {
        return h;
    }

    public BlockBackend backing() {
        return backing;
    }

    @Override
    public synchronized void read(final long offset, final ByteBuffer dst) throws IOException {
        checkRange(offset, dst.remaining());
        long at = offset;
        while (dst.hasRemaining()) {
            final int inCluster = (int) (at & (clusterSize - 1));
            final int n = Math.min(dst.remaining(), clusterSize - inCluster);
            final ByteBuffer piece = dst.duplicate().limit(dst.position() + n);
            readCluster(at >>> clusterBits, inCluster, piece);
            dst.position(dst.position() + n);
            at += n;
        }
    }

    /** Reads part of one guest cluster, from wherever its data lives. */
    private void readCluster(final long cluster, final int inCluster, final ByteBuffer piece) throws IOException {
        final long e = l2Entry(cluster);
        if ((e & Qcow2Header.COMPRESSED) != 0) {
            throw new IOException(path + ": compressed clusters are not supported");
        }
        final long host = e & Qcow2Header.OFFSET_MASK;
        if (h.version() == 3 && (e & Qcow2Header.ZERO) != 0) {
            zero(piece);
        } else if (host != 0) {
            readFully(piece, host + inCluster);
        } else {
            readBacking((cluster << clusterBits) + inCluster, piece);
        }
    }

    private void readBacking(final long offset, final ByteBuffer piece) throws IOException {
        if (backing == null || offset >= backing.size()) {
            zero(piece);
            return;
        }
        final int fromBacking = (int) Math.min(piece.remaining(), backing.size() - offset);
        final ByteBuffer part = piece.duplicate().limit(piece.position() + fromBacking);
        backing.read(offset, part);
        piece.position(piece.position() + fromBacking);
        zero(piece);
    }

    private static void zero(final ByteBuffer b) {
        while (b.hasRemaining()) {
            final int n = Math.min(b.remaining(), ZEROS.capacity());
            b.put(ZEROS.duplicate().limit(n));
        }
    }

    @Override
    public synchronized void write(final long offset, final ByteBuffer src) throws IOException {
        checkWritable();
        checkRange(offset, src.remaining());
        long at = offset;
        while (src.hasRemaining()) {
            final int inCluster = (int) (at & (clusterSize - 1));
            final int n = Math.min(src.remaining(), clusterSize - inCluster);
            final ByteBuffer piece = src.duplicate().limit(src.position() + n);
            writeCluster(at >>> clusterBits, inCluster, piece);
            src.position(src.position() + n);
            at += n;
        }
    }

    /** Writes part of one guest cluster: in place when this image owns it alone, else into a new copy. */
    private void writeCluster(final long cluster, final int inCluster, final ByteBuffer piece) throws IOException {
        final long e = l2Entry(cluster);
        final long host = e & Qcow2Header.OFFSET_MASK;
        final boolean zero = h.version() == 3 && (e & Qcow2Header.ZERO) != 0;
        final boolean whole = inCluster == 0 && piece.remaining() == clusterSize;
        if (host != 0 && (e & Qcow2Header.COPIED) != 0 && (e & Qcow2Header.COMPRESSED) == 0) {
            if (zero && !whole) {
                writeFully(ZEROS.duplicate().limit(clusterSize), host); // the rest of the cluster must read zeros
            }
            writeFully(piece, host + inCluster);
            if (zero) {
                setL2Entry(cluster, host | Qcow2Header.COPIED);
            }
            return;
        }
        final ByteBuffer data;
        if (whole) {
            data = piece;
        } else {
            data = ByteBuffer.allocate(clusterSize);
            readCluster(cluster, 0, data); // what the cluster reads as now: zeros, backing, or the shared copy
            data.clear();
            data.position(inCluster);
            data.put(piece);
            data.clear();
        }
        final long fresh = allocate(1);
        writeFully(data, fresh);
        setL2Entry(cluster, fresh | Qcow2Header.COPIED);
        if (host != 0 && (e & Qcow2Header.COMPRESSED) == 0) {
            addRefcount(host, -1); // the shared cluster lost this reference
        }
    }

    @Override
    public synchronized void flush() throws IOException {
        if (!readOnly) {
            ch.force(false);
        }
    }

    @Override
    public void discard(final long offset, final long length) throws IOException {
        writeZeroes(offset, length, true);
    }

    /**
     * Whole clusters become zero clusters (version 3) and, with {@code mayUnmap}, give their space back (reference
     * count 0); partial clusters, and every cluster of a version 2 image, are written with zeros.
     */
    @Override
    public synchronized void writeZeroes(final long offset, final long length, final boolean mayUnmap)
            throws IOException {
        checkWritable();
        checkRange(offset, length);
        long at = offset;
        final long end = offset + length;
        while (at < end) {
            final int inCluster = (int) (at & (clusterSize - 1));
            final int n = (int) Math.min(end - at, clusterSize - inCluster);
            final long cluster = at >>> clusterBits;
            if (n == clusterSize && h.version() == 3) {
                final long e = l2Entry(cluster);
                final long host = e & Qcow2Header.OFFSET_MASK;
                final boolean owned = host != 0 && (e & Qcow2Header.COPIED) != 0 && (e & Qcow2Header.COMPRESSED) == 0;
                if (owned && !mayUnmap) {
                    setL2Entry(cluster, host | Qcow2Header.COPIED | Qcow2Header.ZERO);
                } else {
                    setL2Entry(cluster, Qcow2Header.ZERO);
                    if (host != 0 && (e & Qcow2Header.COMPRESSED) == 0) {
                        addRefcount(host, -1);
                    }
                }
            } else {
                writeCluster(cluster, inCluster, ZEROS.duplicate().limit(n));
            }
            at += n;
        }
    }

    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (!readOnly) {
                ch.force(true);
            }
        } finally {
            handle.release();
            if (backing != null) {
                backing.close();
            }
        }
    }

    private void checkWritable() throws IOException {
        if (readOnly) {
            throw new IOException(path + ": the disk is read-only");
        }
    }

    private void checkRange(final long offset, final long length) throws IOException {
        if (offset < 0 || length < 0 || offset > h.size() - length) {
            throw new IOException(path + ": range " + offset + "+" + length + " is outside the disk");
        }
    }

    // ---- tables ----

    private long l2Entry(final long cluster) throws IOException {
        final int l1Index = (int) (cluster / l2Entries);
        final long l2 = l1[l1Index] & Qcow2Header.OFFSET_MASK;
        if (l2 == 0) {
            return 0;
        }
        return l2Table(l2)[(int) (cluster % l2Entries)];
    }

    private long[] l2Table(final long offset) throws IOException {
        long[] t = l2Cache.get(offset);
        if (t == null) {
            if (offset + clusterSize > ch.size()) {
                throw new IOException(path + ": an L2 table lies past the end of the file");
            }
            t = readLongs(offset, l2Entries);
            l2Cache.put(offset, t);
        }
        return t;
    }

    /** Points a guest cluster at {@code entry}, making an L2 table of this image's own for it first if needed. */
    private void setL2Entry(final long cluster, final long entry) throws IOException {
        final int l1Index = (int) (cluster / l2Entries);
        long l1e = l1[l1Index];
        long l2 = l1e & Qcow2Header.OFFSET_MASK;
        if (l2 == 0) {
            l2 = allocate(1);
            writeFully(ZEROS.duplicate().limit(clusterSize), l2);
            l2Cache.put(l2, new long[l2Entries]);
            l1[l1Index] = l2 | Qcow2Header.COPIED;
            putLong(h.l1TableOffset() + 8L * l1Index, l1[l1Index]);
        } else if ((l1e & Qcow2Header.COPIED) == 0) {
            throw new IOException(path + ": an L2 table is shared (internal snapshots); cannot write");
        }
        final int i = (int) (cluster % l2Entries);
        l2Table(l2)[i] = entry;
        putLong(l2 + 8L * i, entry);
    }

    /** Appends {@code n} contiguous clusters with reference count 1; returns the first one's offset. */
    private long allocate(final int n) throws IOException {
        final long first = fileEnd;
        fileEnd += (long) n * clusterSize;
        for (int i = 0; i < n; i++) {
            addRefcount(first + (long) i * clusterSize, 1);
        }
        return first;
    }

    private void addRefcount(final long hostOffset, final int delta) throws IOException {
        final long cluster = hostOffset >>> clusterBits;
        final int perBlock = clusterSize / 2;
        final long tableIndex = cluster / perBlock;
        if (tableIndex >= refTable.length) {
            growRefcountTable(tableIndex + 1);
        }
        long block = refTable[(int) tableIndex] & Qcow2Header.OFFSET_MASK;
        if (block == 0) {
            block = fileEnd; // the new block's own count is set below, possibly in itself
            fileEnd += clusterSize;
            writeFully(ZEROS.duplicate().limit(clusterSize), block);
            refCache.put(block, new char[perBlock]);
            refTable[(int) tableIndex] = block;
            putLong(refTableOffset + 8 * tableIndex, block);
            addRefcount(block, 1);
        }
        final char[] counts = refBlock(block);
        final int i = (int) (cluster % perBlock);
        final int now = counts[i] + delta;
        if (now < 0 || now > 0xffff) {
            throw new IOException(path + ": reference count of cluster " + cluster + " would be " + now
                    + " (the image's refcounts are inconsistent; qemu-img check -r all)");
        }
        counts[i] = (char) now;
        writeFully(ByteBuffer.allocate(2).putChar(0, (char) now), block + 2L * i);
    }

    private char[] refBlock(final long offset) throws IOException {
        char[] c = refCache.get(offset);
        if (c == null) {
            final ByteBuffer b = ByteBuffer.allocate(clusterSize);
            readFully(b, offset);
            c = new char[clusterSize / 2];
            for (int i = 0; i < c.length; i++) {
                c[i] = b.getChar(i * 2);
            }
            refCache.put(offset, c);
        }
        return c;
    }

    /**
     * Moves the refcount table to a bigger place at the end of the file: written there first, then the header
     * points at it, then the new clusters are counted and the old ones freed.
     */
    private void growRefcountTable(final long minEntries) throws IOException {
        final long entries = Math.max(minEntries + 1, refTable.length * 2L);
        final int clusters = (int) ((entries * 8 + clusterSize - 1) / clusterSize);
        final long[] bigger = java.util.Arrays.copyOf(refTable, clusters * clusterSize / 8);
        final long offset = fileEnd;
        fileEnd += (long) clusters * clusterSize;
        final ByteBuffer b = ByteBuffer.allocate(clusters * clusterSize);
        for (int i = 0; i < bigger.length; i++) {
            b.putLong(i * 8, bigger[i]);
        }
        writeFully(b, offset);
        ch.force(false);
        final long oldOffset = refTableOffset;
        final int oldClusters = refTable.length * 8 / clusterSize;
        final ByteBuffer hdr = ByteBuffer.allocate(12).putLong(0, offset).putInt(8, clusters);
        writeFully(hdr, 48);
        refTableOffset = offset;
        refTable = bigger;
        for (int i = 0; i < clusters; i++) {
            addRefcount(offset + (long) i * clusterSize, 1);
        }
        for (int i = 0; i < oldClusters; i++) {
            addRefcount(oldOffset + (long) i * clusterSize, -1);
        }
    }

    // ---- creating ----

    /** The default cluster size, as QEMU's: 64 KiB. */
    public static final int DEFAULT_CLUSTER_BITS = 16;

    /**
     * Writes a new, empty version 3 image of {@code size} bytes (a multiple of 512); with {@code backing} (raw or
     * qcow2, named as given, relative to the new image's directory unless absolute) every cluster reads from it
     * until written. Refuses to overwrite an existing file.
     */
    public static void create(final Path file, final long size, final Path backing, final int clusterBits)
            throws IOException {
        if (size <= 0 || size % 512 != 0) {
            throw new IOException(file + ": the size must be a positive multiple of 512 bytes, got " + size);
        }
        final int cs = 1 << clusterBits;
        final long l2Covers = (long) cs / 8 * cs;
        final long l1Size = (size + l2Covers - 1) / l2Covers;
        final int l1Clusters = (int) ((l1Size * 8 + cs - 1) / cs);
        final int metaClusters = 3 + l1Clusters;
        if (metaClusters > cs / 2) {
            throw new IOException(file + ": " + size + " bytes is too large for " + cs + "-byte clusters");
        }
        final ByteBuffer head = ByteBuffer.allocate(cs);
        head.putInt(0, Qcow2Header.MAGIC).putInt(4, 3).putInt(20, clusterBits).putLong(24, size)
                .putInt(36, (int) l1Size).putLong(40, 3L * cs).putLong(48, cs).putInt(56, 1)
                .putInt(96, 4).putInt(100, Qcow2Header.V3_HEADER_LENGTH);
        if (backing != null) {
            final String format;
            try {
                format = DiskImages.isQcow2(file.toAbsolutePath().getParent().resolve(backing)) ? "qcow2" : "raw";
            } catch (java.nio.file.NoSuchFileException e) {
                throw new IOException(file + ": the backing file " + backing + " does not exist");
            }
            final byte[] fmt = format.getBytes(StandardCharsets.US_ASCII);
            final byte[] name = backing.toString().getBytes(StandardCharsets.UTF_8);
            int at = Qcow2Header.V3_HEADER_LENGTH;
            head.putInt(at, (int) Qcow2Header.EXT_BACKING_FORMAT).putInt(at + 4, fmt.length);
            head.put(at + 8, fmt);
            at += 8 + ((fmt.length + 7) & ~7);
            head.putInt(at, 0).putInt(at + 4, 0);
            at += 8;
            if (name.length > 1023 || at + name.length > cs) {
                throw new IOException(file + ": the backing file name is too long");
            }
            head.put(at, name);
            head.putLong(8, at).putInt(16, name.length);
        }
        final ByteBuffer refTable = ByteBuffer.allocate(cs).putLong(0, 2L * cs);
        final ByteBuffer refBlock = ByteBuffer.allocate(cs);
        for (int i = 0; i < metaClusters; i++) {
            refBlock.putChar(2 * i, (char) 1);
        }
        try (FileChannel ch = FileChannel.open(file, java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.StandardOpenOption.WRITE)) {
            long at = 0;
            for (ByteBuffer b : new ByteBuffer[] {head, refTable, refBlock}) {
                while (b.hasRemaining()) {
                    at += ch.write(b, at);
                }
            }
            final ByteBuffer l1 = ByteBuffer.allocate(l1Clusters * cs);
            while (l1.hasRemaining()) {
                at += ch.write(l1, at);
            }
            ch.force(true);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            throw new IOException(file + ": already exists");
        }
    }

    /** What {@code sublet disk info} shows of a qcow2 image. */
    public record Info(int version, long size, int clusterSize, String backingFile, String backingFormat, boolean dirty,
                       int snapshots) { }

    /**
     * Reads an image's header without locking it, so it works while a VM in another process writes the image.
     * Not for an image this JVM has open: closing the probe would drop that open's lock (see {@link DiskLocks}).
     */
    public static Info inspect(final Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file)) {
            final ByteBuffer first = ByteBuffer.allocate((int) Math.min(ch.size(), 1 << 21));
            ch.read(first, 0);
            first.flip();
            final Qcow2Header h = Qcow2Header.parse(file, first, ch.size());
            return new Info(h.version(), h.size(), h.clusterSize(), h.backingFile(), h.backingFormat(),
                    (h.incompatible() & Qcow2Header.INCOMPAT_DIRTY) != 0, h.snapshots());
        }
    }

    /** Clusters the image file holds (header, tables and data), for {@code sublet disk info}. */
    public long fileClusters() {
        return fileEnd / clusterSize;
    }

    public int clusterSize() {
        return clusterSize;
    }

    public int version() {
        return h.version();
    }

    /** The backing file as the image names it, or null. */
    public String backingFile() {
        return h.backingFile();
    }
}
