package io.sublet.machine.snapshot;

import java.nio.charset.StandardCharsets;

/**
 * The layout of a Sublet snapshot file. Version {@value #VERSION} of the format, which is Sublet's own and
 * changes only when the layout or the meaning of a section does (not with the product version).
 *
 * <pre>
 *  offset  size                     what
 *  0       4096                     header (below), the rest of the page zero
 *  4096    stateLength              state: sections of  tag (4 ASCII) | length le32 | payload
 *  ...     ceil(pages / 8)          page map: bit p set = RAM page p is stored; clear = the page is zero
 *  memOff  ramSize (page aligned)   memory: RAM page p at memOff + 4096 p; zero pages are holes (never
 *                                   written), so the file is sparse and the section can be mapped as RAM
 *
 *  header (little-endian)
 *   0  magic "SUBLSNAP"          8  format version le32      12 header size le32 = 4096
 *  16  state offset le64        24  state length le64        32 page map offset le64
 *  40  page map length le64     48  memory offset le64       56 memory length le64 (RAM size)
 *  64  RAM base le64            72  created, ms since the epoch le64
 *  80  CRC32C of the state      84  CRC32C of the page map   88  CRC32C of the stored pages, in order
 *  92  CRC32C of bytes 0..91 (so the header covers every other CRC: one chain over everything)
 * </pre>
 *
 * The loader treats the file as untrusted: every offset and length is checked against the file and
 * against {@link #MAX_STATE} before anything is read or allocated.
 */
public final class SnapshotFormat {
    public static final byte[] MAGIC = "SUBLSNAP".getBytes(StandardCharsets.US_ASCII);
    public static final int VERSION = 1;
    public static final int HEADER_SIZE = 4096;
    public static final int PAGE_SIZE = 4096;
    /** Largest state section accepted: device state is kilobytes; this bounds what a hostile file can allocate. */
    public static final int MAX_STATE = 16 << 20;

    static final int VERSION_OFFSET = 8;
    static final int HEADER_SIZE_OFFSET = 12;
    static final int STATE_OFFSET = 16;
    static final int STATE_LENGTH = 24;
    static final int PAGE_MAP_OFFSET = 32;
    static final int PAGE_MAP_LENGTH = 40;
    static final int MEMORY_OFFSET = 48;
    static final int MEMORY_LENGTH = 56;
    static final int RAM_BASE = 64;
    static final int CREATED = 72;
    static final int STATE_CRC = 80;
    static final int PAGE_MAP_CRC = 84;
    static final int MEMORY_CRC = 88;
    static final int HEADER_CRC = 92;

    private SnapshotFormat() { }

    /** Bytes of the page map for a memory of {@code length} bytes. */
    static long pageMapLength(final long memoryLength) {
        return (memoryLength / PAGE_SIZE + 7) / 8;
    }

    static long pageAlign(final long offset) {
        return (offset + PAGE_SIZE - 1) & ~(long) (PAGE_SIZE - 1);
    }

    /** The refusal of another version names both, so the user knows which Sublet wrote it. */
    static String checkVersion(final int version) {
        return version == VERSION ? null
                : "snapshot format version " + version + ", but this Sublet reads version " + VERSION;
    }
}
