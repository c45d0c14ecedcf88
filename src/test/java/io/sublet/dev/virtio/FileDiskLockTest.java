package io.sublet.dev.virtio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One writer or many readers per image, in this JVM and across processes; a lock dies with its process. The other
 * processes are JVMs running {@link FileDiskChild}, driven line by line, so no test waits on a clock.
 */
class FileDiskLockTest {
    @TempDir
    Path tmp;

    private Path disk;

    @BeforeEach
    void makeDisk() throws IOException {
        disk = tmp.resolve("disk.img");
        FileDisk.create(disk, 1 << 20, false);
    }

    private static FileDiskChildJvm hold(final Path file, final String mode) throws IOException {
        return FileDiskChildJvm.start(FileDiskChild.class, "hold", file.toString(), mode);
    }

    private String inThisProcess(final String extra) {
        return disk + " is in use by another VM (already open in this process" + extra + ")";
    }

    @Test
    void aSecondWriterInThisProcessIsRefused() throws IOException {
        try (FileDisk first = FileDisk.open(disk, false)) {
            DiskLockedException e = assertThrows(DiskLockedException.class, () -> FileDisk.open(disk, false));
            assertEquals(inThisProcess(""), e.getMessage());
            assertTrue(e.inThisProcess());
            e = assertThrows(DiskLockedException.class, () -> FileDisk.open(disk, true));
            assertEquals(inThisProcess(""), e.getMessage());
            assertEquals(DiskLocks.State.HERE_READ_WRITE, DiskLocks.probe(disk));
            first.write(0, ByteBuffer.wrap(new byte[] {1}));
        }
        FileDisk.open(disk, false).close();
    }

    @Test
    void anotherNameForTheSameFileIsTheSameDisk() throws IOException {
        final Path link = tmp.resolve("link.img");
        Files.createSymbolicLink(link, disk);
        final Path hard = tmp.resolve("hard.img");
        Files.createLink(hard, disk);
        try (FileDisk d = FileDisk.open(disk, false)) {
            assertThrows(DiskLockedException.class, () -> FileDisk.open(link, false));
            assertThrows(DiskLockedException.class, () -> FileDisk.open(hard, true));
        }
    }

    @Test
    void readersShareAndExcludeAWriter() throws IOException {
        final FileDisk a = FileDisk.open(disk, true);
        final FileDisk b = FileDisk.open(disk, true);
        assertEquals(inThisProcess(", read-only"),
                assertThrows(DiskLockedException.class, () -> FileDisk.open(disk, false)).getMessage());
        assertEquals(DiskLocks.State.HERE_READ_ONLY, DiskLocks.probe(disk));
        a.close();
        assertThrows(DiskLockedException.class, () -> FileDisk.open(disk, false));
        final ByteBuffer one = ByteBuffer.allocate(1);
        b.read(0, one);
        assertFalse(one.hasRemaining(), "closing one reader leaves the other's file open");
        b.close();
        FileDisk.open(disk, false).close();
    }

    @Test
    void aWriterInAnotherProcessExcludesEveryoneAndIsNamed() throws Exception {
        try (FileDiskChildJvm child = hold(disk, "rw")) {
            assertEquals("open", child.expect("open", "refused "));
            final String expected = disk + " is in use by another VM (locked by another process, pid " + child.pid()
                    + ")";
            DiskLockedException e = assertThrows(DiskLockedException.class, () -> FileDisk.open(disk, false));
            assertEquals(expected, e.getMessage());
            assertFalse(e.inThisProcess());
            e = assertThrows(DiskLockedException.class, () -> FileDisk.open(disk, true));
            assertEquals(expected, e.getMessage());
            assertEquals(DiskLocks.State.WRITER, DiskLocks.probe(disk));
            assertEquals(List.of(child.pid()), DiskLocks.holderPids(disk));
            assertThrows(DiskLockedException.class, () -> FileDisk.create(disk, 4096, true),
                    "--force never overwrites a disk in use");
            assertEquals(1 << 20, Files.size(disk));

            child.send("close");
            child.expect("closed");
            assertEquals(0, child.waitFor());
        }
        assertEquals(DiskLocks.State.FREE, DiskLocks.probe(disk));
        FileDisk.open(disk, false).close();
    }

    @Test
    void readersInTwoProcessesShareAndKeepAWriterOut() throws Exception {
        try (FileDiskChildJvm child = hold(disk, "ro")) {
            assertEquals("open", child.expect("open", "refused "));
            assertEquals(DiskLocks.State.READERS, DiskLocks.probe(disk));
            try (FileDisk mine = FileDisk.open(disk, true)) {
                assertTrue(mine.readOnly());
                assertThrows(DiskLockedException.class, () -> FileDisk.open(disk, false));
            }
            final DiskLockedException e = assertThrows(DiskLockedException.class, () -> FileDisk.open(disk, false));
            assertEquals(disk + " is in use by another VM (locked by another process, pid " + child.pid() + ")",
                    e.getMessage());
        }
    }

    @Test
    void aDiskOpenHereIsRefusedToAnotherProcess() throws Exception {
        try (FileDisk mine = FileDisk.open(disk, false)) {
            assertEquals(DiskLocks.State.HERE_READ_WRITE, DiskLocks.probe(disk));
            try (FileDiskChildJvm child = hold(disk, "ro")) {
                final String line = child.expect("refused ", "open");
                assertEquals("refused " + disk + " is in use by another VM (locked by another process, pid "
                        + ProcessHandle.current().pid() + ")", line);
            }
        }
        // read-only here, read-only there: shared; read-write there: refused, and the probe above did not let go
        try (FileDisk mine = FileDisk.open(disk, true)) {
            try (FileDiskChildJvm reader = hold(disk, "ro")) {
                assertEquals("open", reader.expect("open", "refused "));
            }
            try (FileDiskChildJvm writer = hold(disk, "rw")) {
                assertTrue(writer.expect("refused ", "open").startsWith("refused "));
            }
        }
    }

    /** The crash case from issue 5: kill -9 the holder, and the disk opens at once, with nothing to clean up. */
    @Test
    void aLockHeldByAKilledProcessIsReleased() throws Exception {
        final FileDiskChildJvm child = hold(disk, "rw");
        try {
            assertEquals("open", child.expect("open", "refused "));
            assertThrows(DiskLockedException.class, () -> FileDisk.open(disk, false));
            child.kill();
        } finally {
            child.close();
        }
        try (FileDisk d = FileDisk.open(disk, false)) {
            d.write(0, ByteBuffer.wrap(new byte[] {42}));
        }
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(List.of(disk), s.collect(Collectors.toList()), "no lock files");
        }
    }

    @Test
    void aPendingInterruptNeitherFailsARequestNorLosesTheLock() throws Exception {
        try (FileDisk d = FileDisk.open(disk, false)) {
            Thread.currentThread().interrupt();
            d.write(512, ByteBuffer.wrap(new byte[] {5, 6}));
            assertTrue(Thread.interrupted(), "the interrupt is kept for the caller");
            Thread.currentThread().interrupt();
            d.flush();
            final ByteBuffer b = ByteBuffer.allocate(2);
            d.read(512, b);
            assertTrue(Thread.interrupted());
            assertEquals(5, b.get(0));
            assertTrue(d.channel().isOpen());
            try (FileDiskChildJvm child = hold(disk, "rw")) {
                assertTrue(child.expect("refused ", "open").startsWith("refused "));
            }
        }
    }

    /** Interrupts a FileChannel operation, which closes the channel and drops the process's lock. */
    private static void closeByInterrupt(final FileDisk d) {
        final java.nio.channels.FileChannel ch = d.channel();
        Thread.currentThread().interrupt();
        assertThrows(java.nio.channels.ClosedByInterruptException.class, () -> ch.read(ByteBuffer.allocate(1), 0));
        assertTrue(Thread.interrupted());
        assertFalse(ch.isOpen());
    }

    @Test
    void aChannelClosedByAnInterruptIsReopenedAndRelocked() throws Exception {
        try (FileDisk d = FileDisk.open(disk, false)) {
            closeByInterrupt(d);
            d.write(1000, ByteBuffer.wrap(new byte[] {9}));
            assertTrue(d.channel().isOpen());
            final ByteBuffer b = ByteBuffer.allocate(1);
            d.read(1000, b);
            assertEquals(9, b.get(0));
            try (FileDiskChildJvm child = hold(disk, "ro")) {
                assertEquals("refused " + disk + " is in use by another VM (locked by another process, pid "
                        + ProcessHandle.current().pid() + ")", child.expect("refused ", "open"));
            }
        }
        FileDisk.open(disk, false).close();
    }

    @Test
    void whenAnotherProcessTakesTheLockInTheGapTheDiskFailsForGood() throws Exception {
        final FileDisk d = FileDisk.open(disk, false);
        try {
            closeByInterrupt(d);
            try (FileDiskChildJvm thief = hold(disk, "rw")) {
                assertEquals("open", thief.expect("open", "refused "));
                final IOException e = assertThrows(IOException.class, () -> d.write(0, ByteBuffer.allocate(1)));
                assertEquals(disk + ": an interrupt closed the image file and reopening it failed: another process "
                        + "(pid " + thief.pid() + ") took its lock", e.getMessage());
                assertThrows(IOException.class, () -> d.read(0, ByteBuffer.allocate(1)));
                assertThrows(IOException.class, d::flush);
            }
        } finally {
            d.close();
        }
    }
}
