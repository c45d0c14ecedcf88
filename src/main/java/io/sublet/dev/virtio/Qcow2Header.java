package io.sublet.dev.virtio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The header of a qcow2 image (QEMU's format, versions 2 and 3; all fields big-endian), parsed and checked
 * as untrusted input.
 *
 * <pre>
 *   0 magic "QFI\xfb"           4 version (2, 3)             8 backing_file_offset u64   16 backing_file_size u32
 *  20 cluster_bits (9..21)     24 size u64 (virtual bytes)  32 crypt_method (0)         36 l1_size u32
 *  40 l1_table_offset u64      48 refcount_table_offset u64 56 refcount_table_clusters  60 nb_snapshots u32
 *  64 snapshots_offset u64     -- version 3 --
 *  72 incompatible_features    80 compatible_features       88 autoclear_features       96 refcount_order u32
 * 100 header_length u32        then extensions: type u32 | length u32 | data, padded to 8; type 0 ends them
 *
 *  L1 entry: bit 63 COPIED (refcount 1) | bits 55..9 offset of an L2 table (0: none)
 *  L2 entry: bit 63 COPIED | bit 62 COMPRESSED | bits 55..9 offset of the data cluster | bit 0 ZERO (v3)
 * </pre>
 *
 * Sublet reads and writes version 3 images with 16-bit refcounts (and version 2), with or without a
 * backing file. It refuses encryption, unknown incompatible features (an external data file, extended L2
 * entries, another compression type), the corrupt bit, and for writing the dirty bit (lazy refcounts left
 * behind by a crash: {@code qemu-img check -r all} repairs it) and internal snapshots.
 */
record Qcow2Header(int version, long backingFileOffset, int backingFileSize, int clusterBits, long size, int l1Size,
                   long l1TableOffset, long refcountTableOffset, int refcountTableClusters, int snapshots,
                   long incompatible, long compatible, long autoclear, int refcountOrder, int headerLength,
                   String backingFile, String backingFormat) {
    static final int MAGIC = 0x514649fb;
    static final int V3_HEADER_LENGTH = 104;
    static final long INCOMPAT_DIRTY = 1;
    static final long INCOMPAT_CORRUPT = 2;
    static final long EXT_BACKING_FORMAT = 0xe2792acaL;
    static final long EXT_END = 0;

    static final long COPIED = 1L << 63;
    static final long COMPRESSED = 1L << 62;
    static final long OFFSET_MASK = 0x00ff_ffff_ffff_fe00L;
    static final long ZERO = 1;

    int clusterSize() {
        return 1 << clusterBits;
    }

    /** Reads and checks the header; the message names the file and what is wrong. */
    static Qcow2Header parse(final Path file, final ByteBuffer b, final long fileSize) throws IOException {
        if (b.limit() < 72 || b.getInt(0) != MAGIC) {
            throw new IOException(file + ": not a qcow2 image");
        }
        final int version = b.getInt(4);
        if (version != 2 && version != 3) {
            throw new IOException(file + ": qcow2 version " + version + " (Sublet reads versions 2 and 3)");
        }
        final int clusterBits = b.getInt(20);
        if (clusterBits < 9 || clusterBits > 21) {
            throw new IOException(file + ": qcow2 cluster_bits " + clusterBits + " outside 9..21");
        }
        if (b.getInt(32) != 0) {
            throw new IOException(file + ": encrypted qcow2 images are not supported");
        }
        long incompatible = 0;
        long compatible = 0;
        long autoclear = 0;
        int refcountOrder = 4;
        int headerLength = 72;
        if (version == 3) {
            if (b.limit() < V3_HEADER_LENGTH) {
                throw new IOException(file + ": qcow2 header is truncated");
            }
            incompatible = b.getLong(72);
            compatible = b.getLong(80);
            autoclear = b.getLong(88);
            refcountOrder = b.getInt(96);
            headerLength = b.getInt(100);
            if (headerLength < V3_HEADER_LENGTH || headerLength > b.limit() || headerLength % 8 != 0) {
                throw new IOException(file + ": qcow2 header_length " + headerLength + " is not valid");
            }
            if ((incompatible & INCOMPAT_CORRUPT) != 0) {
                throw new IOException(file + ": the qcow2 image is marked corrupt (qemu-img check -r all repairs it)");
            }
            if ((incompatible & ~(INCOMPAT_DIRTY | INCOMPAT_CORRUPT)) != 0) {
                throw new IOException(file + ": qcow2 incompatible features 0x" + Long.toHexString(incompatible)
                        + " are not supported (external data file, extended L2 or compression type)");
            }
            if (refcountOrder != 4) {
                throw new IOException(file + ": qcow2 refcount width of " + (1 << refcountOrder)
                        + " bits (Sublet supports 16)");
            }
        }
        final long size = b.getLong(24);
        final int clusterSize = 1 << clusterBits;
        final long l2Covers = (long) clusterSize / 8 * clusterSize;
        final int l1Size = b.getInt(36);
        if (size < 0 || size % 512 != 0 || l1Size < 0 || l1Size < (size + l2Covers - 1) / l2Covers
                || l1Size > (32 << 20) / 8) {
            throw new IOException(file + ": qcow2 size " + size + " and L1 table of " + l1Size
                    + " entries do not fit together (the size must be a multiple of 512)");
        }
        final long l1Offset = b.getLong(40);
        final long refTable = b.getLong(48);
        final int refClusters = b.getInt(56);
        if (!clusterAligned(l1Offset, clusterSize) || !clusterAligned(refTable, clusterSize) || refClusters <= 0
                || refClusters > (8 << 20) / clusterSize + 1 || l1Offset + 8L * l1Size > fileSize
                || refTable + (long) refClusters * clusterSize > fileSize) {
            throw new IOException(file + ": qcow2 tables lie outside the file or are misaligned");
        }
        final long backingOffset = b.getLong(8);
        final int backingSize = b.getInt(16);
        String backing = null;
        if (backingOffset != 0) {
            if (backingSize <= 0 || backingSize > 1023 || backingOffset < headerLength
                    || backingOffset + backingSize > b.limit()) {
                throw new IOException(file + ": the qcow2 backing file name lies outside the first cluster");
            }
            final byte[] name = new byte[backingSize];
            b.get((int) backingOffset, name);
            backing = new String(name, StandardCharsets.UTF_8);
        }
        String backingFormat = null;
        if (version == 3) {
            int at = headerLength;
            while (at + 8 <= b.limit()) {
                final long type = b.getInt(at) & 0xffffffffL;
                final int length = b.getInt(at + 4);
                if (type == EXT_END) {
                    break;
                }
                if (length < 0 || at + 8L + length > b.limit()) {
                    throw new IOException(file + ": a qcow2 header extension runs past the first cluster");
                }
                if (type == EXT_BACKING_FORMAT) {
                    final byte[] f = new byte[length];
                    b.get(at + 8, f);
                    backingFormat = new String(f, StandardCharsets.US_ASCII);
                }
                at += 8 + ((length + 7) & ~7);
            }
        }
        return new Qcow2Header(version, backingOffset, backingSize, clusterBits, size, l1Size, l1Offset, refTable,
                refClusters, b.getInt(60), incompatible, compatible, autoclear, refcountOrder, headerLength, backing,
                backingFormat);
    }

    static boolean clusterAligned(final long offset, final int clusterSize) {
        return offset > 0 && (offset & (clusterSize - 1)) == 0;
    }
}
