package io.sublet.dev.virtio;

import static io.sublet.dev.virtio.VirtioBlk.S_IOERR;
import static io.sublet.dev.virtio.VirtioBlk.S_OK;
import static io.sublet.dev.virtio.VirtioBlk.S_UNSUPP;
import static io.sublet.dev.virtio.VirtioBlk.T_DISCARD;
import static io.sublet.dev.virtio.VirtioBlk.T_FLUSH;
import static io.sublet.dev.virtio.VirtioBlk.T_GET_ID;
import static io.sublet.dev.virtio.VirtioBlk.T_IN;
import static io.sublet.dev.virtio.VirtioBlk.T_OUT;
import static io.sublet.dev.virtio.VirtioBlk.T_WRITE_ZEROES;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sublet.dev.virtio.TestDriver.Buf;
import io.sublet.mem.Ram;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** virtio-blk end to end: a Java driver puts requests into real rings over an in-memory disk. */
class VirtioBlkTest {
    private static final int SECTORS = 256;
    private final Ram ram = TestDriver.newRam();
    private final Line irq = new Line();
    private MemoryBlockBackend disk = new MemoryBlockBackend(SECTORS * 512);
    private VirtioBlk blk;
    private VirtioMmio dev;
    private TestDriver driver;
    private TestDriver.Queue q;

    private record Result(int status, int len) { }

    private void start(final MemoryBlockBackend backend, final long features) {
        disk = backend;
        blk = new VirtioBlk(backend);
        dev = new VirtioMmio(blk, new GuestMemory(ram), irq);
        driver = new TestDriver(ram, dev);
        q = driver.start(features, 1, 16)[0];
    }

    private void start() {
        start(disk, VirtioMmio.TRANSPORT_FEATURES | new VirtioBlk(disk).deviceFeatures());
    }

    private long header(final int type, final long sector) {
        final long h = driver.alloc(16);
        driver.put32(h, type);
        driver.put32(h + 4, 0);
        driver.put64(h + 8, sector);
        return h;
    }

    /** Header, the data buffers, a status byte; returns the status and the used length. */
    private Result request(final int type, final long sector, final Buf... data) {
        final long status = driver.alloc(1);
        driver.put(status, new byte[] {(byte) 0xee});
        final List<Buf> bufs = new ArrayList<>();
        bufs.add(Buf.in(header(type, sector), 16));
        bufs.addAll(Arrays.asList(data));
        bufs.add(Buf.out(status, 1));
        final int head = q.submit(bufs.toArray(new Buf[0]));
        final TestDriver.Used used = q.one();
        assertEquals(head, used.id());
        return new Result(driver.u8(status), used.len());
    }

    private static byte[] pattern(final int len, final int seed) {
        final byte[] b = new byte[len];
        for (int i = 0; i < len; i++) {
            b[i] = (byte) (i * 7 + seed);
        }
        return b;
    }

    private long segments(final long... triples) {
        final long s = driver.alloc(triples.length / 3 * 16);
        for (int i = 0; i < triples.length / 3; i++) {
            driver.put64(s + 16L * i, triples[3 * i]);
            driver.put32(s + 16L * i + 8, (int) triples[3 * i + 1]);
            driver.put32(s + 16L * i + 12, (int) triples[3 * i + 2]);
        }
        return s;
    }

    @Test
    void configurationSpace() {
        start();
        assertEquals(Virtio.ID_BLOCK, dev.load(VirtioMmio.DEVICE_ID, 4));
        assertEquals(SECTORS, dev.load(VirtioMmio.CONFIG, 8), "capacity in 512-byte sectors");
        assertEquals(SECTORS, dev.load(VirtioMmio.CONFIG, 4), "low half, as Linux reads it");
        assertEquals(0, dev.load(VirtioMmio.CONFIG + 4, 4));
        assertEquals(VirtioBlk.QUEUE_SIZE - 2, dev.load(VirtioMmio.CONFIG + 12, 4), "seg_max");
        assertEquals(512, dev.load(VirtioMmio.CONFIG + 20, 4), "blk_size");
        assertEquals(VirtioBlk.MAX_DISCARD_SECTORS, dev.load(VirtioMmio.CONFIG + 36, 4));
        assertEquals(VirtioBlk.MAX_SEGMENTS, dev.load(VirtioMmio.CONFIG + 40, 4));
        assertEquals(8, dev.load(VirtioMmio.CONFIG + 44, 4), "discard alignment 4 KiB");
        assertEquals(VirtioBlk.MAX_WRITE_ZEROES_SECTORS, dev.load(VirtioMmio.CONFIG + 48, 4));
        assertEquals(VirtioBlk.MAX_SEGMENTS, dev.load(VirtioMmio.CONFIG + 52, 4));
        assertEquals(1, dev.load(VirtioMmio.CONFIG + 56, 1), "write_zeroes_may_unmap");
        final long f = driver.deviceFeatures();
        assertEquals(VirtioBlk.F_SEG_MAX | VirtioBlk.F_BLK_SIZE | VirtioBlk.F_FLUSH | VirtioBlk.F_DISCARD
                | VirtioBlk.F_WRITE_ZEROES, f & 0xffffff);
    }

    @Test
    void readOnlyDiskOffersRoAndNoDiscard() {
        start(new MemoryBlockBackend(4096, true, "ro"), Virtio.F_VERSION_1 | VirtioBlk.F_RO);
        final long f = driver.deviceFeatures();
        assertTrue((f & VirtioBlk.F_RO) != 0);
        assertEquals(0, f & (VirtioBlk.F_DISCARD | VirtioBlk.F_WRITE_ZEROES));
        assertEquals(0, dev.load(VirtioMmio.CONFIG + 36, 4));
    }

    @Test
    void readsSectorsIntoGuestBuffers() {
        start();
        final byte[] content = pattern(SECTORS * 512, 3);
        System.arraycopy(content, 0, disk.data, 0, content.length);
        final long a = driver.alloc(1024);
        final long b = driver.alloc(512);
        final Result r = request(T_IN, 10, Buf.out(a, 1024), Buf.out(b, 512));
        assertEquals(new Result(S_OK, 1536 + 1), r);
        assertArrayEquals(Arrays.copyOfRange(content, 5120, 6144), driver.get(a, 1024));
        assertArrayEquals(Arrays.copyOfRange(content, 6144, 6656), driver.get(b, 512));
        assertEquals(1536, blk.counters().bytesToGuest());
    }

    @Test
    void writesReachTheDisk() {
        start();
        final byte[] data = pattern(2048, 9);
        final long a = driver.alloc(2048);
        driver.put(a, data);
        final Result r = request(T_OUT, SECTORS - 4, Buf.in(a, 1000), Buf.in(a + 1000, 1048));
        assertEquals(new Result(S_OK, 1), r);
        assertArrayEquals(data, Arrays.copyOfRange(disk.data, (SECTORS - 4) * 512, SECTORS * 512));
        assertEquals(0, disk.flushes, "FLUSH negotiated: the driver decides when to flush");
        assertEquals(2048, blk.counters().bytesFromGuest());
    }

    @Test
    void withoutNegotiatedFlushEveryWriteIsFlushed() {
        start(disk, Virtio.F_VERSION_1);
        final long a = driver.alloc(512);
        assertEquals(S_OK, request(T_OUT, 0, Buf.in(a, 512)).status());
        assertEquals(1, disk.flushes, "write-through, virtio 1.2 §5.2.6.2 case 1");
        assertEquals(S_OK, request(T_IN, 0, Buf.out(a, 512)).status());
        assertEquals(1, disk.flushes, "reads are not flushed");
    }

    @Test
    void flushReachesTheBackend() {
        start();
        assertEquals(new Result(S_OK, 1), request(T_FLUSH, 0));
        assertEquals(1, disk.flushes);
        assertEquals(1, blk.flushes());
    }

    @Test
    void getIdFillsTwentyBytesNulPadded() {
        start(new MemoryBlockBackend(4096, false, "disk-7"), VirtioMmio.TRANSPORT_FEATURES);
        final long a = driver.alloc(20);
        driver.put(a, pattern(20, 1));
        assertEquals(new Result(S_OK, 21), request(T_GET_ID, 0, Buf.out(a, 20)));
        final byte[] want = new byte[20];
        System.arraycopy("disk-7".getBytes(StandardCharsets.US_ASCII), 0, want, 0, 6);
        assertArrayEquals(want, driver.get(a, 20));
    }

    @Test
    void getIdOfTwentyCharactersHasNoTerminatorAndLongerIsCut() {
        start(new MemoryBlockBackend(4096, false, "0123456789abcdefghijKLMN"), VirtioMmio.TRANSPORT_FEATURES);
        final long a = driver.alloc(24);
        assertEquals(S_OK, request(T_GET_ID, 0, Buf.out(a, 24)).status());
        assertEquals("0123456789abcdefghij", new String(driver.get(a, 20), StandardCharsets.US_ASCII));
        assertArrayEquals(new byte[4], driver.get(a + 20, 4), "nothing written past the id");
    }

    @Test
    void discardHandsRangesToTheBackend() {
        start();
        final long s = segments(8, 16, 0, 100, 4, 0);
        assertEquals(new Result(S_OK, 1), request(T_DISCARD, 0, Buf.in(s, 32)));
        assertEquals(2, disk.discards.size());
        assertArrayEquals(new long[] {8 * 512, 16 * 512}, disk.discards.get(0));
        assertArrayEquals(new long[] {100 * 512, 4 * 512}, disk.discards.get(1));
    }

    @Test
    void discardWithUnmapOrUnknownFlagsIsUnsupported() {
        start();
        assertEquals(S_UNSUPP, request(T_DISCARD, 0, Buf.in(segments(0, 8, 1), 16)).status());
        assertEquals(S_UNSUPP, request(T_WRITE_ZEROES, 0, Buf.in(segments(0, 8, 2), 16)).status());
        assertEquals(S_UNSUPP, request(T_DISCARD, 0, Buf.in(segments(0, 8, 0, 16, 8, 0x80), 32)).status(),
                "one bad segment fails the request before any segment runs");
        assertEquals(0, disk.discards.size());
    }

    @Test
    void writeZeroesZeroesWithOrWithoutUnmap() {
        start();
        Arrays.fill(disk.data, (byte) 0x11);
        assertEquals(S_OK, request(T_WRITE_ZEROES, 0, Buf.in(segments(2, 2, 0, 10, 1, 1), 32)).status());
        assertArrayEquals(new long[] {1024, 1024, 0}, disk.zeroes.get(0));
        assertArrayEquals(new long[] {5120, 512, 1}, disk.zeroes.get(1));
        assertArrayEquals(new byte[1024], Arrays.copyOfRange(disk.data, 1024, 2048));
        assertEquals(0x11, disk.data[1023]);
        assertEquals(0x11, disk.data[2048]);
    }

    @Test
    void discardAndWriteZeroesNeedTheirFeatures() {
        start(disk, Virtio.F_VERSION_1 | VirtioBlk.F_FLUSH);
        assertEquals(S_UNSUPP, request(T_DISCARD, 0, Buf.in(segments(0, 8, 0), 16)).status());
        assertEquals(S_UNSUPP, request(T_WRITE_ZEROES, 0, Buf.in(segments(0, 8, 0), 16)).status());
        assertEquals(0, disk.discards.size() + disk.zeroes.size());
    }

    @Test
    void discardLimitsAreEnforced() {
        start();
        assertEquals(S_IOERR, request(T_DISCARD, 0, Buf.in(segments(SECTORS - 1, 2, 0), 16)).status(), "past the end");
        assertEquals(S_IOERR, request(T_WRITE_ZEROES, 0,
                Buf.in(segments(0, VirtioBlk.MAX_WRITE_ZEROES_SECTORS + 1, 0), 16)).status(), "too many sectors");
        final long[] many = new long[3 * (VirtioBlk.MAX_SEGMENTS + 1)];
        assertEquals(S_IOERR, request(T_DISCARD, 0, Buf.in(segments(many), many.length / 3 * 16)).status(),
                "too many segments");
        assertEquals(S_IOERR, request(T_DISCARD, 0, Buf.in(driver.alloc(20), 20)).status(), "not whole segments");
        assertEquals(S_IOERR, request(T_DISCARD, 0).status(), "no segment");
        assertEquals(List.of(), disk.violations);
        assertEquals(0, disk.discards.size() + disk.zeroes.size());
    }

    @Test
    void readOnlyDiskRefusesEveryWrite() {
        final MemoryBlockBackend ro = new MemoryBlockBackend(64 * 512, true, "ro");
        Arrays.fill(ro.data, (byte) 0x42);
        start(ro, VirtioMmio.TRANSPORT_FEATURES | VirtioBlk.F_RO | VirtioBlk.F_FLUSH);
        final long a = driver.alloc(512);
        assertEquals(new Result(S_IOERR, 1), request(T_OUT, 0, Buf.in(a, 512)));
        assertEquals(S_IOERR, request(T_DISCARD, 0, Buf.in(segments(0, 8, 0), 16)).status());
        assertEquals(S_IOERR, request(T_WRITE_ZEROES, 0, Buf.in(segments(0, 8, 1), 16)).status());
        assertEquals(S_OK, request(T_FLUSH, 0).status());
        assertEquals(S_OK, request(T_IN, 0, Buf.out(a, 512)).status());
        assertEquals(0x42, driver.u8(a));
        assertEquals(List.of(), ro.violations, "the backend never saw a write");
        assertEquals(3, blk.counters().errors());
    }

    @Test
    void requestsBeyondCapacityFail() {
        start();
        final long a = driver.alloc(1024);
        assertEquals(S_IOERR, request(T_IN, SECTORS, Buf.out(a, 512)).status());
        assertEquals(S_IOERR, request(T_IN, SECTORS - 1, Buf.out(a, 1024)).status(), "crosses the end");
        assertEquals(S_IOERR, request(T_OUT, SECTORS - 1, Buf.in(a, 1024)).status());
        assertEquals(S_IOERR, request(T_IN, -1L, Buf.out(a, 512)).status(), "sector 2^64-1");
        assertEquals(S_IOERR, request(T_IN, Long.MAX_VALUE / 256, Buf.out(a, 1024)).status(), "sector*512 overflows");
        assertEquals(S_OK, request(T_IN, SECTORS - 2, Buf.out(a, 1024)).status(), "up to the last sector");
        assertEquals(List.of(), disk.violations);
    }

    @Test
    void dataMustBeWholeSectors() {
        start();
        final long a = driver.alloc(1024);
        assertEquals(S_IOERR, request(T_IN, 0, Buf.out(a, 513)).status());
        assertEquals(S_IOERR, request(T_OUT, 0, Buf.in(a, 100)).status());
        assertEquals(0, disk.reads + disk.writes);
    }

    @Test
    void backendFailuresAreIoErrors() {
        start();
        disk.failAll = true;
        final long a = driver.alloc(512);
        assertEquals(new Result(S_IOERR, 0), request(T_IN, 0, Buf.out(a, 512)),
                "used length 0: the data bytes before the status may not have been written");
        assertEquals(new Result(S_IOERR, 1), request(T_OUT, 0, Buf.in(a, 512)));
        assertEquals(S_IOERR, request(T_FLUSH, 0).status());
        assertEquals(S_IOERR, request(T_DISCARD, 0, Buf.in(segments(0, 8, 0), 16)).status());
        assertFalse(dev.needsReset(), "a failing disk fails requests, not the device");
        assertEquals(4, blk.counters().errors());
        assertEquals(4, blk.counters().requests());
    }

    @Test
    void unknownRequestTypesAreUnsupported() {
        start();
        final long a = driver.alloc(512);
        assertEquals(S_UNSUPP, request(VirtioBlk.T_GET_LIFETIME, 0, Buf.out(a, 8)).status());
        assertEquals(S_UNSUPP, request(VirtioBlk.T_SECURE_ERASE, 0, Buf.in(segments(0, 1, 0), 16)).status());
        assertEquals(S_UNSUPP, request(99, 0).status());
    }

    @Test
    void aShortOrMisplacedHeaderIsAnIoError() {
        start();
        final long h = header(T_IN, 0);
        final long st = driver.alloc(1);
        q.submit(Buf.in(h, 8), Buf.out(st, 1));
        assertEquals(S_IOERR, driver.u8(st));
        assertEquals(1, q.one().len());
        final long big = driver.alloc(17);
        driver.put32(big, T_IN);
        q.submit(Buf.out(big, 17)); // header in a device-writable buffer: the device must not read it
        assertEquals(S_IOERR, driver.u8(big + 16), "the status goes to the last writable byte");
        assertEquals(0, q.one().len(), "the bytes before the status were not written");
        assertFalse(dev.needsReset());
    }

    @Test
    void aRequestWithoutStatusByteNeedsReset() {
        start();
        q.submit(Buf.in(header(T_FLUSH, 0), 16));
        assertTrue(dev.needsReset());
        assertEquals("virtio-blk request without a writable status byte", dev.lastError());
        assertEquals(0, disk.flushes);
    }

    @Test
    void anyFramingWorks() {
        start();
        final byte[] content = pattern(SECTORS * 512, 5);
        System.arraycopy(content, 0, disk.data, 0, content.length);
        // header and written data in one readable descriptor; status right after read data in one writable one
        final long w = driver.alloc(16 + 512);
        driver.put32(w, T_OUT);
        driver.put64(w + 8, 3);
        driver.put(w + 16, pattern(512, 77));
        final long st = driver.alloc(1);
        q.submit(Buf.in(w, 16 + 512), Buf.out(st, 1));
        assertEquals(S_OK, driver.u8(st));
        q.one();
        assertArrayEquals(pattern(512, 77), Arrays.copyOfRange(disk.data, 3 * 512, 4 * 512));
        final long r = driver.alloc(1024 + 1);
        final long h = header(T_IN, 0);
        q.submit(Buf.in(h, 16), Buf.out(r, 100), Buf.out(r + 100, 925));
        assertEquals(1025, q.one().len(), "all data and the status");
        assertEquals(S_OK, driver.u8(r + 1024));
        assertArrayEquals(Arrays.copyOfRange(content, 0, 1024), driver.get(r, 1024));
    }

    @Test
    void indirectRequests() {
        start();
        final long a = driver.alloc(1024);
        driver.put(a, pattern(1024, 21));
        final long st = driver.alloc(1);
        final int head = q.indirect(Buf.in(header(T_OUT, 7), 16), Buf.in(a, 512), Buf.in(a + 512, 512),
                Buf.out(st, 1));
        q.publish(head);
        q.kick();
        assertEquals(new TestDriver.Used(head, 1), q.one());
        assertEquals(S_OK, driver.u8(st));
        assertArrayEquals(pattern(1024, 21), Arrays.copyOfRange(disk.data, 7 * 512, 9 * 512));
    }

    @Test
    void indicesWrapPast65535() {
        start();
        final long hdr = header(T_FLUSH, 0);
        final long st = driver.alloc(1);
        final int rounds = 70_000 / 5;
        for (int i = 0; i < rounds; i++) {
            for (int k = 0; k < 5; k++) {
                q.publish(q.chain(Buf.in(hdr, 16), Buf.out(st, 1)));
            }
            q.kick();
            assertEquals(5, q.collect().size(), "round " + i);
        }
        assertFalse(dev.needsReset());
        assertEquals(rounds * 5L, blk.counters().requests());
        assertEquals(rounds * 5L, disk.flushes);
    }
}
