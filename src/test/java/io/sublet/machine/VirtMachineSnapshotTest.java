package io.sublet.machine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sublet.cpu.HartState;
import io.sublet.machine.snapshot.SnapshotException;
import io.sublet.machine.snapshot.SnapshotFile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Snapshot and restore of a whole virt machine running a deterministic program: the restored machine
 * continues exactly as the original does, and a snapshot of it is the same snapshot again.
 */
class VirtMachineSnapshotTest {
    private static final long RAM = 16L << 20;

    @TempDir
    Path dir;

    private VirtConfig config() throws IOException {
        return new VirtConfig(RAM, SnapshotKernels.counter(dir), null, null, null, null, true);
    }

    private static void steps(VirtMachine m, int instructions) {
        for (int done = 0; done < instructions; ) {
            done += m.hart().run(Math.min(4096, instructions - done));
            m.uart().update();
            m.consoleOutput().drain(); // no run loop, so no console writer: the test drains it
        }
    }

    private static void close(VirtMachine m) {
        m.requestStop(ExitReason.quit());
        m.run();
    }

    /**
     * Snapshot, restore, snapshot: the same state but for the named fields — the host clocks (CLINT mtime, RTC
     * time) and the generation ID, which every restore changes on purpose — and byte-identical memory.
     */
    @Test
    void aRestoredMachineSnapshotsToTheSameStateAndResumesExactly() throws Exception {
        for (boolean lazy : new boolean[] {true, false}) {
            final ByteArrayOutputStream out1 = new ByteArrayOutputStream();
            final VirtMachine original = new VirtMachine(config(), out1);
            steps(original, 300_000);
            final Path first = dir.resolve("first-" + lazy + ".snap");
            final SnapshotFile.Written w = original.saveSnapshot(first);
            assertTrue(w.zeroPages() > w.storedPages(), "zero pages are skipped: " + w);

            final ByteArrayOutputStream out2 = new ByteArrayOutputStream();
            final VirtMachine restored = VirtMachine.restore(first, out2, false, lazy);
            final Path second = dir.resolve("second-" + lazy + ".snap");
            restored.saveSnapshot(second);
            assertEquals(withoutClocks(first), withoutClocks(second), "state sections differ beyond the clocks");
            assertArrayEquals(memory(first), memory(second), "memory sections differ");
            final MachineState before = MachineStateCodec.decode(SnapshotFile.open(first).state());
            final MachineState after = MachineStateCodec.decode(SnapshotFile.open(second).state());
            assertTrue(!java.util.Arrays.equals(before.vmGenId().id(), after.vmGenId().id()) && after.vmGenId().pending(),
                    "the restored copy has a new generation ID, its interrupt pending for the guest");

            final int printedBefore = out1.size();
            steps(original, 500_000);
            steps(restored, 500_000);
            assertHartsEqual(original.hart().save(), restored.hart().save());
            assertEquals(out1.toString().substring(printedBefore), out2.toString(),
                    "the restored machine prints what the original printed after the snapshot");
            assertTrue(out2.size() > 20, "the program kept printing: " + out2);
            close(original);
            close(restored);
        }
    }

    private static String withoutClocks(Path file) throws SnapshotException {
        final MachineState s = MachineStateCodec.decode(SnapshotFile.open(file).state());
        final MachineState masked = new MachineState(s.config(), s.rom(), s.dtb(), s.dtbAddress(), s.hart(),
                new io.sublet.dev.Clint.State(0, s.clint().mtimecmp(), s.clint().msip()), s.plic(), s.uart(),
                new io.sublet.dev.GoldfishRtc.State(0, s.rtc().timeHighLatch(), s.rtc().alarmNext(), s.rtc().alarm(),
                        s.rtc().armed(), s.rtc().irqEnabled(), s.rtc().pending()),
                new io.sublet.dev.VmGenId.State(new byte[16], false), s.virtio(), s.disks());
        return java.util.HexFormat.of().formatHex(MachineStateCodec.encode(masked));
    }

    private static byte[] memory(Path file) throws SnapshotException {
        final SnapshotFile f = SnapshotFile.open(file);
        final ByteBuffer b = ByteBuffer.allocateDirect((int) f.memoryLength());
        f.readMemory(b);
        final byte[] a = new byte[b.capacity()];
        b.get(0, a);
        return a;
    }

    private static void assertHartsEqual(HartState a, HartState b) {
        assertArrayEquals(a.x(), b.x(), "integer registers");
        assertArrayEquals(a.f(), b.f(), "FP registers");
        assertEquals(a.pc(), b.pc(), "pc");
        assertEquals(a.retiredTotal(), b.retiredTotal(), "retired instructions");
        assertEquals(a.minstret(), b.minstret(), "minstret");
        assertEquals(a.mstatus(), b.mstatus(), "mstatus");
    }

    @Test
    void aSnapshotIsReplacedAtomicallyAndAFailedWriteKeepsThePreviousOne() throws Exception {
        final VirtMachine m = new VirtMachine(config(), new ByteArrayOutputStream());
        steps(m, 10_000);
        final Path file = dir.resolve("vm.snap");
        m.saveSnapshot(file);
        final byte[] before = Files.readAllBytes(file);
        steps(m, 10_000);
        m.saveSnapshot(file);
        assertNotEquals(SnapshotFile.open(file).created() == 0, true);
        try (var files = Files.list(dir)) {
            assertEquals(List.of(), files.filter(p -> p.getFileName().toString().contains(".tmp-")).toList(),
                    "no temporary files are left behind");
        }
        assertThrows(IOException.class, () -> m.saveSnapshot(dir.resolve("no-such-dir").resolve("x.snap")));
        assertTrue(before.length > 0);
        close(m);
    }

    @Test
    void aDiskThatChangedAfterTheSnapshotIsRefusedUnlessForced() throws Exception {
        final Path disk = dir.resolve("disk.img");
        Files.write(disk, new byte[1 << 20]);
        final VirtMachine m = new VirtMachine(config().withDisks(List.of(new DiskSpec(disk, false))),
                new ByteArrayOutputStream());
        steps(m, 10_000);
        final Path file = dir.resolve("disk.snap");
        m.saveSnapshot(file);
        close(m);

        final VirtMachine same = VirtMachine.restore(file, new ByteArrayOutputStream(), false, true);
        close(same);

        Thread.sleep(20); // a later mtime even on coarse clocks
        try (RandomAccessFile raf = new RandomAccessFile(disk.toFile(), "rw")) {
            raf.seek(4096);
            raf.write(42);
        }
        final SnapshotException e = assertThrows(SnapshotException.class,
                () -> VirtMachine.restore(file, new ByteArrayOutputStream(), false, true));
        assertTrue(e.getMessage().contains("modified after the snapshot"), e.getMessage());
        final VirtMachine forced = VirtMachine.restore(file, new ByteArrayOutputStream(), true, true);
        close(forced);
    }

    @Test
    void aRestoreIntoTheRunningLoopReplacesTheMachineAndKeepsItsDisks() throws Exception {
        final Path disk = dir.resolve("loop.img");
        Files.write(disk, new byte[1 << 20]);
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final VirtMachine m = new VirtMachine(config().withDisks(List.of(new DiskSpec(disk, false))), out);
        final Thread t = new Thread(m::run, "snapshot-loop");
        t.start();
        final Path file = dir.resolve("loop.snap");
        m.saveSnapshot(file); // from this thread while the loop runs: done between two slices
        assertThrows(SnapshotException.class, () -> m.loadSnapshot(dir.resolve("missing.snap"), false));
        assertTrue(t.isAlive(), "a failed loadvm leaves the machine running");
        final VirtMachine next = m.loadSnapshot(file, false);
        t.join(60_000);
        assertEquals(next, m.successor());
        final Thread t2 = new Thread(next::run, "snapshot-loop-2");
        t2.start();
        next.saveSnapshot(dir.resolve("after.snap"));
        next.requestStop(ExitReason.quit());
        t2.join(60_000);
        assertTrue(!t2.isAlive());
    }

    @Test
    void aPausedMachineCanBeSnapshottedAndStaysPaused() throws Exception {
        final VirtMachine m = new VirtMachine(config(), new ByteArrayOutputStream());
        final Thread t = new Thread(m::run, "snapshot-paused");
        t.start();
        try {
            assertTrue(m.pause(60_000), "the loop parked");
            final long before = m.hart().retiredTotal();
            m.saveSnapshot(dir.resolve("paused.snap")); // the parked loop runs it
            assertTrue(m.paused(), "still paused after the snapshot");
            assertEquals(before, m.hart().retiredTotal(), "no instruction ran meanwhile");
            assertEquals(before, MachineStateCodec.decode(SnapshotFile.open(dir.resolve("paused.snap")).state())
                    .hart().retiredTotal());
            m.resume();
        } finally {
            m.requestStop(ExitReason.quit());
            t.join(60_000);
        }
    }
}
