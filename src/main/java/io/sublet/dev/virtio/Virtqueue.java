package io.sublet.dev.virtio;

import static io.sublet.dev.virtio.SplitRing.AVAIL_F_NO_INTERRUPT;
import static io.sublet.dev.virtio.SplitRing.AVAIL_FLAGS;
import static io.sublet.dev.virtio.SplitRing.AVAIL_IDX;
import static io.sublet.dev.virtio.SplitRing.AVAIL_RING;
import static io.sublet.dev.virtio.SplitRing.DESC_ADDR;
import static io.sublet.dev.virtio.SplitRing.DESC_FLAGS;
import static io.sublet.dev.virtio.SplitRing.DESC_F_INDIRECT;
import static io.sublet.dev.virtio.SplitRing.DESC_F_NEXT;
import static io.sublet.dev.virtio.SplitRing.DESC_F_WRITE;
import static io.sublet.dev.virtio.SplitRing.DESC_LEN;
import static io.sublet.dev.virtio.SplitRing.DESC_NEXT;
import static io.sublet.dev.virtio.SplitRing.DESC_SIZE;
import static io.sublet.dev.virtio.SplitRing.USED_ELEM_LEN;
import static io.sublet.dev.virtio.SplitRing.USED_ELEM_SIZE;
import static io.sublet.dev.virtio.SplitRing.USED_IDX;
import static io.sublet.dev.virtio.SplitRing.USED_RING;

/**
 * One split virtqueue, device side (virtio 1.2 §2.7): the configuration the driver writes through the
 * transport, and the device's iteration over it. A device handles its queue as
 *
 * <pre>
 *   while (q.pop()) {                       // next available chain, parsed and checked
 *       DescriptorChain c = q.chain();      // readable segments, then writable ones
 *       ... read c, write c ...
 *       q.push(bytesWritten);               // into the used ring
 *   }                                       // the transport then notifies the driver per EVENT_IDX
 * </pre>
 *
 * <p>The guest is an adversary. A chain is fully parsed before the device sees it, and {@link #pop()}
 * refuses it (and puts the whole device into NEEDS_RESET through its transport, returning false) when
 * the available index runs more than a queue size ahead, a head or {@code next} index is out of range,
 * a descriptor or indirect table lies outside RAM, an indirect table is empty, not a multiple of 16
 * bytes, nested or combined with NEXT, indirect descriptors were not negotiated, a readable descriptor
 * follows a writable one, or the chain has more descriptors than the queue size (which is how loops end).
 * Zero-length descriptors name no memory and are skipped. The ring areas are checked when the driver
 * enables the queue; every access is checked again by {@link GuestMemory}.
 *
 * <p>Not thread-safe: the transport calls everything with its lock held.
 */
public final class Virtqueue {
    private final VirtioMmio transport;
    private final GuestMemory mem;
    private final int index;
    private final int maxSize;
    private final DescriptorChain chain;

    // Driver-written configuration.
    private int size;
    private long descAddr;
    private long availAddr;
    private long usedAddr;
    private boolean ready;
    /** VIRTIO_F_RING_RESET: the queue was reset by QueueReset and not re-enabled since. */
    private boolean resetDone;

    // Device state, valid while ready.
    private boolean eventIdx;
    private boolean indirect;
    private int lastAvail;
    private int usedIdx;
    private int signalledUsed;
    /** Used entries written by {@link #pushDeferred} but not yet published. */
    private int pendingUsed;
    private long chains;

    Virtqueue(final VirtioMmio transport, final GuestMemory mem, final int index, final int maxSize) {
        if (maxSize < 1 || maxSize > Virtio.MAX_QUEUE_SIZE || (maxSize & (maxSize - 1)) != 0) {
            throw new IllegalArgumentException("queue size " + maxSize + " is not a power of 2 up to "
                    + Virtio.MAX_QUEUE_SIZE);
        }
        this.transport = transport;
        this.mem = mem;
        this.index = index;
        this.maxSize = maxSize;
        this.chain = new DescriptorChain(mem, maxSize);
        reset();
    }

    // ---- configuration, through the transport's registers ----

    /** Back to the state after a device reset: not ready, full size, no addresses. */
    void reset() {
        size = maxSize;
        descAddr = 0;
        availAddr = 0;
        usedAddr = 0;
        ready = false;
        resetDone = false;
        lastAvail = 0;
        usedIdx = 0;
        signalledUsed = 0;
        pendingUsed = 0;
    }

    /** QueueReset: like a device reset for this queue alone; QueueReset then reads 1 until re-enabled. */
    void resetQueue() {
        reset();
        resetDone = true;
    }

    boolean resetDone() {
        return resetDone;
    }

    void setSize(final int value) {
        size = value;
    }

    void setDescLow(final long v) {
        descAddr = (descAddr & 0xffff_ffff_0000_0000L) | (v & 0xffff_ffffL);
    }

    void setDescHigh(final long v) {
        descAddr = (descAddr & 0xffff_ffffL) | (v << 32);
    }

    void setAvailLow(final long v) {
        availAddr = (availAddr & 0xffff_ffff_0000_0000L) | (v & 0xffff_ffffL);
    }

    void setAvailHigh(final long v) {
        availAddr = (availAddr & 0xffff_ffffL) | (v << 32);
    }

    void setUsedLow(final long v) {
        usedAddr = (usedAddr & 0xffff_ffff_0000_0000L) | (v & 0xffff_ffffL);
    }

    void setUsedHigh(final long v) {
        usedAddr = (usedAddr & 0xffff_ffffL) | (v << 32);
    }

    /**
     * QueueReady = 1: checks the configuration against the split-ring rules and RAM, and starts the
     * queue at index 0. Returns null, or why the queue cannot be used (the queue then stays not ready).
     */
    String enable(final long negotiated) {
        if (size < 1 || size > maxSize || (size & (size - 1)) != 0) {
            return "queue " + index + ": size " + size + " is not a power of 2 from 1 to " + maxSize;
        }
        String bad = checkArea("descriptor table", descAddr, SplitRing.DESC_ALIGN, SplitRing.descTableSize(size));
        if (bad == null) {
            bad = checkArea("available ring", availAddr, SplitRing.AVAIL_ALIGN, SplitRing.availSize(size));
        }
        if (bad == null) {
            bad = checkArea("used ring", usedAddr, SplitRing.USED_ALIGN, SplitRing.usedSize(size));
        }
        if (bad != null) {
            return bad;
        }
        eventIdx = (negotiated & Virtio.F_EVENT_IDX) != 0;
        indirect = (negotiated & Virtio.F_INDIRECT_DESC) != 0;
        lastAvail = 0;
        usedIdx = 0;
        signalledUsed = 0;
        pendingUsed = 0;
        resetDone = false;
        ready = true;
        return null;
    }

    private String checkArea(final String what, final long addr, final int align, final long length) {
        if ((addr & (align - 1)) != 0) {
            return String.format("queue %d: %s at 0x%x is not %d-byte aligned", index, what, addr, align);
        }
        if (!mem.contains(addr, length)) {
            return String.format("queue %d: %s at 0x%x (%d bytes) is outside RAM", index, what, addr, length);
        }
        return null;
    }

    void disable() {
        ready = false;
    }

    // ---- state ----

    public int index() {
        return index;
    }

    /** QueueSizeMax: the largest size the device accepts. */
    public int maxSize() {
        return maxSize;
    }

    /** The size the driver set (QueueSize). */
    public int size() {
        return size;
    }

    public boolean ready() {
        return ready;
    }

    long descAddr() {
        return descAddr;
    }

    long availAddr() {
        return availAddr;
    }

    long usedAddr() {
        return usedAddr;
    }

    /** Chains popped since the queue was created. */
    public long chains() {
        return chains;
    }

    /** The chain of the last successful {@link #pop()}. */
    public DescriptorChain chain() {
        return chain;
    }

    // ---- device side ----

    /**
     * True when the driver has made a buffer available that {@link #pop()} has not taken; false when the
     * queue or device is not running. Only looks: unlike {@link #pop()}, it writes nothing to the rings.
     */
    public boolean hasAvailable() {
        if (!ready || !transport.live()) {
            return false;
        }
        final int n = (mem.getU16Acquire(availAddr + AVAIL_IDX) - lastAvail) & 0xffff;
        return n != 0; // a corrupt index is reported by the pop that follows
    }

    /**
     * Takes the next available buffer into {@link #chain()}. False when there is none, when the queue or
     * device is not running, or when the buffer is malformed: the device is then in NEEDS_RESET and the
     * queue yields nothing more until the driver resets it.
     */
    public boolean pop() {
        if (!ready || !transport.live()) {
            return false;
        }
        if (available() <= 0) {
            return false;
        }
        final int slot = lastAvail & (size - 1);
        final int head = mem.getU16(availAddr + AVAIL_RING + 2L * slot);
        lastAvail = (lastAvail + 1) & 0xffff;
        chains++;
        return parse(head);
    }

    /**
     * Puts the chain of the last {@link #pop()} back, untouched and not used: the next {@link #pop()}
     * takes it again. For a device that is busy (the console's host output is full) and must not return
     * the buffer yet.
     */
    public void unpop() {
        lastAvail = (lastAvail - 1) & 0xffff;
        chains--;
    }

    /**
     * Returns the chain of the last {@link #pop()} to the driver, reporting {@code writtenLength} bytes
     * written into its writable area (virtio 1.2 §2.7.8: at most what was actually written).
     */
    public void push(final int writtenLength) {
        final long elem = usedAddr + USED_RING + (long) USED_ELEM_SIZE * (usedIdx & (size - 1));
        mem.putInt(elem, chain.head());
        mem.putInt(elem + USED_ELEM_LEN, writtenLength);
        usedIdx = (usedIdx + 1) & 0xffff;
        mem.putU16Release(usedAddr + USED_IDX, usedIdx);
    }

    /**
     * Like {@link #push} but the driver does not see it yet: a device that fills several buffers for one
     * message (virtio-net's mergeable receive buffers) publishes them together with {@link #publishUsed()}
     * once the message is complete, or takes them back with {@link #discardDeferred} and {@link #unpop}.
     * Not to be mixed with {@link #push} before the deferred entries are published.
     */
    public void pushDeferred(final int writtenLength) {
        final long elem = usedAddr + USED_RING + (long) USED_ELEM_SIZE * ((usedIdx + pendingUsed) & (size - 1));
        mem.putInt(elem, chain.head());
        mem.putInt(elem + USED_ELEM_LEN, writtenLength);
        pendingUsed++;
    }

    /** Publishes every {@link #pushDeferred} entry at once. */
    public void publishUsed() {
        if (pendingUsed == 0) {
            return;
        }
        usedIdx = (usedIdx + pendingUsed) & 0xffff;
        pendingUsed = 0;
        mem.putU16Release(usedAddr + USED_IDX, usedIdx);
    }

    /** Forgets the last {@code n} unpublished {@link #pushDeferred} entries (beyond the used index, unseen). */
    public void discardDeferred(final int n) {
        pendingUsed -= Math.min(n, pendingUsed);
    }

    /**
     * Gives back the last {@code n} popped chains, none of them pushed: the next pops return them again.
     * A device uses it when it cannot finish with the buffers it took (a frame that does not fit yet).
     */
    public void unpop(final int n) {
        lastAvail = (lastAvail - n) & 0xffff;
    }

    /** Guest memory, for a device that patches a buffer it already filled (virtio-net's num_buffers). */
    GuestMemory memory() {
        return mem;
    }

    /**
     * Buffers available, or -1 after failing the device for an available index that ran ahead. With
     * EVENT_IDX, an empty ring also asks the driver (avail_event) to notify on its next buffer, then looks
     * again, so a buffer added meanwhile is not missed.
     */
    private int available() {
        int n = (mem.getU16Acquire(availAddr + AVAIL_IDX) - lastAvail) & 0xffff;
        if (n == 0 && eventIdx) {
            mem.putU16(usedAddr + SplitRing.availEventOffset(size), lastAvail);
            GuestMemory.fullFence();
            n = (mem.getU16Acquire(availAddr + AVAIL_IDX) - lastAvail) & 0xffff;
        }
        if (n > size) {
            transport.deviceError("queue " + index + ": available index is " + n + " entries ahead of the device, "
                    + "more than the queue size " + size);
            return -1;
        }
        return n;
    }

    private boolean parse(final int head) {
        chain.clear(head);
        if (head >= size) {
            return fail("available ring names descriptor " + head + ", beyond the queue size " + size);
        }
        long table = descAddr;
        int tableSize = size;
        boolean inIndirect = false;
        boolean sawWritable = false;
        int seen = 0;
        int i = head;
        for (;;) {
            final long d = table + (long) DESC_SIZE * i;
            final long addr = mem.getLong(d + DESC_ADDR);
            final long len = mem.getU32(d + DESC_LEN);
            final int flags = mem.getU16(d + DESC_FLAGS);
            final int next = mem.getU16(d + DESC_NEXT);
            if ((flags & DESC_F_INDIRECT) != 0) {
                if (!indirect) {
                    return fail("indirect descriptor, but VIRTIO_F_INDIRECT_DESC was not negotiated");
                }
                if (inIndirect) {
                    return fail("indirect descriptor inside an indirect table");
                }
                if ((flags & DESC_F_NEXT) != 0) {
                    return fail("indirect descriptor with NEXT set");
                }
                if (len == 0 || len % DESC_SIZE != 0) {
                    return fail("indirect table of " + len + " bytes");
                }
                if (!mem.contains(addr, len)) {
                    return fail(String.format("indirect table at 0x%x (%d bytes) is outside RAM", addr, len));
                }
                table = addr;
                tableSize = (int) (len / DESC_SIZE);
                inIndirect = true;
                i = 0;
                continue;
            }
            if (++seen > size) {
                return fail("descriptor chain longer than the queue size " + size);
            }
            if (len != 0) {
                final boolean writable = (flags & DESC_F_WRITE) != 0;
                if (writable) {
                    sawWritable = true;
                } else if (sawWritable) {
                    return fail("device-readable descriptor after a device-writable one");
                }
                if (!mem.contains(addr, len)) {
                    return fail(String.format("buffer at 0x%x (%d bytes) is outside RAM", addr, len));
                }
                if (!chain.add(addr, (int) len, writable)) {
                    return fail("descriptor chain longer than " + chain.capacity() + " segments");
                }
            }
            if ((flags & DESC_F_NEXT) == 0) {
                return true;
            }
            if (next >= tableSize) {
                return fail("descriptor " + i + " chains to " + next + ", beyond its table of " + tableSize);
            }
            i = next;
        }
    }

    private boolean fail(final String reason) {
        transport.deviceError("queue " + index + ": " + reason);
        return false;
    }

    /**
     * Whether the driver wants a used-buffer notification for what was pushed since the last call
     * (virtio 1.2 §2.7.7.2): with EVENT_IDX when the used index passed {@code used_event}, else unless the
     * driver set NO_INTERRUPT.
     */
    boolean needsNotification() {
        if (!ready || usedIdx == signalledUsed) {
            return false;
        }
        GuestMemory.fullFence();
        final boolean notify;
        if (eventIdx) {
            final int usedEvent = mem.getU16(availAddr + SplitRing.usedEventOffset(size));
            notify = SplitRing.needEvent(usedEvent, usedIdx, signalledUsed);
        } else {
            notify = (mem.getU16(availAddr + AVAIL_FLAGS) & AVAIL_F_NO_INTERRUPT) == 0;
        }
        signalledUsed = usedIdx;
        return notify;
    }

    /**
     * What a snapshot keeps of a queue: the driver's configuration and the device's position in the rings.
     * Nothing is in flight between two register accesses (every notification is handled before its store
     * returns), so the rings in RAM plus these indices are the whole queue.
     */
    public record State(int size, long descAddr, long availAddr, long usedAddr, boolean ready, boolean resetDone,
                        boolean eventIdx, boolean indirect, int lastAvail, int usedIdx, int signalledUsed) { }

    State save() {
        return new State(size, descAddr, availAddr, usedAddr, ready, resetDone, eventIdx, indirect, lastAvail,
                usedIdx, signalledUsed);
    }

    /**
     * Checks a saved queue as {@link #enable} checks the driver's configuration, against the negotiated
     * features; returns the problem, or null after taking the state.
     */
    String restore(final State s, final long negotiated) {
        if (s.ready()) {
            final String bad = checkSaved(s);
            if (bad != null) {
                return bad;
            }
            if (s.eventIdx() != ((negotiated & Virtio.F_EVENT_IDX) != 0)
                    || s.indirect() != ((negotiated & Virtio.F_INDIRECT_DESC) != 0)) {
                return "queue " + index + ": ring features do not match the negotiated ones";
            }
        } else if (s.size() < 0) {
            return "queue " + index + ": negative size";
        }
        if (((s.lastAvail() | s.usedIdx() | s.signalledUsed()) & ~0xffff) != 0) {
            return "queue " + index + ": ring index beyond 16 bits";
        }
        size = s.size();
        descAddr = s.descAddr();
        availAddr = s.availAddr();
        usedAddr = s.usedAddr();
        ready = s.ready();
        resetDone = s.resetDone();
        eventIdx = s.eventIdx();
        indirect = s.indirect();
        lastAvail = s.lastAvail();
        usedIdx = s.usedIdx();
        signalledUsed = s.signalledUsed();
        return null;
    }

    private String checkSaved(final State s) {
        final int n = s.size();
        if (n < 1 || n > maxSize || (n & (n - 1)) != 0) {
            return "queue " + index + ": size " + n + " is not a power of 2 from 1 to " + maxSize;
        }
        String bad = checkArea("descriptor table", s.descAddr(), SplitRing.DESC_ALIGN, SplitRing.descTableSize(n));
        if (bad == null) {
            bad = checkArea("available ring", s.availAddr(), SplitRing.AVAIL_ALIGN, SplitRing.availSize(n));
        }
        if (bad == null) {
            bad = checkArea("used ring", s.usedAddr(), SplitRing.USED_ALIGN, SplitRing.usedSize(n));
        }
        return bad;
    }
}
