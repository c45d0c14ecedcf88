package io.sublet.dev.virtio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/** Opens a disk image in the format its first bytes say: qcow2 (its magic), else raw. */
public final class DiskImages {
    private DiskImages() { }

    public static BlockBackend open(final Path path, final boolean readOnly) throws IOException {
        return isQcow2(path) ? Qcow2Disk.open(path, readOnly) : FileDisk.open(path, readOnly);
    }

    /**
     * Whether the image is qcow2. Reads through {@link DiskLocks} (a shared open, released at once), so that
     * probing a file this JVM already has open cannot drop that open's lock.
     */
    public static boolean isQcow2(final Path path) throws IOException {
        final DiskLocks.Handle h = DiskLocks.acquire(path, true);
        try {
            final ByteBuffer b = ByteBuffer.allocate(4);
            return h.channel().read(b, 0) == 4 && b.getInt(0) == Qcow2Header.MAGIC;
        } finally {
            h.release();
        }
    }
}
