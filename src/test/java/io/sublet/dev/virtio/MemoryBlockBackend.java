package io.sublet.dev.virtio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A disk in a byte array, for tests: records every call, can be told to fail, and remembers any call
 * outside its size (which the device must never make) instead of trusting the device.
 */
final class MemoryBlockBackend implements BlockBackend {
    final byte[] data;
    private final boolean readOnly;
    private final String id;
    int flushes;
    int reads;
    int writes;
    final List<long[]> discards = new ArrayList<>();
    /** offset, length, mayUnmap (1/0). */
    final List<long[]> zeroes = new ArrayList<>();
    /** Calls the device should never have made: out of range, or writing a read-only disk. */
    final List<String> violations = new ArrayList<>();
    boolean failAll;
    boolean closed;

    MemoryBlockBackend(final int size, final boolean readOnly, final String id) {
        this.data = new byte[size];
        this.readOnly = readOnly;
        this.id = id;
    }

    MemoryBlockBackend(final int size) {
        this(size, false, "sublet-test-disk");
    }

    @Override
    public long size() {
        return data.length;
    }

    @Override
    public boolean readOnly() {
        return readOnly;
    }

    private void check(final String op, final long offset, final long length, final boolean writes) throws IOException {
        if (offset < 0 || length < 0 || offset > data.length || length > data.length - offset) {
            violations.add(op + " out of range: offset " + offset + " length " + length);
            throw new IllegalArgumentException(op + " out of range");
        }
        if (writes && readOnly) {
            violations.add(op + " on a read-only disk");
            throw new IOException("read-only");
        }
        if (failAll) {
            throw new IOException("injected failure");
        }
    }

    @Override
    public void read(final long offset, final ByteBuffer dst) throws IOException {
        check("read", offset, dst.remaining(), false);
        reads++;
        dst.put(data, (int) offset, dst.remaining());
    }

    @Override
    public void write(final long offset, final ByteBuffer src) throws IOException {
        check("write", offset, src.remaining(), true);
        writes++;
        src.get(data, (int) offset, src.remaining());
    }

    @Override
    public void flush() throws IOException {
        if (failAll) {
            throw new IOException("injected failure");
        }
        flushes++;
    }

    @Override
    public void discard(final long offset, final long length) throws IOException {
        check("discard", offset, length, true);
        discards.add(new long[] {offset, length});
        Arrays.fill(data, (int) offset, (int) (offset + length), (byte) 0x5a); // contents no longer matter
    }

    @Override
    public void writeZeroes(final long offset, final long length, final boolean mayUnmap) throws IOException {
        check("writeZeroes", offset, length, true);
        zeroes.add(new long[] {offset, length, mayUnmap ? 1 : 0});
        Arrays.fill(data, (int) offset, (int) (offset + length), (byte) 0);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public void close() {
        closed = true;
    }
}
