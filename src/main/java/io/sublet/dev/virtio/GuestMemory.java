package io.sublet.dev.virtio;

import io.sublet.mem.Ram;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.function.IntConsumer;

/**
 * Guest RAM as devices see it (DMA): physical addresses, every access checked against RAM. Guest
 * addresses are untrusted 64-bit values and lengths unsigned 32-bit ones, both held in {@code long}s.
 * {@link #contains} is the check callers use to turn a bad address into the guest's error; the accessors
 * check again and throw {@link OutOfRange}, a preallocated exception without a stack trace, which the
 * transport catches and turns into the device's NEEDS_RESET. No guest address ever reaches the backing
 * buffer unchecked, so a bad one can never surface as an {@code IndexOutOfBoundsException}.
 *
 * <p>Every device store to RAM first tells the decoded-instruction cache: for each page written that is
 * flagged {@link Ram#CODE}, the {@code codePageWritten} hook gets the page index (relative to RAM base)
 * before the bytes change, as a hart's store to such a page would. The machine wires it to
 * {@code CodeCache::invalidate}; this package does not know the CPU.
 *
 * <p>Ring indices are read with acquire and published with release semantics (the guest's harts are
 * other threads); everything else is plain. Thread-safe: it holds no mutable state.
 */
public final class GuestMemory {
    /** A device access outside guest RAM, which the checks before it should have refused. */
    public static final class OutOfRange extends RuntimeException {
        private static final long serialVersionUID = 1L;
        static final OutOfRange INSTANCE = new OutOfRange();

        private OutOfRange() {
            super("guest address outside RAM", null, false, false);
        }
    }

    private final Ram ram;
    private final ByteBuffer bytes;
    private final long base;
    private final long size;
    private final IntConsumer codePageWritten;

    /** @param codePageWritten called with the RAM page index before a device writes to a {@link Ram#CODE} page */
    public GuestMemory(final Ram ram, final IntConsumer codePageWritten) {
        this.ram = ram;
        this.bytes = ram.bytes();
        this.base = ram.base();
        this.size = ram.size();
        this.codePageWritten = codePageWritten;
    }

    /** Guest memory for tests and machines without decoded-code caching. */
    public GuestMemory(final Ram ram) {
        this(ram, page -> { });
    }

    public long base() {
        return base;
    }

    public long size() {
        return size;
    }

    /**
     * True when {@code [paddr, paddr + length)} lies inside RAM; {@code length} is an unsigned guest
     * length, at most 2^32 - 1, and an empty range counts as inside only at an address within RAM or
     * just past its end.
     */
    public boolean contains(final long paddr, final long length) {
        final long offset = paddr - base;
        return offset >= 0 && offset <= size && length >= 0 && length <= size - offset;
    }

    private int index(final long paddr, final long length) {
        if (!contains(paddr, length)) {
            throw OutOfRange.INSTANCE;
        }
        return (int) (paddr - base);
    }

    public int getU8(final long paddr) {
        return bytes.get(index(paddr, 1)) & 0xff;
    }

    public int getU16(final long paddr) {
        return (short) Ram.LE16.get(bytes, index(paddr, 2)) & 0xffff;
    }

    /** A 16-bit ring index written by another thread: the reads after this one see what it published. */
    public int getU16Acquire(final long paddr) {
        return (short) Ram.LE16.getAcquire(bytes, aligned(paddr, 2)) & 0xffff;
    }

    public int getInt(final long paddr) {
        return (int) Ram.LE32.get(bytes, index(paddr, 4));
    }

    public long getU32(final long paddr) {
        return getInt(paddr) & 0xffffffffL;
    }

    public long getLong(final long paddr) {
        return (long) Ram.LE64.get(bytes, index(paddr, 8));
    }

    public void putU8(final long paddr, final int value) {
        final int i = index(paddr, 1);
        written(i, 1);
        bytes.put(i, (byte) value);
    }

    public void putU16(final long paddr, final int value) {
        final int i = index(paddr, 2);
        written(i, 2);
        Ram.LE16.set(bytes, i, (short) value);
    }

    /** Publishes a 16-bit ring index: every store before it is visible to a thread that acquires it. */
    public void putU16Release(final long paddr, final int value) {
        final int i = aligned(paddr, 2);
        written(i, 2);
        Ram.LE16.setRelease(bytes, i, (short) value);
    }

    public void putInt(final long paddr, final int value) {
        final int i = index(paddr, 4);
        written(i, 4);
        Ram.LE32.set(bytes, i, value);
    }

    /** Copies guest bytes out of RAM. */
    public void read(final long paddr, final byte[] dst, final int dstOffset, final int length) {
        bytes.get(index(paddr, length), dst, dstOffset, length);
    }

    /** Copies host bytes into RAM. */
    public void write(final long paddr, final byte[] src, final int srcOffset, final int length) {
        final int i = index(paddr, length);
        written(i, length);
        bytes.put(i, src, srcOffset, length);
    }

    /** A read-only view of guest bytes, for handing to host I/O (the device reads the guest's buffer). */
    public ByteBuffer readView(final long paddr, final int length) {
        return bytes.slice(index(paddr, length), length).asReadOnlyBuffer();
    }

    /**
     * A writable view of guest bytes, for host I/O to fill (the device writes the guest's buffer). The
     * pages are reported as written now, before the caller changes them.
     */
    public ByteBuffer writeView(final long paddr, final int length) {
        final int i = index(paddr, length);
        written(i, length);
        return bytes.slice(i, length);
    }

    /** Full two-way fence between the device's ring stores and its next ring loads (EVENT_IDX checks). */
    public static void fullFence() {
        VarHandle.fullFence();
    }

    /** Atomic access modes need natural alignment; an unaligned ring index is refused like a bad address. */
    private int aligned(final long paddr, final int width) {
        if ((paddr & (width - 1)) != 0) {
            throw OutOfRange.INSTANCE;
        }
        return index(paddr, width);
    }

    private void written(final int index, final int length) {
        if (length <= 0) {
            return;
        }
        final int first = index >>> Ram.PAGE_SHIFT;
        final int last = (index + length - 1) >>> Ram.PAGE_SHIFT;
        for (int page = first; page <= last; page++) {
            if ((ram.pageFlags(page) & Ram.CODE) != 0) {
                codePageWritten.accept(page);
            }
        }
    }
}
