package io.sublet.dev.virtio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.OptionalLong;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** FileDisk's I/O, checks and space handling, on real files in a temporary directory. */
class FileDiskTest {
    private static final int MIB = 1 << 20;

    @TempDir
    Path tmp;

    private Path image(final String name, final long size) throws IOException {
        final Path p = tmp.resolve(name);
        FileDisk.create(p, size, false);
        return p;
    }

    /** An image whose every byte is written (so every block is allocated), with random contents. */
    private Path fullImage(final String name, final int size, final long seed) throws IOException {
        final Path p = tmp.resolve(name);
        final byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        Files.write(p, b);
        return p;
    }

    private static byte[] readAll(final FileDisk d, final long offset, final int length) throws IOException {
        final ByteBuffer b = ByteBuffer.allocate(length);
        d.read(offset, b);
        assertFalse(b.hasRemaining());
        return b.array();
    }

    private static boolean allZero(final byte[] b, final int from, final int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    @Test
    void roundTripsAtOddOffsetsWithHeapDirectAndSlicedBuffers() throws IOException {
        final Path p = image("rt.img", 4 * MIB);
        final Random r = new Random(1);
        final byte[] expect = new byte[4 * MIB];
        try (FileDisk d = FileDisk.open(p, false)) {
            assertEquals(4 * MIB, d.size());
            assertFalse(d.readOnly());
            assertArrayEquals(new byte[4096], readAll(d, 12345, 4096), "a new image reads as zeros");
            final long[] offsets = {0, 1, 511, 513, 4095, 65537, 3 * MIB + 7, 4 * MIB - 3};
            for (int k = 0; k < offsets.length; k++) {
                final int len = (int) Math.min(1 + r.nextInt(70000), 4 * MIB - offsets[k]);
                final byte[] data = new byte[len];
                r.nextBytes(data);
                final ByteBuffer src;
                switch (k % 3) {
                    case 0: src = ByteBuffer.wrap(data); break;
                    case 1: src = ByteBuffer.allocateDirect(len).put(data).flip(); break;
                    default: // a window in the middle of a larger buffer: position and limit are honoured
                        final ByteBuffer big = ByteBuffer.allocateDirect(len + 100);
                        big.position(50);
                        big.put(data);
                        src = big.position(50).limit(50 + len);
                        break;
                }
                d.write(offsets[k], src);
                assertFalse(src.hasRemaining());
                System.arraycopy(data, 0, expect, (int) offsets[k], len);
                final ByteBuffer dst = ByteBuffer.allocateDirect(len + 10).position(5).limit(5 + len);
                d.read(offsets[k], dst);
                assertEquals(5 + len, dst.position());
                final byte[] back = new byte[len];
                dst.position(5).get(back);
                assertArrayEquals(data, back, "offset " + offsets[k]);
            }
            d.flush();
            assertArrayEquals(expect, readAll(d, 0, 4 * MIB));
        }
        assertArrayEquals(expect, Files.readAllBytes(p), "the file is the disk, byte for byte");
        assertEquals(4 * MIB, Files.size(p), "writes never change the size");
    }

    @Test
    void threadsMayReadAndWriteAtOnce() throws Exception {
        final Path p = image("threads.img", 4 * MIB);
        final int threads = 4;
        final int region = MIB;
        try (FileDisk d = FileDisk.open(p, false)) {
            final java.util.List<java.util.concurrent.Future<byte[]>> results = new java.util.ArrayList<>();
            final java.util.concurrent.ExecutorService pool =
                    java.util.concurrent.Executors.newFixedThreadPool(threads);
            try {
                for (int t = 0; t < threads; t++) {
                    final int base = t * region;
                    final long seed = t;
                    results.add(pool.submit(() -> {
                        final Random r = new Random(seed);
                        final byte[] mine = new byte[region];
                        final ByteBuffer buf = ByteBuffer.allocateDirect(8192);
                        for (int i = 0; i < 500; i++) {
                            final int off = r.nextInt(region - 8192);
                            final int len = 1 + r.nextInt(8192);
                            final byte[] data = new byte[len];
                            r.nextBytes(data);
                            buf.clear();
                            buf.put(data).flip();
                            d.write(base + off, buf);
                            System.arraycopy(data, 0, mine, off, len);
                            buf.clear().limit(len);
                            d.read(base + off, buf);
                            buf.flip();
                            final byte[] back = new byte[len];
                            buf.get(back);
                            assertArrayEquals(data, back);
                        }
                        return mine;
                    }));
                }
                for (int t = 0; t < threads; t++) {
                    assertArrayEquals(results.get(t).get(), readAll(d, (long) t * region, region), "region " + t);
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void requestsOutsideTheDiskAreRefusedAndNeverGrowTheFile() throws IOException {
        final Path p = image("bounds.img", 8192);
        try (FileDisk d = FileDisk.open(p, false)) {
            assertThrows(IOException.class, () -> d.write(8190, ByteBuffer.allocate(4)));
            assertThrows(IOException.class, () -> d.read(8192, ByteBuffer.allocate(1)));
            assertThrows(IOException.class, () -> d.read(-1, ByteBuffer.allocate(1)));
            assertThrows(IOException.class, () -> d.writeZeroes(4096, Long.MAX_VALUE, false));
            assertThrows(IOException.class, () -> d.discard(Long.MAX_VALUE, 1));
            d.read(8192, ByteBuffer.allocate(0));
            d.write(8188, ByteBuffer.allocate(4));
        }
        assertEquals(8192, Files.size(p));
    }

    @Test
    void aReadOnlyDiskRefusesEveryChangeWithAnIoException() throws IOException {
        final Path p = fullImage("ro.img", 64 * 1024, 2);
        final byte[] before = Files.readAllBytes(p);
        try (FileDisk d = FileDisk.open(p, true)) {
            assertTrue(d.readOnly());
            assertArrayEquals(Arrays.copyOfRange(before, 100, 600), readAll(d, 100, 500));
            final IOException w = assertThrows(IOException.class, () -> d.write(0, ByteBuffer.allocate(512)));
            assertEquals(p + " is read-only", w.getMessage());
            assertThrows(IOException.class, () -> d.discard(0, 4096));
            assertThrows(IOException.class, () -> d.writeZeroes(0, 4096, false));
            assertThrows(IOException.class, () -> d.writeZeroes(0, 2 * MIB, true));
            d.flush();
            assertEquals("read-only", d.punchStatus());
        }
        assertArrayEquals(before, Files.readAllBytes(p));
    }

    @Test
    void aFileThatIsNotWholeSectorsIsRefusedWithItsNameAndSize() throws IOException {
        final Path odd = tmp.resolve("odd.img");
        Files.write(odd, new byte[1000]);
        final IOException e = assertThrows(IOException.class, () -> FileDisk.open(odd, false));
        assertEquals(odd + ": size 1000 bytes is not a multiple of 512 (the sector size); 'truncate -s %512 " + odd
                + "' pads it with zeros", e.getMessage());
        final Path empty = tmp.resolve("empty.img");
        Files.write(empty, new byte[0]);
        assertTrue(assertThrows(IOException.class, () -> FileDisk.open(empty, true)).getMessage()
                .startsWith(empty + ": the image is empty"));
        assertTrue(assertThrows(IOException.class, () -> FileDisk.open(tmp, true)).getMessage()
                .endsWith(": not a regular file (a disk is a raw image file)"));
        assertThrows(NoSuchFileException.class, () -> FileDisk.open(tmp.resolve("missing.img"), false));
        // a refused open holds nothing: the files open read-write afterwards
        Files.write(odd, new byte[1024]);
        FileDisk.open(odd, false).close();
    }

    @Test
    void theIdIsTheFileNameCutToTwentyPrintableAsciiBytes() throws IOException {
        assertEquals("debian-root.img", FileDisk.idFromFileName(Path.of("/x/debian-root.img")));
        assertEquals("a-very-long-disk-ima", FileDisk.idFromFileName(Path.of("a-very-long-disk-image-name.img")));
        assertEquals("d_sque_.img", FileDisk.idFromFileName(Path.of("d\u00efsque\n.img")));
        final Path p = image("with-id.img", 4096);
        try (FileDisk d = FileDisk.open(p, true)) {
            assertEquals("with-id.img", d.id());
        }
        try (FileDisk d = FileDisk.open(p, true, "serial-0001")) {
            assertEquals("serial-0001", d.id());
        }
        assertThrows(IllegalArgumentException.class, () -> FileDisk.open(p, true, "123456789012345678901"));
        assertThrows(IllegalArgumentException.class, () -> FileDisk.open(p, true, "caf\u00e9"));
        FileDisk.open(p, false).close();
    }

    @Test
    void aClosedDiskRefusesRequests() throws IOException {
        final FileDisk d = FileDisk.open(image("closed.img", 4096), false);
        d.close();
        d.close();
        assertThrows(IOException.class, () -> d.read(0, ByteBuffer.allocate(1)));
        assertThrows(IOException.class, () -> d.write(0, ByteBuffer.allocate(1)));
        assertThrows(IOException.class, d::flush);
    }

    @Test
    void createMakesASparseImageAndRefusesWhatItShould() throws IOException {
        final Path p = tmp.resolve("sparse.img");
        assertEquals(1L << 30, FileDisk.create(p, 1L << 30, false));
        assertEquals(1L << 30, Files.size(p));
        final OptionalLong used = FileDiskHoles.allocatedBytes(p);
        Assumptions.assumeTrue(used.isPresent(), "no 'stat' tool to count allocated blocks");
        assertTrue(used.getAsLong() <= 64 * 1024, "a new 1 GiB image takes " + used.getAsLong() + " bytes");

        assertThrows(FileAlreadyExistsException.class, () -> FileDisk.create(p, 4096, false));
        assertEquals(1L << 30, Files.size(p), "a refused create leaves the file alone");
        assertEquals(1024, FileDisk.create(p, 1000, true), "rounded up to whole sectors");
        assertEquals(1024, Files.size(p));
        assertThrows(IllegalArgumentException.class, () -> FileDisk.create(tmp.resolve("z.img"), 0, false));
        assertThrows(IllegalArgumentException.class, () -> FileDisk.create(tmp.resolve("z.img"), -512, false));
        assertFalse(Files.exists(tmp.resolve("z.img")));
        final NoSuchFileException e = assertThrows(NoSuchFileException.class,
                () -> FileDisk.create(tmp.resolve("no/such/dir/d.img"), 4096, false));
        assertEquals(tmp.resolve("no/such/dir").toString(), e.getFile());
        assertEquals("no such directory", e.getReason());
        assertThrows(NotDirectoryException.class, () -> FileDisk.create(p.resolve("d.img"), 4096, false));
    }

    @Test
    void overwritingWithForceZeroesAndFreesTheOldContents() throws IOException {
        final Path p = fullImage("old.img", 2 * MIB, 3);
        assertEquals(MIB, FileDisk.create(p, MIB, true));
        try (FileDisk d = FileDisk.open(p, true)) {
            assertTrue(allZero(readAll(d, 0, MIB), 0, MIB));
        }
        final OptionalLong used = FileDiskHoles.allocatedBytes(p);
        Assumptions.assumeTrue(used.isPresent(), "no 'stat' tool to count allocated blocks");
        assertTrue(used.getAsLong() <= 64 * 1024, used.getAsLong() + " bytes still allocated");
    }

    @Test
    void writeZeroesWithoutUnmapWritesZerosAndKeepsTheBlocks() throws IOException {
        final Path p = fullImage("wz.img", 8 * MIB, 4);
        final byte[] before = Files.readAllBytes(p);
        try (FileDisk d = FileDisk.open(p, false)) {
            d.writeZeroes(MIB + 3, 5 * MIB + 1000, false);
            d.flush();
            final byte[] after = readAll(d, 0, 8 * MIB);
            assertArrayEquals(Arrays.copyOf(before, MIB + 3), Arrays.copyOf(after, MIB + 3));
            assertTrue(allZero(after, MIB + 3, 6 * MIB + 1003));
            assertArrayEquals(Arrays.copyOfRange(before, 6 * MIB + 1003, 8 * MIB),
                    Arrays.copyOfRange(after, 6 * MIB + 1003, 8 * MIB));
            assertEquals(5 * MIB + 1000, d.bytesZeroed());
            assertEquals(0, d.holesPunched());
        }
    }

    @Test
    void discardAndWriteZeroesWithUnmapPunchHolesAndReadAsZeros() throws IOException {
        Assumptions.assumeTrue(FileDiskHoles.tool().isPresent(), "no fallocate tool (util-linux) on this host");
        final Path p = fullImage("punch.img", 16 * MIB, 5);
        final byte[] before = Files.readAllBytes(p);
        final OptionalLong full = FileDiskHoles.allocatedBytes(p);
        try (FileDisk d = FileDisk.open(p, false)) {
            d.discard(MIB + 100, 4 * MIB);               // unaligned: the kernel zeroes the partial blocks
            d.writeZeroes(8 * MIB, 6 * MIB, true);
            d.discard(15 * MIB, 4096);                    // below the punch threshold: written as zeros
            Assumptions.assumeTrue(d.holesPunched() == 2,
                    "this file system cannot punch holes: " + d.punchStatus());
            assertEquals(10 * MIB, d.bytesPunched());
            assertEquals(4096, d.bytesZeroed());
            assertTrue(d.punchStatus().startsWith("punching holes with "), d.punchStatus());
            d.flush();
            final byte[] after = readAll(d, 0, 16 * MIB);
            for (int i = 0; i < after.length; i++) {
                final boolean zeroed = i >= MIB + 100 && i < 5 * MIB + 100 || i >= 8 * MIB && i < 14 * MIB
                        || i >= 15 * MIB && i < 15 * MIB + 4096;
                if (zeroed ? after[i] != 0 : after[i] != before[i]) {
                    throw new AssertionError("byte " + i + " is " + after[i] + (zeroed ? ", not zero" : ", changed"));
                }
            }
            // a hole takes a write like any other byte of the disk
            d.write(9 * MIB + 1, ByteBuffer.wrap(new byte[] {7, 8, 9}));
            assertArrayEquals(new byte[] {0, 7, 8, 9, 0}, readAll(d, 9 * MIB, 5));
        }
        assertEquals(16 * MIB, Files.size(p), "punching keeps the size");
        final OptionalLong used = FileDiskHoles.allocatedBytes(p);
        Assumptions.assumeTrue(full.isPresent() && used.isPresent(), "no 'stat' tool to count allocated blocks");
        assertTrue(full.getAsLong() - used.getAsLong() >= 9 * MIB,
                "allocated " + full.getAsLong() + " bytes before, " + used.getAsLong() + " after");
    }

    @Test
    void whenTheImageIsRenamedPunchingStopsAndZerosAreWrittenInstead() throws IOException {
        final Path p = fullImage("moved.img", 4 * MIB, 6);
        try (FileDisk d = FileDisk.open(p, false)) {
            Files.move(p, tmp.resolve("moved-away.img"));
            d.discard(0, 2 * MIB);
            assertEquals(0, d.holesPunched());
            assertEquals(2 * MIB, d.bytesZeroed());
            assertTrue(allZero(readAll(d, 0, 2 * MIB), 0, 2 * MIB));
            assertTrue(d.punchStatus().startsWith("writing zeros ("), d.punchStatus());
        }
    }

    @Test
    void aFailingOrMissingToolTurnsPunchingOffWithTheReason() throws IOException {
        final Path p = fullImage("tool.img", 64 * 1024, 7);
        final java.util.Map<String, Object> u = Files.readAttributes(p, "unix:dev,ino");
        final long dev = ((Number) u.get("dev")).longValue();
        final long ino = ((Number) u.get("ino")).longValue();
        final Path falseTool = Path.of("/bin/false");
        Assumptions.assumeTrue(Files.isExecutable(falseTool), "no /bin/false");
        final FileDiskHoles failing = FileDiskHoles.withTool(falseTool, p, dev, ino);
        assertFalse(failing.punch(0, 4096));
        assertEquals("/bin/false exited with status 1", failing.disabledReason());
        assertFalse(failing.punch(0, 4096), "stays off");
        final FileDiskHoles missing = FileDiskHoles.withTool(tmp.resolve("no-such-tool"), p, dev, ino);
        assertFalse(missing.punch(0, 4096));
        assertTrue(missing.disabledReason().startsWith(tmp.resolve("no-such-tool").toString()),
                missing.disabledReason());
    }

    @Test
    void aFullHostDiskSurfacesAsIoExceptionOnWrite() throws IOException {
        final Path full = Path.of("/dev/full");
        Assumptions.assumeTrue(Files.isWritable(full), "no /dev/full on this host");
        try (FileDisk d = FileDisk.overChannel(full, FileChannel.open(full, StandardOpenOption.READ,
                StandardOpenOption.WRITE), 1 << 20, false)) {
            final IOException e = assertThrows(IOException.class,
                    () -> d.write(4096, ByteBuffer.allocateDirect(4096)));
            assertEquals("No space left on device", e.getMessage());
            assertThrows(IOException.class, () -> d.writeZeroes(0, 8192, false));
            assertThrows(IOException.class, () -> d.discard(0, MIB));
        }
    }

    /**
     * A real full file system: a 2 MiB tmpfs (needs root, or the test is skipped) holding an 8 MiB sparse image.
     * Writes fail with IOException once it is full, and discarding frees space that the next write can use.
     */
    @Test
    void aFullTmpfsFailsWritesWithIoExceptionAndDiscardGivesSpaceBack() throws Exception {
        final Path mnt = Files.createDirectory(tmp.resolve("mnt"));
        final String why = run("mount", "-t", "tmpfs", "-o", "size=2m", "sublet-test", mnt.toString());
        Assumptions.assumeTrue(why == null, "cannot mount a small tmpfs (needs root): " + why);
        try {
            final Path p = mnt.resolve("full.img");
            FileDisk.create(p, 8 * MIB, false);
            try (FileDisk d = FileDisk.open(p, false)) {
                final ByteBuffer chunk = ByteBuffer.allocateDirect(64 * 1024);
                long written = 0;
                IOException full = null;
                while (written < 8 * MIB) {
                    try {
                        d.write(written, chunk.clear());
                        written += chunk.capacity();
                    } catch (IOException e) {
                        full = e;
                        break;
                    }
                }
                assertTrue(full != null, "8 MiB fitted in a 2 MiB file system");
                assertEquals("No space left on device", full.getMessage());
                assertTrue(written >= MIB && written <= 2 * MIB, written + " bytes written");
                if (FileDiskHoles.tool().isPresent()) {
                    d.discard(0, MIB);
                    assertEquals(1, d.holesPunched(), d.punchStatus());
                    d.write(written, chunk.clear());
                }
                d.flush();
            }
        } finally {
            assertEquals(null, run("umount", mnt.toString()));
        }
    }

    /** Runs a command; null if it succeeded, else what went wrong. */
    private static String run(final String... cmd) throws InterruptedException {
        try {
            final Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            final String out = new String(p.getInputStream().readAllBytes()).strip();
            final int status = p.waitFor();
            return status == 0 ? null : String.join(" ", cmd) + ": status " + status + ": " + out;
        } catch (IOException e) {
            return e.getMessage();
        }
    }
}
