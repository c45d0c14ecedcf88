package io.sublet.dev.virtio;

import static io.sublet.dev.virtio.VirtioMmio.DRIVER_FEATURES;
import static io.sublet.dev.virtio.VirtioMmio.DRIVER_FEATURES_SEL;
import static io.sublet.dev.virtio.VirtioMmio.QUEUE_DESC_HIGH;
import static io.sublet.dev.virtio.VirtioMmio.QUEUE_DESC_LOW;
import static io.sublet.dev.virtio.VirtioMmio.QUEUE_DEVICE_HIGH;
import static io.sublet.dev.virtio.VirtioMmio.QUEUE_DEVICE_LOW;
import static io.sublet.dev.virtio.VirtioMmio.QUEUE_DRIVER_HIGH;
import static io.sublet.dev.virtio.VirtioMmio.QUEUE_DRIVER_LOW;
import static io.sublet.dev.virtio.VirtioMmio.QUEUE_NOTIFY;
import static io.sublet.dev.virtio.VirtioMmio.QUEUE_READY;
import static io.sublet.dev.virtio.VirtioMmio.QUEUE_SEL;
import static io.sublet.dev.virtio.VirtioMmio.QUEUE_SIZE;
import static io.sublet.dev.virtio.VirtioMmio.STATUS;

import io.sublet.mem.Ram;
import java.util.ArrayList;
import java.util.List;

/**
 * A virtio driver written in Java for tests: it negotiates through the transport's registers as Linux
 * does, lays out split rings in a {@link Ram}, adds buffers (direct or indirect), kicks, and reads the
 * used ring back. It also writes raw descriptors for adversarial tests.
 */
final class TestDriver {
    static final long RAM_BASE = 0x8000_0000L;
    static final int RAM_SIZE = 1 << 20;
    /** Where {@link #alloc} hands out buffers: the upper half of RAM. */
    static final long HEAP = RAM_BASE + RAM_SIZE / 2;

    /** One buffer of a chain: {@code writable} means device-writable. */
    record Buf(long addr, int len, boolean writable) {
        static Buf in(final long addr, final int len) {
            return new Buf(addr, len, false);
        }

        static Buf out(final long addr, final int len) {
            return new Buf(addr, len, true);
        }
    }

    record Used(int id, int len) { }

    final Ram ram;
    final VirtioMmio dev;
    private long heap = HEAP;

    TestDriver(final Ram ram, final VirtioMmio dev) {
        this.ram = ram;
        this.dev = dev;
    }

    static Ram newRam() {
        return new Ram(RAM_BASE, RAM_SIZE);
    }

    int read(final int reg) {
        return (int) dev.load(reg, 4);
    }

    void write(final int reg, final long value) {
        dev.store(reg, 4, value);
    }

    int status() {
        return read(STATUS);
    }

    long deviceFeatures() {
        write(VirtioMmio.DEVICE_FEATURES_SEL, 1);
        final long high = read(VirtioMmio.DEVICE_FEATURES) & 0xffff_ffffL;
        write(VirtioMmio.DEVICE_FEATURES_SEL, 0);
        final long low = read(VirtioMmio.DEVICE_FEATURES) & 0xffff_ffffL;
        return high << 32 | low;
    }

    /** Reset, ACKNOWLEDGE, DRIVER, features, FEATURES_OK; returns whether the device kept FEATURES_OK. */
    boolean negotiate(final long features) {
        write(STATUS, 0);
        write(STATUS, Virtio.STATUS_ACKNOWLEDGE);
        write(STATUS, Virtio.STATUS_ACKNOWLEDGE | Virtio.STATUS_DRIVER);
        deviceFeatures();
        write(DRIVER_FEATURES_SEL, 1);
        write(DRIVER_FEATURES, features >>> 32);
        write(DRIVER_FEATURES_SEL, 0);
        write(DRIVER_FEATURES, features & 0xffff_ffffL);
        write(STATUS, status() | Virtio.STATUS_FEATURES_OK);
        return (status() & Virtio.STATUS_FEATURES_OK) != 0;
    }

    /** Negotiates everything the device offers. */
    boolean negotiateAll() {
        return negotiate(deviceFeatures());
    }

    void driverOk() {
        write(STATUS, status() | Virtio.STATUS_DRIVER_OK);
    }

    /** Negotiates {@code features}, sets up queues 0..n-1 of {@code size} below the heap, DRIVER_OK. */
    Queue[] start(final long features, final int queues, final int size) {
        if (!negotiate(features)) {
            throw new AssertionError("device refused features 0x" + Long.toHexString(features));
        }
        final Queue[] qs = new Queue[queues];
        for (int i = 0; i < queues; i++) {
            qs[i] = queue(i, size, RAM_BASE + 0x10000L * (i + 1));
        }
        driverOk();
        return qs;
    }

    /** Lays a queue out at {@code base} (descriptors, then available ring, then used ring) and enables it. */
    Queue queue(final int index, final int size, final long base) {
        final long desc = base;
        final long avail = desc + 16L * size;
        final long used = (avail + 6 + 2L * size + 3) & ~3L;
        return queue(index, size, desc, avail, used);
    }

    Queue queue(final int index, final int size, final long desc, final long avail, final long used) {
        zero(desc, 16 * size);
        zero(avail, 6 + 2 * size);
        zero(used, 6 + 8 * size);
        write(QUEUE_SEL, index);
        write(QUEUE_SIZE, size);
        write(QUEUE_DESC_LOW, desc & 0xffff_ffffL);
        write(QUEUE_DESC_HIGH, desc >>> 32);
        write(QUEUE_DRIVER_LOW, avail & 0xffff_ffffL);
        write(QUEUE_DRIVER_HIGH, avail >>> 32);
        write(QUEUE_DEVICE_LOW, used & 0xffff_ffffL);
        write(QUEUE_DEVICE_HIGH, used >>> 32);
        write(QUEUE_READY, 1);
        return new Queue(index, size, desc, avail, used);
    }

    /** Zeroes a ring area, when it is in RAM at all (adversarial tests place some elsewhere). */
    private void zero(final long addr, final int len) {
        if (addr >= RAM_BASE && addr + len <= RAM_BASE + RAM_SIZE) {
            ram.fill(addr, len, (byte) 0);
        }
    }

    /** A zeroed buffer from the heap. */
    long alloc(final int size) {
        final long at = (heap + 15) & ~15L;
        heap = at + size;
        if (heap > RAM_BASE + RAM_SIZE) {
            throw new AssertionError("test heap exhausted");
        }
        ram.fill(at, size, (byte) 0);
        return at;
    }

    void put(final long addr, final byte[] bytes) {
        ram.write(addr, bytes, 0, bytes.length);
    }

    byte[] get(final long addr, final int len) {
        final byte[] b = new byte[len];
        ram.read(addr, b, 0, len);
        return b;
    }

    int u8(final long addr) {
        return (int) ram.load(idx(addr), 1) & 0xff;
    }

    int u16(final long addr) {
        return (int) ram.load(idx(addr), 2) & 0xffff;
    }

    int u32(final long addr) {
        return (int) ram.load(idx(addr), 4);
    }

    void put16(final long addr, final int v) {
        ram.store(idx(addr), 2, v);
    }

    void put32(final long addr, final int v) {
        ram.store(idx(addr), 4, v);
    }

    void put64(final long addr, final long v) {
        ram.store(idx(addr), 8, v);
    }

    private static int idx(final long addr) {
        return (int) (addr - RAM_BASE);
    }

    /** A RAM snapshot, for checking what a device changed. */
    byte[] snapshot() {
        final byte[] all = new byte[RAM_SIZE];
        ram.read(RAM_BASE, all, 0, RAM_SIZE);
        return all;
    }

    /** The driver's side of one split queue. */
    final class Queue {
        final int index;
        final int size;
        final long desc;
        final long avail;
        final long used;
        private int nextDesc;
        private int availIdx;
        private int lastUsed;

        Queue(final int index, final int size, final long desc, final long avail, final long used) {
            this.index = index;
            this.size = size;
            this.desc = desc;
            this.avail = avail;
            this.used = used;
        }

        void writeDesc(final int i, final long addr, final long len, final int flags, final int next) {
            writeDescAt(desc, i, addr, len, flags, next);
        }

        /** Writes descriptors for {@code bufs}, linked by NEXT; returns the head index. */
        int chain(final Buf... bufs) {
            final int head = nextDesc;
            for (int k = 0; k < bufs.length; k++) {
                final int i = (head + k) % size;
                final boolean last = k == bufs.length - 1;
                writeDesc(i, bufs[k].addr(), bufs[k].len(),
                        (bufs[k].writable() ? SplitRing.DESC_F_WRITE : 0) | (last ? 0 : SplitRing.DESC_F_NEXT),
                        last ? 0 : (head + k + 1) % size);
            }
            nextDesc = (head + bufs.length) % size;
            return head;
        }

        /** One direct descriptor pointing at an indirect table holding {@code bufs}; returns its index. */
        int indirect(final Buf... bufs) {
            final long table = alloc(16 * bufs.length);
            for (int k = 0; k < bufs.length; k++) {
                final boolean last = k == bufs.length - 1;
                writeDescAt(table, k, bufs[k].addr(), bufs[k].len(),
                        (bufs[k].writable() ? SplitRing.DESC_F_WRITE : 0) | (last ? 0 : SplitRing.DESC_F_NEXT),
                        last ? 0 : k + 1);
            }
            final int head = nextDesc;
            writeDesc(head, table, 16L * bufs.length, SplitRing.DESC_F_INDIRECT, 0);
            nextDesc = (head + 1) % size;
            return head;
        }

        /** Puts a head into the available ring and publishes it. */
        void publish(final int head) {
            put16(avail + SplitRing.AVAIL_RING + 2L * (availIdx % size), head);
            availIdx = (availIdx + 1) & 0xffff;
            put16(avail + SplitRing.AVAIL_IDX, availIdx);
        }

        /** Sets the available index directly (adversarial). */
        void setAvailIdx(final int idx) {
            availIdx = idx & 0xffff;
            put16(avail + SplitRing.AVAIL_IDX, availIdx);
        }

        void setAvailRing(final int slot, final int head) {
            put16(avail + SplitRing.AVAIL_RING + 2L * slot, head);
        }

        void kick() {
            write(QUEUE_NOTIFY, index);
        }

        /** Chain, publish and kick. */
        int submit(final Buf... bufs) {
            final int head = chain(bufs);
            publish(head);
            kick();
            return head;
        }

        int usedIdx() {
            return u16(used + SplitRing.USED_IDX);
        }

        /** Used entries not yet collected. */
        List<Used> collect() {
            final List<Used> out = new ArrayList<>();
            final int idx = usedIdx();
            while (lastUsed != idx) {
                final long e = used + SplitRing.USED_RING + 8L * (lastUsed % size);
                out.add(new Used(u32(e), u32(e + 4)));
                lastUsed = (lastUsed + 1) & 0xffff;
            }
            return out;
        }

        /** Exactly one new used entry. */
        Used one() {
            final List<Used> u = collect();
            if (u.size() != 1) {
                throw new AssertionError("expected one used buffer, got " + u);
            }
            return u.get(0);
        }

        void setUsedEvent(final int v) {
            put16(avail + SplitRing.usedEventOffset(size), v);
        }

        int availEvent() {
            return u16(used + SplitRing.availEventOffset(size));
        }

        void setAvailFlags(final int flags) {
            put16(avail + SplitRing.AVAIL_FLAGS, flags);
        }

        int availIdx() {
            return availIdx;
        }
    }

    void writeDescAt(final long table, final int i, final long addr, final long len, final int flags, final int next) {
        final long d = table + 16L * i;
        put64(d + SplitRing.DESC_ADDR, addr);
        put32(d + SplitRing.DESC_LEN, (int) len);
        put16(d + SplitRing.DESC_FLAGS, flags);
        put16(d + SplitRing.DESC_NEXT, next);
    }
}
