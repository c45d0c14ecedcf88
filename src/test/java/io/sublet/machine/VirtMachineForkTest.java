package io.sublet.machine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sublet.cpu.HartState;
import io.sublet.dev.virtio.BlockBackend;
import io.sublet.dev.virtio.Qcow2Disk;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Forking a machine: both go on from the same instant, with memory and disks of their own from then on. */
class VirtMachineForkTest {
    @TempDir
    Path dir;

    private static void steps(VirtMachine m, int instructions) {
        for (int done = 0; done < instructions; ) {
            done += m.hart().run(Math.min(4096, instructions - done));
            m.uart().update();
            m.consoleOutput().drain(); // no run loop, so no console writer: the test drains it
        }
    }

    private static byte[] read(BlockBackend d, long at, int n) throws Exception {
        final ByteBuffer b = ByteBuffer.allocate(n);
        d.read(at, b);
        return b.array();
    }

    @Test
    void aCloneGoesOnFromTheSameInstantWithDisksOfItsOwn() throws Exception {
        final Path image = dir.resolve("shared.img");
        final byte[] original = new byte[1 << 20];
        new Random(3).nextBytes(original);
        Files.write(image, original);
        final ByteArrayOutputStream parentOut = new ByteArrayOutputStream();
        final VirtMachine parent = new VirtMachine(new VirtConfig(16L << 20, SnapshotKernels.counter(dir), null, null,
                null, null, true).withDisks(List.of(new DiskSpec(image, false))), parentOut);
        steps(parent, 200_000);
        final int printed = parentOut.size();

        final ByteArrayOutputStream cloneOut = new ByteArrayOutputStream();
        final VirtMachine clone = parent.fork(dir, "twin", cloneOut);

        steps(parent, 300_000);
        steps(clone, 300_000);
        final HartState a = parent.hart().save();
        final HartState b = clone.hart().save();
        assertArrayEquals(a.x(), b.x(), "the same program state");
        assertEquals(a.pc(), b.pc());
        assertEquals(parentOut.toString().substring(printed), cloneOut.toString(), "the same output after the fork");

        final BlockBackend mine = parent.disks().get(0);
        final BlockBackend theirs = clone.disks().get(0);
        assertInstanceOf(Qcow2Disk.class, mine);
        assertEquals(dir.resolve("twin-parent-disk0.qcow2"), ((Qcow2Disk) mine).path());
        assertEquals(dir.resolve("twin-disk0.qcow2"), ((Qcow2Disk) theirs).path());
        assertEquals("shared.img", mine.id(), "the parent's guest sees the same disk serial as before");
        assertEquals("twin-disk0.qcow2", theirs.id(), "the clone's guest sees a new serial");

        mine.write(4096, ByteBuffer.wrap(new byte[4096]));
        assertArrayEquals(java.util.Arrays.copyOfRange(original, 4096, 8192), read(theirs, 4096, 4096),
                "the parent's writes do not reach the clone");
        theirs.write(0, ByteBuffer.wrap(new byte[512]));
        assertArrayEquals(java.util.Arrays.copyOfRange(original, 0, 512), read(mine, 0, 512),
                "the clone's writes do not reach the parent");

        parent.requestStop(ExitReason.quit());
        parent.run();
        clone.requestStop(ExitReason.quit());
        clone.run();
        assertArrayEquals(original, Files.readAllBytes(image), "the image both overlays share is never written");
    }

    @Test
    void aCloneNeedsANewPlainName() throws Exception {
        final VirtMachine m = new VirtMachine(new VirtConfig(16L << 20, SnapshotKernels.counter(dir), null, null,
                null, null, true), new ByteArrayOutputStream());
        assertThrows(IllegalArgumentException.class, () -> m.fork(dir, "../x", new ByteArrayOutputStream()));
        final VirtMachine first = m.fork(dir, "one", new ByteArrayOutputStream());
        assertThrows(java.io.IOException.class, () -> m.fork(dir, "one", new ByteArrayOutputStream()));
        first.requestStop(ExitReason.quit());
        first.run();
        m.requestStop(ExitReason.quit());
        m.run();
    }
}
