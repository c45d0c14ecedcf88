package io.sublet.dev.virtio;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The buffer a driver made available, as its queue parsed it: a head index and the segments of its
 * descriptor chain, device-readable ones first, then device-writable ones. Every segment has already been
 * checked to lie inside guest RAM. One instance per queue is refilled by each {@link Virtqueue#pop()}, so
 * popping allocates nothing; it is valid until the next pop.
 *
 * <p>A device sees the chain as two byte areas, whatever the descriptor boundaries (virtio 1.2 §2.6.4:
 * the device makes no assumption about framing): the readable area, read with {@link #read},
 * {@link #readInt}, {@link #readLong} and {@link #forEachReadable}, and the writable area, written with
 * {@link #write}, {@link #writeByte} and {@link #forEachWritable}. Offsets are relative to each area.
 */
public final class DescriptorChain {
    /** Receives the guest's buffer piece by piece, as views into guest RAM. */
    @FunctionalInterface
    public interface Window {
        /** {@code window} covers the next {@code window.remaining()} bytes; valid only during this call. */
        void accept(ByteBuffer window) throws IOException;
    }

    private final GuestMemory mem;
    private final long[] address;
    private final int[] length;
    private final byte[] scratch = new byte[8];
    private int head;
    private int count;
    private int readableCount;
    private long readableBytes;
    private long writableBytes;

    DescriptorChain(final GuestMemory mem, final int capacity) {
        this.mem = mem;
        this.address = new long[capacity];
        this.length = new int[capacity];
    }

    // ---- filled by the queue ----

    void clear(final int headIndex) {
        head = headIndex;
        count = 0;
        readableCount = 0;
        readableBytes = 0;
        writableBytes = 0;
    }

    /** False when the chain has no room left (more segments than the queue size). */
    boolean add(final long addr, final int len, final boolean writable) {
        if (count == address.length) {
            return false;
        }
        address[count] = addr;
        length[count] = len;
        count++;
        if (writable) {
            writableBytes += len;
        } else {
            readableCount++;
            readableBytes += len;
        }
        return true;
    }

    int capacity() {
        return address.length;
    }

    // ---- read by devices ----

    /** The descriptor index the used ring reports back. */
    public int head() {
        return head;
    }

    /** Segments in the chain, readable ones first (zero-length descriptors are left out). */
    public int segments() {
        return count;
    }

    public int readableSegments() {
        return readableCount;
    }

    public int writableSegments() {
        return count - readableCount;
    }

    public long address(final int segment) {
        return address[segment];
    }

    public int length(final int segment) {
        return length[segment];
    }

    public boolean writable(final int segment) {
        return segment >= readableCount;
    }

    /** Total bytes the device may read. */
    public long readableLength() {
        return readableBytes;
    }

    /** Total bytes the device may write. */
    public long writableLength() {
        return writableBytes;
    }

    /**
     * Copies readable bytes from {@code offset} on; returns how many were copied, fewer than
     * {@code len} when the readable area ends first.
     */
    public int read(final long offset, final byte[] dst, final int dstOffset, final int len) {
        int done = 0;
        long skip = offset;
        for (int s = 0; s < readableCount && done < len; s++) {
            final int segLen = length[s];
            if (skip >= segLen) {
                skip -= segLen;
                continue;
            }
            final int n = (int) Math.min(segLen - skip, len - done);
            mem.read(address[s] + skip, dst, dstOffset + done, n);
            done += n;
            skip = 0;
        }
        return done;
    }

    /** The little-endian 32-bit value at {@code offset} of the readable area; missing bytes read as 0. */
    public int readInt(final long offset) {
        return (int) readLittleEndian(offset, 4);
    }

    /** The little-endian 64-bit value at {@code offset} of the readable area; missing bytes read as 0. */
    public long readLong(final long offset) {
        return readLittleEndian(offset, 8);
    }

    private long readLittleEndian(final long offset, final int width) {
        final int n = read(offset, scratch, 0, width);
        long v = 0;
        for (int i = n - 1; i >= 0; i--) {
            v = (v << 8) | (scratch[i] & 0xff);
        }
        return v;
    }

    /**
     * Copies bytes into the writable area from {@code offset} on; returns how many were copied, fewer
     * than {@code len} when the writable area ends first.
     */
    public int write(final long offset, final byte[] src, final int srcOffset, final int len) {
        int done = 0;
        long skip = offset;
        for (int s = readableCount; s < count && done < len; s++) {
            final int segLen = length[s];
            if (skip >= segLen) {
                skip -= segLen;
                continue;
            }
            final int n = (int) Math.min(segLen - skip, len - done);
            mem.write(address[s] + skip, src, srcOffset + done, n);
            done += n;
            skip = 0;
        }
        return done;
    }

    /** Writes one byte at {@code offset} of the writable area; false when the area is shorter. */
    public boolean writeByte(final long offset, final int value) {
        scratch[0] = (byte) value;
        return write(offset, scratch, 0, 1) == 1;
    }

    /**
     * Hands {@code [offset, offset + len)} of the readable area to {@code sink} as read-only views into
     * guest RAM, one per segment piece; returns the bytes handed over (fewer when the area ends first).
     */
    public long forEachReadable(final long offset, final long len, final Window sink) throws IOException {
        return forEach(0, readableCount, offset, len, false, sink);
    }

    /**
     * Hands {@code [offset, offset + len)} of the writable area to {@code sink} as writable views into
     * guest RAM, one per segment piece; returns the bytes handed over (fewer when the area ends first).
     */
    public long forEachWritable(final long offset, final long len, final Window sink) throws IOException {
        return forEach(readableCount, count, offset, len, true, sink);
    }

    private long forEach(final int from, final int to, final long offset, final long len, final boolean forWrite,
                         final Window sink) throws IOException {
        long done = 0;
        long skip = offset;
        for (int s = from; s < to && done < len; s++) {
            final int segLen = length[s];
            if (skip >= segLen) {
                skip -= segLen;
                continue;
            }
            final int n = (int) Math.min(segLen - skip, len - done);
            final long at = address[s] + skip;
            sink.accept(forWrite ? mem.writeView(at, n) : mem.readView(at, n));
            done += n;
            skip = 0;
        }
        return done;
    }
}
