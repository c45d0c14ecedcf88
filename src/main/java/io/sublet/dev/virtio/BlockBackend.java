package io.sublet.dev.virtio;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Storage behind a virtio-blk device: a raw image addressed in bytes. virtio-blk turns guest requests
 * (IN, OUT, FLUSH, DISCARD, WRITE_ZEROES, GET_ID) into these calls and turns an IOException into the
 * request's error status, so a full host disk or a vanished file fails that request, not the VMM.
 * Offsets and lengths are checked against {@link #size} by the device before the call.
 */
public interface BlockBackend extends AutoCloseable {
    /** Capacity in bytes, a multiple of 512. */
    long size();

    boolean readOnly();

    /** Reads {@code dst.remaining()} bytes at {@code offset} into {@code dst}. */
    void read(long offset, ByteBuffer dst) throws IOException;

    /** Writes {@code src.remaining()} bytes at {@code offset}. Refused on a read-only backend. */
    void write(long offset, ByteBuffer src) throws IOException;

    /** Makes every completed write durable on the host's storage (fsync). */
    void flush() throws IOException;

    /** The range's contents no longer matter; the backend may free the space (punch a hole). */
    void discard(long offset, long length) throws IOException;

    /** The range reads as zeros afterwards; {@code mayUnmap} lets the backend free the space instead of writing. */
    void writeZeroes(long offset, long length, boolean mayUnmap) throws IOException;

    /** Serial number for VIRTIO_BLK_T_GET_ID, at most 20 bytes of ASCII. */
    String id();

    @Override
    void close() throws IOException;
}
