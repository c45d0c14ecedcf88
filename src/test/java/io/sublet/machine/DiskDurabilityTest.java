package io.sublet.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sublet.boot.image.DebianImage;
import io.sublet.boot.image.GuestImage;
import io.sublet.boot.image.ImageException;
import io.sublet.boot.image.Progress;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the guest flushed is on the host's disk: a separate Sublet process boots Debian with a disk,
 * the guest writes a file and runs {@code sync} (ext4 then issues FLUSH, which Sublet turns into an
 * fsync), and the moment sync returns the process is killed with SIGKILL — no shutdown, no JVM exit
 * hooks. The file must then be in the image.
 */
class DiskDurabilityTest {
    private static final long BOOT_SECONDS = 300;

    @TempDir
    Path dir;

    @Test
    void dataSyncedByTheGuestSurvivesKillMinus9() throws Exception {
        final GuestImage image;
        try {
            image = DebianImage.ensure(DebianImage.defaultHome(), Progress.SILENT);
        } catch (ImageException e) {
            Assumptions.abort("the Debian image cannot be pulled here (" + e.getMessage() + ")");
            return;
        }
        final Path content = Files.createDirectory(dir.resolve("content"));
        final Path disk = HostTools.ext4(dir.resolve("durable.img"), content, 32);

        final String java = ProcessHandle.current().info().command().orElse("java");
        final Process sublet = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                "io.sublet.cli.Main", "run", "--kernel", image.kernel().toString(), "--initrd", image.initrd().toString(),
                "--disk", disk.toString())).redirectErrorStream(true).start();
        try {
            final GuestConsole console = new GuestConsole();
            final Thread pump = new Thread(() -> copy(sublet.getInputStream(), console), "durability-pump");
            pump.setDaemon(true);
            pump.start();
            try {
                console.waitFor("Run /init as init process", Duration.ofSeconds(BOOT_SECONDS));
                console.waitFor("# ", Duration.ofSeconds(BOOT_SECONDS));
                final OutputStream keys = sublet.getOutputStream();
                keys.write(("mkdir -p /mnt/d && mount -t ext4 /dev/vda /mnt/d && "
                        + "echo survives kill -9 > /mnt/d/durable.txt && sync && echo SYNC-RETURNED-$((6*7))\n")
                        .getBytes(StandardCharsets.US_ASCII));
                keys.flush();
                console.waitFor("SYNC-RETURNED-42", Duration.ofMinutes(2));
            } catch (AssertionError e) {
                throw new AssertionError("Sublet process " + (sublet.isAlive() ? "still running" : "exited with "
                        + sublet.exitValue()) + ": " + e.getMessage(), e);
            }
            sublet.destroyForcibly(); // SIGKILL, at once
            sublet.waitFor(30, TimeUnit.SECONDS);
        } finally {
            sublet.destroyForcibly();
        }
        assertEquals("survives kill -9\n", HostTools.catFromImage(disk, "/durable.txt"));
    }

    private static void copy(InputStream in, OutputStream out) {
        final byte[] buf = new byte[4096];
        try {
            int n;
            while ((n = in.read(buf)) > 0) {
                out.write(buf, 0, n);
            }
        } catch (java.io.IOException e) {
            // the process was killed
        }
    }
}
