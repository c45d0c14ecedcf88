package io.sublet.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sublet.boot.image.DebianImage;
import io.sublet.boot.image.GuestImage;
import io.sublet.boot.image.ImageException;
import io.sublet.boot.image.Progress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Markers the guest prints are computed by its shell ({@code $((6*7))}) so that the terminal's echo
 * of the typed command can never be mistaken for the command's output.
 *
 * <p>A real disk for the Debian guest: an ext4 image made on the host is attached with virtio-blk,
 * mounted and read in the guest, written, synced, and the new file is read back on the host.
 */
class LinuxDiskTest {
    private static final Duration BOOT = Duration.ofMinutes(5);
    private static final Duration COMMAND = Duration.ofMinutes(1);

    @TempDir
    Path dir;

    private static GuestImage image() {
        try {
            return DebianImage.ensure(DebianImage.defaultHome(), Progress.SILENT);
        } catch (ImageException e) {
            Assumptions.abort("the Debian image cannot be pulled here (" + e.getMessage() + ")");
            return null;
        }
    }

    /** Boots with the disk attached, runs the shell lines in order, and powers off; returns the transcript. */
    private String session(Path disk, boolean readOnly, String... lines) throws Exception {
        return session(List.of(new DiskSpec(disk, readOnly)), lines);
    }

    private String session(List<DiskSpec> disks, String... lines) throws Exception {
        final GuestImage image = image();
        final GuestConsole console = new GuestConsole();
        final VirtConfig config = new VirtConfig(512L << 20, image.kernel(), image.initrd(), null, null, null, false)
                .withDisks(disks);
        final VirtMachine machine = new VirtMachine(config, console);
        final AtomicReference<ExitReason> exit = new AtomicReference<>();
        final Thread runner = new Thread(() -> exit.set(machine.run()), "linux-disk-test");
        runner.start();
        try {
            console.waitFor("Run /init as init process", BOOT);
            console.waitFor("# ", BOOT);
            for (String line : lines) {
                machine.uart().receive((line + "\n").getBytes(StandardCharsets.US_ASCII));
                console.waitFor("# ", COMMAND);
            }
            machine.uart().receive("poweroff\n".getBytes(StandardCharsets.US_ASCII));
            runner.join(COMMAND.toMillis());
            assertEquals(ExitReason.Kind.POWER_OFF, exit.get() == null ? null : exit.get().kind(), console.transcript());
            return console.transcript();
        } finally {
            machine.requestStop(ExitReason.quit());
            runner.join();
        }
    }

    @Test
    void theGuestMountsAHostMadeExt4DiskReadsItAndWritesBack() throws Exception {
        final Path content = Files.createDirectory(dir.resolve("content"));
        Files.writeString(content.resolve("hello.txt"), "hello from the host\n");
        final Path disk = HostTools.ext4(dir.resolve("disk.img"), content, 64);
        // The same boot also gets vdb: a qcow2 overlay over a second ext4 image, which must stay untouched.
        final Path base = HostTools.ext4(dir.resolve("base.img"), content, 32);
        final byte[] baseBefore = Files.readAllBytes(base);
        final Path overlay = dir.resolve("overlay.qcow2");
        io.sublet.dev.virtio.Qcow2Disk.create(overlay, Files.size(base), Path.of("base.img"),
                io.sublet.dev.virtio.Qcow2Disk.DEFAULT_CLUSTER_BITS);

        final String transcript = session(List.of(new DiskSpec(disk, false), new DiskSpec(overlay, false)),
                "mkdir -p /mnt/d && mount -t ext4 /dev/vda /mnt/d && echo MOUNTED-$((6*7))",
                "cat /mnt/d/hello.txt",
                "echo written by the guest > /mnt/d/guest.txt && sync && echo SYNCED-$((6*7))",
                "umount /mnt/d && echo UMOUNT-DONE-$((6*7))",
                "mkdir -p /mnt/q && mount -t ext4 /dev/vdb /mnt/q && cat /mnt/q/hello.txt",
                "echo on the overlay > /mnt/q/overlay.txt && umount /mnt/q && echo Q-DONE-$((6*7))");
        assertTrue(transcript.contains("Q-DONE-42"), transcript);
        assertTrue(java.util.Arrays.equals(baseBefore, Files.readAllBytes(base)), "the backing file is unchanged");
        final String check = HostTools.run("qemu-img", "check", "-f", "qcow2", overlay.toString());
        assertTrue(check.contains("No errors were found"), check);
        final Path flat = dir.resolve("flat.img");
        HostTools.run("qemu-img", "convert", "-f", "qcow2", "-O", "raw", overlay.toString(), flat.toString());
        assertEquals("on the overlay\n", HostTools.catFromImage(flat, "/overlay.txt"));
        assertTrue(transcript.contains("MOUNTED-42"), transcript);
        assertTrue(transcript.contains("hello from the host"), transcript);
        assertTrue(transcript.contains("SYNCED-42") && transcript.contains("UMOUNT-DONE-42"), transcript);
        assertEquals("written by the guest\n", HostTools.catFromImage(disk, "/guest.txt"));
    }

    @Test
    void aReadOnlyDiskRefusesWritesInTheGuest() throws Exception {
        final Path content = Files.createDirectory(dir.resolve("content"));
        Files.writeString(content.resolve("keep.txt"), "unchanged\n");
        final Path disk = HostTools.ext4(dir.resolve("ro.img"), content, 32);
        final byte[] before = Files.readAllBytes(disk);

        final String transcript = session(disk, true,
                "mkdir -p /mnt/d && mount -t ext4 -o ro /dev/vda /mnt/d && cat /mnt/d/keep.txt",
                "cat /sys/block/vda/ro",
                "touch /mnt/d/new.txt || echo TOUCH-REFUSED-$((6*7))",
                "dd if=/dev/zero of=/dev/vda bs=512 count=1 || echo DD-REFUSED-$((6*7))");
        assertTrue(transcript.contains("unchanged"), transcript);
        assertTrue(transcript.contains("TOUCH-REFUSED-42"), transcript);
        assertTrue(transcript.contains("DD-REFUSED-42"), transcript);
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(disk)), "the image is byte-for-byte unchanged");
    }
}
