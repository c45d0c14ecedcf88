package io.sublet.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sublet.boot.image.DebianImage;
import io.sublet.boot.image.GuestImage;
import io.sublet.boot.image.ImageException;
import io.sublet.boot.image.Progress;
import io.sublet.machine.snapshot.SnapshotFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian booted once, snapshotted at its shell prompt while it runs, then restored twice at once into two
 * fresh machines that share the snapshot's memory copy-on-write: both answer commands, keep time, see
 * what the guest had written before the snapshot and not what the other writes after it, and power off. One of
 * them is then cloned while it runs, and the clone goes on as a copy of its own.
 * Markers are computed by the guest's shell ({@code $((6*7))}) so the terminal's echo never matches them.
 */
class LinuxSnapshotTest {
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

    private record Running(VirtMachine machine, GuestConsole console, Thread thread, AtomicReference<ExitReason> exit) {
        static Running start(VirtMachine m, GuestConsole console, String name) {
            final AtomicReference<ExitReason> exit = new AtomicReference<>();
            final Thread t = new Thread(() -> exit.set(m.run()), name);
            t.start();
            return new Running(m, console, t, exit);
        }

        String run(String line, String marker) throws InterruptedException {
            machine.uart().receive((line + "\n").getBytes(StandardCharsets.US_ASCII));
            final String out = console.waitFor(marker, COMMAND);
            console.waitFor("# ", COMMAND);
            return out;
        }

        void powerOff() throws InterruptedException {
            machine.uart().receive("poweroff\n".getBytes(StandardCharsets.US_ASCII));
            thread.join(COMMAND.toMillis());
            assertEquals(ExitReason.Kind.POWER_OFF, exit.get() == null ? null : exit.get().kind(), console.transcript());
        }

        void stop() throws InterruptedException {
            machine.requestStop(ExitReason.quit());
            thread.join();
        }
    }

    /** The count on the vmgenid line of /proc/interrupts. */
    private static long vmgenidInterrupts(String interrupts) {
        final java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^\\s*\\S+:\\s+(\\d+)\\s.*vmgenid\\s*$")
                .matcher(interrupts);
        assertTrue(m.find(), "no vmgenid line in:\n" + interrupts);
        return Long.parseLong(m.group(1));
    }

    @Test
    void aSnapshotAtTheShellPromptRestoresTwiceAtOnceAndEachCopyRunsOnItsOwn() throws Exception {
        final GuestImage image = image();
        final GuestConsole bootConsole = new GuestConsole();
        final Running original = Running.start(new VirtMachine(
                new VirtConfig(512L << 20, image.kernel(), image.initrd(), null, null, null, false), bootConsole),
                bootConsole, "linux-snapshot-original");
        final Path file = dir.resolve("debian.snap");
        final SnapshotFile.Written written;
        try {
            bootConsole.waitFor("# ", BOOT);
            original.run("echo BEFORE-$((6*7)) > /tmp/mark; echo MARKED-$((6*7))", "MARKED-42");
            assertEquals(0, vmgenidInterrupts(original.run("cat /proc/interrupts; echo LISTED-$((6*7))", "LISTED-42")),
                    "Linux drives the generation ID device; no new generation yet");
            written = original.machine().saveSnapshot(file); // from this thread: the run loop pauses for it
            assertTrue(original.run("echo STILL-RUNNING-$((6*7))", "STILL-RUNNING-42").contains("STILL-RUNNING-42"),
                    "the original goes on after the snapshot");
        } finally {
            original.stop();
        }
        assertTrue(written.zeroPages() > 0 && written.storedPages() > 0, written.toString());

        final GuestConsole consoleA = new GuestConsole();
        final GuestConsole consoleB = new GuestConsole();
        final Running a = Running.start(VirtMachine.restore(file, consoleA, false, true), consoleA, "restored-a");
        final Running b = Running.start(VirtMachine.restore(file, consoleB, false, true), consoleB, "restored-b");
        try {
            assertTrue(a.run("cat /tmp/mark", "BEFORE-42").contains("BEFORE-42"));
            assertTrue(b.run("cat /tmp/mark", "BEFORE-42").contains("BEFORE-42"));
            assertEquals(1, vmgenidInterrupts(a.run("cat /proc/interrupts; echo LISTED-$((6*7))", "LISTED-42")),
                    "the restored guest was told it is a new copy (and reseeded its RNG)");
            a.run("echo AAA-$((6*7)) > /tmp/who; echo A-WROTE-$((6*7))", "A-WROTE-42");
            b.run("echo BBB-$((6*7)) > /tmp/who; echo B-WROTE-$((6*7))", "B-WROTE-42");
            assertTrue(a.run("cat /tmp/who", "-42").contains("AAA-42"), "A's file is A's own");
            assertTrue(b.run("cat /tmp/who", "-42").contains("BBB-42"), "B's file is B's own");
            assertTrue(a.run("uname -m; sleep 1; echo SLEPT-$((6*7))", "SLEPT-42").contains("riscv64"),
                    "the restored guest keeps time: sleep returns");

            // A clone of A while it runs: the same guest from that instant on, told it is a new copy.
            final GuestConsole consoleC = new GuestConsole();
            final Running c = Running.start(a.machine().fork(dir, "a-clone", consoleC), consoleC, "clone-c");
            try {
                assertTrue(c.run("cat /tmp/who", "-42").contains("AAA-42"), "the clone has A's files");
                c.run("echo CCC-$((6*7)) > /tmp/who; echo C-WROTE-$((6*7))", "C-WROTE-42");
                assertTrue(a.run("cat /tmp/who", "-42").contains("AAA-42"), "A does not see the clone's writes");
                assertEquals(2, vmgenidInterrupts(c.run("cat /proc/interrupts; echo LISTED-$((6*7))", "LISTED-42")),
                        "the clone got a generation of its own");
                c.powerOff();
            } finally {
                c.stop();
            }
            a.powerOff();
            b.powerOff();
        } finally {
            a.stop();
            b.stop();
        }
    }
}
