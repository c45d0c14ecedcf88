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
import io.sublet.mem.BusFault;
import io.sublet.mem.Ram;
import io.sublet.dev.HostOutput;
import java.io.ByteArrayOutputStream;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded random and adversarial descriptor tables, available rings and register writes against every
 * device. Whatever the guest writes, the only allowed outcomes are the device's own: requests used (with
 * error statuses where the protocol has them) or NEEDS_RESET with a reason. Nothing is thrown at the host,
 * a second device on the same RAM keeps working, the backend never sees an out-of-range call, and RAM
 * changes only inside the used ring and buffers the guest marked device-writable.
 *
 * <pre>
 *  RAM layout of a case (offsets from RAM base)
 *  0x01000..0x03000  tables: the queue's descriptor table, then entries indirect descriptors point at
 *  0x03000           available ring          0x04000  used ring
 *  0x05000..0xe0000  buffer space (0x10000..0x20000: the arena, random bytes and plausible blk requests)
 *  0xf0000..         a healthy second device (virtio-rng) and its buffer, never named by the fuzzed rings
 * </pre>
 *
 * Buffers never point into the tables or the available ring, and indirect descriptors only into the
 * tables (or outside RAM), so what the guest designated writable is fixed before the device runs and the
 * RAM check is exact.
 */
class VirtqueueFuzzTest {
    private static final int CASES = 3000;
    private static final long TABLES = RAM_BASE + 0x1000;
    private static final long TABLES_END = RAM_BASE + 0x3000;
    private static final long AVAIL = RAM_BASE + 0x3000;
    private static final long USED = RAM_BASE + 0x4000;
    private static final long SPACE = RAM_BASE + 0x5000;
    private static final long SPACE_END = RAM_BASE + 0xe0000;
    private static final long ARENA = RAM_BASE + 0x10000;
    private static final int ARENA_SIZE = 0x10000;
    private static final long OTHER = RAM_BASE + 0xf0000;
    private static final long RAM_END = RAM_BASE + RAM_SIZE;
    private static final int DISK_SECTORS = 128;

    private final Ram ram = TestDriver.newRam();
    private final GuestMemory mem = new GuestMemory(ram);
    private final Line otherIrq = new Line();
    private final VirtioMmio other = new VirtioMmio(new VirtioRng(new SecureRandom()), mem, otherIrq);
    private final TestDriver otherDriver = new TestDriver(ram, other);
    private TestDriver.Queue otherQueue;

    private Random r;
    private TestDriver driver;
    private long okRequests;
    private boolean indirectOk;

    @Test
    void randomDescriptorTablesOnlyEverFailTheDevice() {
        assertTrue(otherDriver.negotiateAll());
        otherQueue = otherDriver.queue(0, 8, OTHER);
        otherDriver.driverOk();
        int resets = 0;
        int used = 0;
        for (int seed = 0; seed < CASES; seed++) {
            try {
                final int[] outcome = runCase(seed);
                resets += outcome[0];
                used += outcome[1];
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("seed " + seed + ": " + e.getMessage(), e);
            }
        }
        // The generator must produce both outcomes in quantity, or it tests little.
        assertTrue(resets > CASES / 5, "cases ending in NEEDS_RESET: " + resets);
        assertTrue(CASES - resets > CASES / 5, "cases without: " + (CASES - resets));
        assertTrue(used > CASES, "buffers used: " + used);
        assertTrue(okRequests > CASES / 20, "virtio-blk requests that succeeded: " + okRequests);
    }

    /** One case; returns {1 if the device needs a reset else 0, buffers used}. */
    private int[] runCase(final int seed) {
        r = new Random(seed);
        final int kind = seed % 4; // blk, rng, console transmit, console receive
        final MemoryBlockBackend disk = new MemoryBlockBackend(DISK_SECTORS * 512, r.nextInt(8) == 0, "fuzz");
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final VirtioConsole console = new VirtioConsole(new HostOutput(out), 64, 0, 0);
        final VirtioDevice device = switch (kind) {
            case 0 -> new VirtioBlk(disk);
            case 1 -> new VirtioRng(new VirtioRngTest.CountingRandom());
            default -> console;
        };
        final Line irq = new Line();
        final VirtioMmio dev = new VirtioMmio(device, mem, irq);
        driver = new TestDriver(ram, dev);
        final int queueIndex = kind == 2 ? VirtioConsole.TRANSMITQ : 0;
        final int size = 1 << (1 + r.nextInt(4)); // 2..16

        long features = Virtio.F_VERSION_1;
        final long offered = driver.deviceFeatures();
        for (int bit = 0; bit < 64; bit++) {
            if ((offered & 1L << bit) != 0 && r.nextInt(4) != 0) {
                features |= 1L << bit;
            }
        }
        assertTrue(driver.negotiate(features));
        fillArena(kind);
        final boolean tidy = r.nextBoolean(); // mostly well-formed chains with a few bad descriptors
        indirectOk = (features & Virtio.F_INDIRECT_DESC) != 0;
        for (long e = TABLES; e < TABLES_END; e += 16) {
            descriptor(e, (int) ((e - TABLES) / 16), size, kind, tidy);
        }
        final TestDriver.Queue q = driver.queue(queueIndex, size, TABLES, AVAIL, USED);
        for (long e = TABLES; e < TABLES + 16L * size; e += 16) {
            descriptor(e, (int) ((e - TABLES) / 16), size, kind, tidy); // queue() zeroed the table
        }
        for (int slot = 0; slot < size; slot++) {
            q.setAvailRing(slot, r.nextInt(tidy ? 60 : 8) == 0 ? r.nextInt(0x10000) : r.nextInt(size));
        }
        final int pick = r.nextInt(tidy ? 40 : 10);
        final int availIdx = pick == 0 ? 0 : pick < 8 || tidy && pick > 1 ? 1 + r.nextInt(size) : r.nextInt(0x10000);
        q.setAvailIdx(availIdx);
        q.setUsedEvent(r.nextInt(4) == 0 ? r.nextInt(0x10000) : 0);
        q.setAvailFlags(r.nextInt(2));
        if (kind == 3) {
            for (int i = 0, n = r.nextInt(64); i < n; i++) {
                console.offer(r.nextInt(256));
            }
        }

        final List<long[]> allowed = allowedWrites(size);
        final byte[] before = driver.snapshot();
        driver.driverOk(); // looks at every queue
        q.kick();
        dev.update();
        q.kick();
        dev.update();
        final byte[] after = driver.snapshot();

        checkWrites(before, after, allowed);
        assertEquals(List.of(), disk.violations, "backend calls the device should have refused");
        final int usedCount = q.usedIdx();
        assertTrue(usedCount <= size, "used " + usedCount + " of a queue of " + size);
        if (dev.needsReset()) {
            assertNotNull(dev.lastError());
            assertEquals(Virtio.INT_CONFIG_CHANGE, dev.interruptStatus() & Virtio.INT_CONFIG_CHANGE);
            assertTrue(irq.level());
        } else {
            assertEquals(null, dev.lastError());
            if (kind != 3 && availIdx <= size) {
                assertEquals(availIdx, usedCount, "a healthy device uses every available buffer");
            }
        }
        for (TestDriver.Used u : q.collect()) {
            assertTrue(u.id() < size, "used id " + u.id());
        }
        checkOtherDevice();
        if (kind == 0) {
            okRequests += device.counters().requests() - device.counters().errors();
        }
        return new int[] {dev.needsReset() ? 1 : 0, usedCount};
    }

    /** Random bytes, with plausible virtio-blk headers and discard segments every 64 bytes. */
    private void fillArena(final int kind) {
        final byte[] junk = new byte[ARENA_SIZE];
        r.nextBytes(junk);
        ram.write(ARENA, junk, 0, junk.length);
        if (kind != 0) {
            return;
        }
        final int[] types = {0, 1, 4, 8, 11, 13, 10, 14, 99};
        for (long at = ARENA; at < ARENA + ARENA_SIZE; at += 64) {
            if (r.nextInt(4) != 0) {
                driver.put32(at, types[r.nextInt(types.length)]);
                driver.put64(at + 8, r.nextInt(8) == 0 ? r.nextLong() : r.nextInt(DISK_SECTORS + 8));
                driver.put64(at + 16, r.nextInt(DISK_SECTORS + 8));
                driver.put32(at + 24, r.nextInt(16));
                driver.put32(at + 28, r.nextInt(8) == 0 ? r.nextInt() : r.nextInt(2));
            }
        }
    }

    private void descriptor(final long at, final int index, final int size, final int kind, final boolean tidy) {
        if (tidy && r.nextInt(30) != 0) {
            tidyDescriptor(at, index, size, kind);
        } else {
            randomDescriptor(at, size);
        }
    }

    /**
     * A descriptor that usually makes a well-formed chain with its neighbours: NEXT links to the next
     * index, readable parts before the last (writable, for blk) one, and lengths a device accepts; now and
     * then an indirect table of such descriptors.
     */
    private void tidyDescriptor(final long at, final int index, final int size, final int kind) {
        final boolean inTable = at >= TABLES + 16L * size;
        if (!inTable && indirectOk && r.nextInt(8) == 0) {
            final long table = TABLES + 16L * (size + r.nextInt(64));
            final int entries = 1 + r.nextInt(Math.min(size, 4));
            for (int k = 0; k < entries; k++) {
                tidyEntry(table + 16L * k, k + 1, k < entries - 1, kind);
            }
            driver.writeDescAt(at, 0, table, 16L * entries, DESC_F_INDIRECT, 0);
            return;
        }
        final boolean next = !inTable && (kind == 0 ? r.nextInt(3) != 0 : r.nextInt(3) == 0); // blk: header+status
        tidyEntry(at, (index + 1) % size, next, kind);
    }

    private void tidyEntry(final long at, final int next, final boolean hasNext, final int kind) {
        final boolean writable = switch (kind) {
            case 0 -> !hasNext;
            case 2 -> false;
            default -> true;
        };
        final long addr = ARENA + 64L * r.nextInt(ARENA_SIZE / 64);
        final long len;
        if (kind == 0) {
            final long data = r.nextBoolean() ? 512L * r.nextInt(3) : 16L * r.nextInt(3);
            len = writable ? 1 + 512L * r.nextInt(3) : 16 + data;
        } else {
            len = 1 + r.nextInt(200);
        }
        driver.writeDescAt(at, 0, addr, Math.min(len, ARENA + ARENA_SIZE - addr),
                (writable ? DESC_F_WRITE : 0) | (hasNext ? DESC_F_NEXT : 0), next);
    }

    /** One descriptor, valid or not, following the layout rules in the class comment. */
    private void randomDescriptor(final long at, final int size) {
        int flags = (r.nextBoolean() ? DESC_F_NEXT : 0) | (r.nextBoolean() ? DESC_F_WRITE : 0)
                | (r.nextInt(8) == 0 ? DESC_F_INDIRECT : 0);
        if (r.nextInt(20) == 0) {
            flags |= r.nextInt(0x10000) & ~7;
        }
        final long addr;
        long len;
        if ((flags & DESC_F_INDIRECT) != 0) {
            final int p = r.nextInt(10);
            if (p < 7) {
                final int entries = (int) ((TABLES_END - TABLES) / 16);
                addr = TABLES + 16L * r.nextInt(entries);
                final int room = (int) ((TABLES_END - addr) / 16);
                final int q = r.nextInt(6);
                len = q == 0 ? 0 : q == 1 ? 1 + r.nextInt(40) : 16L * (1 + r.nextInt(Math.min(room, 2 * size + 2)));
            } else if (p < 9) {
                addr = r.nextInt(2) == 0 ? r.nextLong() : r.nextInt(0x10000);
                len = 16L * r.nextInt(8);
            } else {
                addr = RAM_END - 16;
                len = 32;
            }
        } else {
            final int p = r.nextInt(20);
            if (p < 9) {
                addr = ARENA + 64L * r.nextInt(ARENA_SIZE / 64) + (r.nextInt(4) == 0 ? r.nextInt(64) : 0);
            } else if (p < 14) {
                addr = SPACE + r.nextInt((int) (SPACE_END - SPACE));
            } else if (p < 16) {
                addr = r.nextBoolean() ? r.nextLong() : r.nextInt(0x7fff_0000);
            } else if (p < 18) {
                addr = RAM_END - r.nextInt(64);
            } else {
                addr = 0;
            }
            final int l = r.nextInt(10);
            len = l < 4 ? r.nextInt(600) : l < 6 ? 512L * r.nextInt(4) : l < 7 ? 0 : l < 8 ? 16 + r.nextInt(2)
                    : l < 9 ? 1 : RAM_SIZE + (r.nextLong() & 0x7fff_ffffL);
            if (addr >= SPACE && addr < SPACE_END && len <= RAM_SIZE) {
                len = Math.min(len, SPACE_END - addr);
            } else if (addr > RAM_END - 64 && addr <= RAM_END) {
                len = RAM_END - addr + 1 + r.nextInt(64); // always crosses the end
            }
        }
        final int next = r.nextInt(5) == 0 ? r.nextInt(0x10000) : r.nextInt(size + 2);
        driver.writeDescAt(at, 0, addr, len, flags, next);
    }

    /** The used ring and every in-RAM range of a device-writable buffer descriptor in the tables. */
    private List<long[]> allowedWrites(final int size) {
        final List<long[]> allowed = new ArrayList<>();
        allowed.add(new long[] {USED, USED + SplitRing.usedSize(size)});
        for (long e = TABLES; e < TABLES_END; e += 16) {
            final long addr = ram.load((int) (e - RAM_BASE), 8);
            final long len = ram.load((int) (e + 8 - RAM_BASE), 4) & 0xffff_ffffL;
            final int flags = (int) ram.load((int) (e + 12 - RAM_BASE), 2) & 0xffff;
            if ((flags & DESC_F_WRITE) != 0 && (flags & DESC_F_INDIRECT) == 0 && len > 0 && mem.contains(addr, len)) {
                allowed.add(new long[] {addr, addr + len});
                assertFalse(addr < AVAIL + 0x1000 && addr + len > TABLES, "generator broke its own layout");
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
            final int at = from + m;
            final long paddr = RAM_BASE + at;
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
            from = at + 1;
        }
    }

    private void checkOtherDevice() {
        final long buf = OTHER + 0x8000;
        otherQueue.setUsedEvent(otherQueue.usedIdx()); // EVENT_IDX: interrupt for this one
        otherQueue.submit(Buf.out(buf, 16));
        assertEquals(16, otherQueue.one().len(), "the other device still works");
        assertFalse(other.needsReset());
        assertTrue(otherIrq.level());
        otherDriver.write(VirtioMmio.INTERRUPT_ACK, 3);
    }

    /**
     * Random 32-bit register writes (biased toward a plausible bring-up) with random ring memory: the
     * transport must never throw, whatever the order, and must keep its invariants.
     */
    @Test
    void randomRegisterWritesNeverThrow() {
        final int[] regs = {VirtioMmio.DEVICE_FEATURES_SEL, VirtioMmio.DRIVER_FEATURES, VirtioMmio.DRIVER_FEATURES_SEL,
            VirtioMmio.QUEUE_SEL, VirtioMmio.QUEUE_SIZE, VirtioMmio.QUEUE_READY, VirtioMmio.QUEUE_NOTIFY,
            VirtioMmio.INTERRUPT_ACK, VirtioMmio.STATUS, VirtioMmio.QUEUE_DESC_LOW, VirtioMmio.QUEUE_DESC_HIGH,
            VirtioMmio.QUEUE_DRIVER_LOW, VirtioMmio.QUEUE_DRIVER_HIGH, VirtioMmio.QUEUE_DEVICE_LOW,
            VirtioMmio.QUEUE_DEVICE_HIGH, VirtioMmio.SHM_SEL, VirtioMmio.QUEUE_RESET, VirtioMmio.CONFIG,
            VirtioMmio.CONFIG + 8, 0x0f0, 0x100 + 0x38};
        final Ram small = new Ram(RAM_BASE, 64 * 1024);
        final GuestMemory smallMem = new GuestMemory(small);
        final byte[] noise = new byte[64 * 1024];
        for (int seed = 0; seed < 1000; seed++) {
            r = new Random(seed);
            r.nextBytes(noise);
            small.write(RAM_BASE, noise, 0, noise.length);
            final VirtioDevice device = switch (seed % 3) {
                case 0 -> new VirtioBlk(new MemoryBlockBackend(8 * 512));
                case 1 -> new VirtioRng(new VirtioRngTest.CountingRandom());
                default -> new VirtioConsole(new HostOutput(new ByteArrayOutputStream()));
            };
            final VirtioMmio dev = new VirtioMmio(device, smallMem, new Line());
            try {
                for (int op = 0; op < 300; op++) {
                    final int reg = regs[r.nextInt(regs.length)];
                    final long value = switch (reg) {
                        case VirtioMmio.STATUS -> r.nextInt(4) == 0 ? 0 : r.nextInt(256);
                        case VirtioMmio.QUEUE_SEL, VirtioMmio.QUEUE_NOTIFY -> r.nextInt(4);
                        case VirtioMmio.QUEUE_SIZE -> 1 << r.nextInt(10);
                        case VirtioMmio.QUEUE_READY, VirtioMmio.QUEUE_RESET -> r.nextInt(3);
                        case VirtioMmio.QUEUE_DESC_LOW, VirtioMmio.QUEUE_DRIVER_LOW, VirtioMmio.QUEUE_DEVICE_LOW ->
                                (RAM_BASE + (r.nextInt(64 * 1024) & (r.nextInt(4) == 0 ? ~0 : ~15))) & 0xffff_ffffL;
                        case VirtioMmio.QUEUE_DESC_HIGH, VirtioMmio.QUEUE_DRIVER_HIGH, VirtioMmio.QUEUE_DEVICE_HIGH ->
                                r.nextInt(8) == 0 ? r.nextInt() : 0;
                        case VirtioMmio.DRIVER_FEATURES_SEL, VirtioMmio.DEVICE_FEATURES_SEL -> r.nextInt(3);
                        default -> r.nextInt() & 0xffff_ffffL;
                    };
                    if (reg >= VirtioMmio.CONFIG) {
                        dev.store(reg, 1 << r.nextInt(4), value);
                        dev.load(reg, 1 << r.nextInt(4));
                    } else {
                        dev.store(reg, 4, value);
                    }
                    if (r.nextInt(16) == 0) {
                        final int word = r.nextInt(16 * 1024);
                        small.store(word * 4, 4, r.nextInt());
                    }
                    if (r.nextInt(8) == 0) {
                        dev.update();
                    }
                    for (int off = 0; off < 0x100; off += 4) {
                        dev.load(off, 4);
                    }
                    final int status = dev.status();
                    if ((status & Virtio.STATUS_FEATURES_OK) != 0) {
                        assertEquals(Virtio.F_VERSION_1, dev.negotiated() & Virtio.F_VERSION_1);
                    }
                }
            } catch (BusFault e) {
                throw new AssertionError("seed " + seed + ": 32-bit register access faulted", e);
            } catch (RuntimeException e) {
                throw new AssertionError("seed " + seed + ": " + e, e);
            }
        }
    }
}
