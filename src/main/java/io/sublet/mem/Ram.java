package io.sublet.mem;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Guest RAM: one direct little-endian buffer, read and written through byte-buffer view handles,
 * which HotSpot compiles to plain (possibly unaligned) machine loads and stores. A direct buffer
 * rather than a byte array because only it offers atomic access modes on every JDK (newer JDKs
 * refuse atomics on byte-array views, whose alignment they cannot promise), and AMOs, LR/SC and
 * A/D-bit updates must be atomic against other harts.
 *
 * <p>Each 4 KiB page carries flag bits. {@link #CODE} marks a page that holds decoded instructions:
 * such a page is never entered in a hart's write TLB, so every store to it takes the slow path,
 * which invalidates the decoded instructions before the write becomes visible to instruction fetch.
 */
public final class Ram {
    public static final int PAGE_SHIFT = 12;
    public static final int PAGE_SIZE = 1 << PAGE_SHIFT;
    /** The page holds instructions decoded by some hart. */
    public static final byte CODE = 1;
    /** Stores to the page are reported to the {@link StoreWatcher} (a host-interface mailbox lives there). */
    public static final byte WATCHED = 2;

    /** Java arrays are int-indexed; larger RAM needs a segmented store (not yet implemented). */
    public static final long MAX_SIZE = 2047L << 20;

    public static final VarHandle LE16 = MethodHandles.byteBufferViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    public static final VarHandle LE32 = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    public static final VarHandle LE64 = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final long base;
    private final ByteBuffer bytes;
    private final byte[] pageFlags;
    private StoreWatcher watcher;

    public Ram(long base, long size) {
        if (size <= 0 || size % PAGE_SIZE != 0) {
            throw new IllegalArgumentException("RAM size must be a positive multiple of 4 KiB, got " + size);
        }
        if (size > MAX_SIZE) {
            throw new IllegalArgumentException("RAM size " + (size >> 20) + " MiB exceeds the supported maximum of "
                    + (MAX_SIZE >> 20) + " MiB");
        }
        this.base = base;
        this.bytes = ByteBuffer.allocateDirect((int) size).order(ByteOrder.LITTLE_ENDIAN);
        this.pageFlags = new byte[(int) (size >>> PAGE_SHIFT)];
    }

    /**
     * RAM over a buffer made elsewhere, such as a snapshot's memory section mapped copy-on-write
     * ({@code FileChannel.MapMode.PRIVATE}): the guest's stores then go to private copies of the pages,
     * never to the file. The buffer must be direct (atomics need it), a multiple of 4 KiB and start at 0.
     */
    public Ram(long base, ByteBuffer backing) {
        if (!backing.isDirect() || backing.position() != 0 || backing.capacity() % PAGE_SIZE != 0
                || backing.capacity() == 0) {
            throw new IllegalArgumentException("RAM needs a direct buffer of a positive multiple of 4 KiB, got "
                    + backing);
        }
        this.base = base;
        this.bytes = backing.order(ByteOrder.LITTLE_ENDIAN);
        this.pageFlags = new byte[backing.capacity() >>> PAGE_SHIFT];
    }

    public long base() {
        return base;
    }

    public long size() {
        return bytes.capacity();
    }

    /** The backing buffer, for the harts' TLB fast paths, which index it directly. */
    public ByteBuffer bytes() {
        return bytes;
    }

    public boolean contains(long paddr, int size) {
        final long offset = paddr - base;
        return offset >= 0 && offset <= bytes.capacity() - size;
    }

    public long load(int index, int size) {
        switch (size) {
            case 1: return bytes.get(index);
            case 2: return (short) LE16.get(bytes, index);
            case 4: return (int) LE32.get(bytes, index);
            default: return (long) LE64.get(bytes, index);
        }
    }

    public void store(int index, int size, long value) {
        switch (size) {
            case 1: bytes.put(index, (byte) value); break;
            case 2: LE16.set(bytes, index, (short) value); break;
            case 4: LE32.set(bytes, index, (int) value); break;
            default: LE64.set(bytes, index, value); break;
        }
    }

    /** Reports every guest store to the page holding {@code paddr} to {@code watcher}; one watcher per RAM. */
    public void watch(long paddr, StoreWatcher watcher) {
        this.watcher = watcher;
        final int page = (int) ((paddr - base) >>> PAGE_SHIFT);
        pageFlags[page] |= WATCHED;
    }

    /** Called by a hart after a store to a {@link #WATCHED} page. */
    public void notifyStore(long paddr) {
        if (watcher != null) {
            watcher.stored(paddr);
        }
    }

    public int pageFlags(int pageIndex) {
        return pageFlags[pageIndex];
    }

    public void setPageFlags(int pageIndex, int flags) {
        pageFlags[pageIndex] = (byte) flags;
    }

    /** Copies host bytes into RAM at a physical address; the caller has checked the range. */
    public void write(long paddr, byte[] src, int srcOffset, int length) {
        bytes.put((int) (paddr - base), src, srcOffset, length);
    }

    public void read(long paddr, byte[] dst, int dstOffset, int length) {
        bytes.get((int) (paddr - base), dst, dstOffset, length);
    }

    public void fill(long paddr, int length, byte value) {
        final int from = (int) (paddr - base);
        for (int i = 0; i < length; i++) {
            bytes.put(from + i, value);
        }
    }
}
