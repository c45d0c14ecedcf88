package io.sublet.dev.virtio;

import static io.sublet.dev.virtio.SplitRing.DESC_F_INDIRECT;
import static io.sublet.dev.virtio.SplitRing.DESC_F_NEXT;
import static io.sublet.dev.virtio.SplitRing.DESC_F_WRITE;
import static io.sublet.dev.virtio.TestDriver.RAM_BASE;
import static io.sublet.dev.virtio.TestDriver.RAM_SIZE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.sublet.dev.virtio.TestDriver.Buf;
import io.sublet.mem.Ram;
import io.sublet.net.Ethernet;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded random receive and transmit rings for virtio-net, with random frames from the backend (empty,
 * runts, full-size 64 KiB ones). Whatever the guest writes, the device only uses buffers, drops frames
 * (counted) or goes into NEEDS_RESET with a reason; nothing is thrown at the host, RAM changes only in the
 * used rings and in buffers the guest marked device-writable, every frame the backend gets is a plausible
 * Ethernet frame, no frame from the backend is lost uncounted, and a second device on the same RAM keeps
 * working.
 *
 * <pre>
 *  RAM layout of a case (offsets from RAM base)
 *  0x01000..0x02000  receive tables (the queue's descriptors, then entries indirect descriptors point at)
 *  0x02000..0x03000  transmit tables
 *  0x03000 / 0x03800 available rings (rx / tx)      0x04000 / 0x04800 used rings (rx / tx)
 *  0x05000..0xe0000  buffer space, the arena at 0x10000..0x40000 holds random bytes
 *  0xf0000..         a healthy virtio-rng and its buffer
 * </pre>
 */
class VirtioNetFuzzTest {
    private static final int CASES = 4000;
    private static final long RX_TABLES = RAM_BASE + 0x1000;
    private static final long TX_TABLES = RAM_BASE + 0x2000;
    private static final int TABLE_BYTES = 0x1000;
    private static final long RX_AVAIL = RAM_BASE + 0x3000;
    private static final long TX_AVAIL = RAM_BASE + 0x3800;
    private static final long RX_USED = RAM_BASE + 0x4000;
    private static final long TX_USED = RAM_BASE + 0x4800;
    private static final long SPACE = RAM_BASE + 0x5000;
    private static final long SPACE_END = RAM_BASE + 0xe0000;
    private static final long ARENA = RAM_BASE + 0x10000;
    private static final int ARENA_SIZE = 0x30000;
    private static final long OTHER = RAM_BASE + 0xf0000;
    private static final long RAM_END = RAM_BASE + RAM_SIZE;
    private static final int[] FRAME_LENGTHS = {0, 1, 13, 14, 15, 60, 64, 1514, 1526, 4000, 9000, 65_535, Ethernet.MAX_FRAME};
    private static final int[] RX_LENGTHS = {0, 1, 8, 11, 12, 13, 26, 64, 200, 1526, 1536, 4096, 65_536};
    private static final int[] TX_LENGTHS = {0, 1, 11, 12, 13, 25, 26, 60, 72, 1526, 65_548, 65_549, 70_000};

    private final Ram ram = TestDriver.newRam();
    private final GuestMemory mem = new GuestMemory(ram);
    private final Line otherIrq = new Line();
    private final VirtioMmio other = new VirtioMmio(new VirtioRng(new SecureRandom()), mem, otherIrq);
    private final TestDriver otherDriver = new TestDriver(ram, other);
    private TestDriver.Queue otherQueue;
    private final MemoryNetBackend[] backends = {new MemoryNetBackend(16, 1), new MemoryNetBackend(16, 2),
        new MemoryNetBackend(16, 8)};
    /** Random bytes that frames and the arena are cut from (generating 64 KiB per frame would dominate the run). */
    private final byte[] pool = new byte[Math.max(ARENA_SIZE, Ethernet.MAX_FRAME)];
    private Random r;
    private TestDriver driver;
    private boolean indirectOk;

    @Test
    void randomRingsAndFramesOnlyEverDropFramesOrFailTheDevice() {
        new Random(-1).nextBytes(pool);
        ram.write(ARENA, pool, 0, ARENA_SIZE); // what transmit buffers hold; receive buffers get overwritten
        assertTrue(otherDriver.negotiateAll());
        otherQueue = otherDriver.queue(0, 8, OTHER);
        otherDriver.driverOk();
        int resets = 0;
        long delivered = 0;
        long sent = 0;
        long dropped = 0;
        for (int seed = 0; seed < CASES; seed++) {
            try {
                final long[] outcome = runCase(seed);
                resets += (int) outcome[0];
                delivered += outcome[1];
                sent += outcome[2];
                dropped += outcome[3];
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("seed " + seed + ": " + e.getMessage(), e);
            }
        }
        // The generator must reach every outcome in quantity, or it tests little.
        assertTrue(resets > CASES / 10, "cases ending in NEEDS_RESET: " + resets);
        assertTrue(CASES - resets > CASES / 5, "cases without: " + (CASES - resets));
        System.out.printf("virtio-net fuzz: %d cases, %d in NEEDS_RESET, %d frames delivered, %d sent, %d dropped%n",
                CASES, resets, delivered, sent, dropped);
        assertTrue(delivered > CASES / 2, "frames delivered to the guest: " + delivered);
        assertTrue(sent > CASES / 2, "frames sent by the guest: " + sent);
        assertTrue(dropped > CASES / 10, "frames dropped: " + dropped);
    }

    /** One case; returns {1 if NEEDS_RESET, frames delivered, frames sent, frames dropped}. */
    private long[] runCase(final int seed) {
        r = new Random(seed);
        // Backends are reused (their frame buffers are 64 KiB each): emptied, one per send-queue size.
        final MemoryNetBackend backend = backends[r.nextInt(backends.length)];
        backend.received().drain();
        backend.takeSent();
        final VirtioNet net = new VirtioNet(backend, Ethernet.defaultMac(0));
        final Line irq = new Line();
        final VirtioMmio dev = new VirtioMmio(net, mem, irq);
        driver = new TestDriver(ram, dev);
        final int size = 1 << r.nextInt(5); // 1..16
        long features = Virtio.F_VERSION_1;
        final long offered = driver.deviceFeatures();
        for (int bit = 0; bit < 64; bit++) {
            if ((offered & 1L << bit) != 0 && r.nextInt(4) != 0) {
                features |= 1L << bit;
            }
        }
        assertTrue(driver.negotiate(features));
        indirectOk = (features & Virtio.F_INDIRECT_DESC) != 0;
        final boolean tidy = r.nextInt(3) != 0;

        final TestDriver.Queue rx = driver.queue(VirtioNet.RECEIVEQ, size, RX_TABLES, RX_AVAIL, RX_USED);
        final TestDriver.Queue tx = driver.queue(VirtioNet.TRANSMITQ, size, TX_TABLES, TX_AVAIL, TX_USED);
        fillTables(RX_TABLES, size, true, tidy);
        fillTables(TX_TABLES, size, false, tidy);
        for (TestDriver.Queue q : List.of(rx, tx)) {
            for (int slot = 0; slot < size; slot++) {
                q.setAvailRing(slot, r.nextInt(tidy ? 300 : 6) == 0 ? r.nextInt(0x10000) : r.nextInt(size));
            }
            final int pick = r.nextInt(tidy ? 40 : 8);
            q.setAvailIdx(pick == 0 ? r.nextInt(0x10000) : r.nextInt(size + 1));
            q.setUsedEvent(r.nextInt(4) == 0 ? r.nextInt(0x10000) : 0);
            q.setAvailFlags(r.nextInt(2));
        }
        int injected = inject(backend);

        final List<long[]> allowed = allowedWrites(size);
        final byte[] before = driver.snapshot();
        driver.driverOk();
        rx.kick();
        tx.kick();
        dev.update();
        injected += inject(backend);
        dev.update();
        tx.kick();
        rx.kick();
        final byte[] after = driver.snapshot();

        checkWrites(before, after, allowed);
        for (byte[] f : backend.takeSent()) {
            assertTrue(f.length >= Ethernet.HEADER && f.length <= Ethernet.MAX_FRAME, "sent a frame of " + f.length);
        }
        for (TestDriver.Queue q : List.of(rx, tx)) {
            for (TestDriver.Used u : q.collect()) {
                assertTrue(u.id() < size, "used id " + u.id());
            }
        }
        if (dev.needsReset()) {
            assertNotNull(dev.lastError());
            if (System.getenv("FUZZ_DEBUG") != null) {
                System.out.println("RESET " + (tidy ? "tidy " : "random ") + dev.lastError().replaceAll("[0-9a-fx]+", "N"));
            }
            assertTrue(irq.level(), "a device that needs a reset tells the driver");
        } else {
            assertEquals(null, dev.lastError());
            assertEquals(injected, net.framesToGuest() + net.droppedToGuest() + backend.received().size(),
                    "every frame from the backend is delivered, dropped and counted, or still waiting");
        }
        checkOtherDevice();
        return new long[] {dev.needsReset() ? 1 : 0, net.framesToGuest(), net.framesFromGuest(), net.dropped()};
    }

    /** Queues a few frames of random content and telling lengths for the guest; returns how many. */
    private int inject(final MemoryNetBackend backend) {
        int n = 0;
        for (int i = r.nextInt(6); i > 0; i--) {
            final ByteBuffer b = backend.received().claim();
            if (b == null) {
                break;
            }
            final int pick = r.nextInt(4);
            final int len = pick == 0 ? r.nextInt(Ethernet.MAX_FRAME + 1) : pick == 1 ? FRAME_LENGTHS[r.nextInt(FRAME_LENGTHS.length)]
                    : 14 + r.nextInt(1500);
            b.put(pool, r.nextInt(pool.length - len + 1), len);
            backend.received().commit();
            n++;
        }
        return n;
    }

    private void fillTables(final long tables, final int size, final boolean receive, final boolean tidy) {
        for (long e = tables; e < tables + TABLE_BYTES; e += 16) {
            final int index = (int) ((e - tables) / 16);
            if (tidy && r.nextInt(120) != 0) {
                tidyDescriptor(tables, e, index, size, receive);
            } else {
                randomDescriptor(e, size, tables);
            }
        }
    }

    /** Mostly what Linux writes: receive buffers device-writable, transmit chains header + frame. */
    private void tidyDescriptor(final long tables, final long at, final int index, final int size, final boolean receive) {
        final boolean inQueue = at < tables + 16L * size;
        if (inQueue && indirectOk && r.nextInt(8) == 0) {
            final long table = tables + 16L * (size + r.nextInt(64));
            final int entries = 1 + r.nextInt(3);
            for (int k = 0; k < entries; k++) {
                entry(table + 16L * k, k + 1, k < entries - 1, receive);
            }
            driver.writeDescAt(at, 0, table, 16L * entries, DESC_F_INDIRECT, 0);
            return;
        }
        final boolean next = inQueue && index < size - 1 && r.nextInt(receive ? 6 : 3) == 0; // no loops
        entry(at, (index + 1) % size, next, receive);
    }

    private void entry(final long at, final int next, final boolean hasNext, final boolean receive) {
        final boolean writable = receive ? r.nextInt(150) != 0 : r.nextInt(150) == 0;
        final long len;
        if (r.nextInt(6) == 0) {
            len = receive ? RX_LENGTHS[r.nextInt(RX_LENGTHS.length)] : TX_LENGTHS[r.nextInt(TX_LENGTHS.length)];
        } else {
            len = receive ? 1526 + r.nextInt(3000) : (hasNext ? 12 : 12 + 14 + r.nextInt(1500)); // what Linux uses
        }
        final long addr = ARENA + 64L * r.nextInt(ARENA_SIZE / 64);
        if (!receive && r.nextInt(4) != 0) {
            driver.put(addr, new byte[VirtioNet.HEADER_SIZE]); // a zero header, as Linux sends without offloads
        }
        driver.writeDescAt(at, 0, addr, Math.min(len, SPACE_END - addr),
                (writable ? DESC_F_WRITE : 0) | (hasNext ? DESC_F_NEXT : 0), next);
    }

    /** Anything at all, but never pointing a buffer into the tables or rings. */
    private void randomDescriptor(final long at, final int size, final long tables) {
        int flags = (r.nextBoolean() ? DESC_F_NEXT : 0) | (r.nextBoolean() ? DESC_F_WRITE : 0)
                | (r.nextInt(8) == 0 ? DESC_F_INDIRECT : 0);
        if (r.nextInt(20) == 0) {
            flags |= r.nextInt(0x10000) & ~7;
        }
        long addr;
        long len;
        if ((flags & DESC_F_INDIRECT) != 0) {
            final int p = r.nextInt(8);
            if (p < 6) {
                addr = tables + 16L * r.nextInt(TABLE_BYTES / 16);
                len = r.nextInt(4) == 0 ? r.nextInt(40) : 16L * (1 + r.nextInt(8));
                len = Math.min(len, tables + TABLE_BYTES - addr);
            } else {
                addr = p == 6 ? r.nextLong() : RAM_END - 16;
                len = 32;
            }
        } else {
            final int p = r.nextInt(10);
            addr = p < 6 ? SPACE + r.nextInt((int) (SPACE_END - SPACE)) : p < 8 ? r.nextLong() : RAM_END - r.nextInt(64);
            len = r.nextInt(4) == 0 ? r.nextLong() & 0xffff_ffffL : r.nextInt(70_000);
            if (addr >= SPACE && addr < SPACE_END && len <= RAM_SIZE) {
                len = Math.min(len, SPACE_END - addr);
            } else if (addr > RAM_END - 64 && addr <= RAM_END) {
                len = RAM_END - addr + 1 + r.nextInt(64); // always crosses the end
            }
        }
        final int next = r.nextInt(5) == 0 ? r.nextInt(0x10000) : r.nextInt(size + 2);
        driver.writeDescAt(at, 0, addr, len, flags, next);
    }

    private List<long[]> allowedWrites(final int size) {
        final List<long[]> allowed = new ArrayList<>();
        allowed.add(new long[] {RX_USED, RX_USED + SplitRing.usedSize(size)});
        allowed.add(new long[] {TX_USED, TX_USED + SplitRing.usedSize(size)});
        for (long tables : new long[] {RX_TABLES, TX_TABLES}) {
            for (long e = tables; e < tables + TABLE_BYTES; e += 16) {
                final long addr = ram.load((int) (e - RAM_BASE), 8);
                final long len = ram.load((int) (e + 8 - RAM_BASE), 4) & 0xffff_ffffL;
                final int flags = (int) ram.load((int) (e + 12 - RAM_BASE), 2) & 0xffff;
                if ((flags & DESC_F_WRITE) != 0 && (flags & DESC_F_INDIRECT) == 0 && len > 0 && mem.contains(addr, len)) {
                    allowed.add(new long[] {addr, addr + len});
                    assertFalse(addr < RAM_BASE + 0x5000 && addr + len > RX_TABLES, "generator broke its own layout");
                }
            }
        }
        return allowed;
    }

    private static void checkWrites(final byte[] before, final byte[] after, final List<long[]> allowed) {
        int from = 0;
        while (from < before.length) {
            final int m = Arrays.mismatch(before, from, before.length, after, from, after.length);
            if (m < 0) {
                return;
            }
            final long paddr = RAM_BASE + from + m;
            boolean ok = false;
            for (long[] range : allowed) {
                if (paddr >= range[0] && paddr < range[1]) {
                    ok = true;
                    break;
                }
            }
            if (!ok) {
                fail(String.format("device wrote 0x%x, which the guest did not designate", paddr));
            }
            from += m + 1;
        }
    }

    private void checkOtherDevice() {
        final long buf = OTHER + 0x8000;
        otherQueue.setUsedEvent(otherQueue.usedIdx());
        otherQueue.submit(Buf.out(buf, 16));
        assertEquals(16, otherQueue.one().len(), "the other device still works");
        assertFalse(other.needsReset());
        otherDriver.write(VirtioMmio.INTERRUPT_ACK, 3);
    }
}
