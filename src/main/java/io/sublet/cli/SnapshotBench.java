package io.sublet.cli;

import io.sublet.boot.BadImageException;
import io.sublet.boot.image.ConsoleProgress;
import io.sublet.boot.image.DebianImage;
import io.sublet.boot.image.GuestImage;
import io.sublet.boot.image.ImageException;
import io.sublet.dev.virtio.FileDiskHoles;
import io.sublet.machine.ExitReason;
import io.sublet.machine.PromptWatcher;
import io.sublet.machine.VirtConfig;
import io.sublet.machine.VirtMachine;
import io.sublet.machine.snapshot.SnapshotException;
import io.sublet.machine.snapshot.SnapshotFile;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * {@code sublet bench snapshot}: boots the Debian guest (512 MiB) to its shell prompt, then measures a
 * snapshot (time, file size, space taken), a lazy and an eager restore (to the point where the first guest
 * instruction can run, and to a shell that answers a command), and a clone of the running guest.
 */
final class SnapshotBench {
    static final long MEM = 512L << 20;
    static final long TIMEOUT_SECONDS = 300;

    private final PrintStream out;
    private final PrintStream err;

    SnapshotBench(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /** A console that signals when the guest prints a marker after it was armed. */
    private static final class Marker extends OutputStream {
        private final StringBuilder seen = new StringBuilder();

        @Override
        public synchronized void write(int b) {
            seen.append((char) (b & 0xff));
            notifyAll();
        }

        synchronized boolean await(String text, long seconds) throws InterruptedException {
            final long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (seen.indexOf(text) < 0) {
                final long left = end - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                wait(Math.max(1, left / 1_000_000));
            }
            return true;
        }
    }

    int run() {
        final GuestImage image;
        try {
            image = DebianImage.ensure(DebianImage.defaultHome(), new ConsoleProgress(err, err));
        } catch (ImageException e) {
            err.println("sublet: " + e.getMessage());
            return ExitCodes.BAD_INPUT;
        }
        Path dir = null;
        try {
            dir = Files.createTempDirectory("sublet-bench-snapshot");
            return measure(image, dir);
        } catch (IOException | SnapshotException | BadImageException e) {
            err.println("sublet: " + e.getMessage());
            return ExitCodes.GUEST_FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCodes.INTERNAL;
        } finally {
            deleteTree(dir);
        }
    }

    private int measure(GuestImage image, Path dir)
            throws IOException, SnapshotException, BadImageException, InterruptedException {
        out.printf("guest: %s, kernel %s, %d MiB RAM, 1 hart%n", image.name(), image.kernelVersion(), MEM >> 20);
        final PromptWatcher prompt = new PromptWatcher();
        final VirtMachine booted = new VirtMachine(new VirtConfig(MEM, image.kernel(), image.initrd(), null, null,
                null, false), prompt);
        final Thread runner = new Thread(booted::run, "sublet-bench-snapshot");
        runner.start();
        try {
            if (prompt.await(TIMEOUT_SECONDS, TimeUnit.SECONDS) < 0) {
                err.println("sublet: no shell prompt within " + TIMEOUT_SECONDS + " s");
                return ExitCodes.GUEST_FAILED;
            }
            final Path file = dir.resolve("debian.snap");
            long t = System.nanoTime();
            final SnapshotFile.Written w = booted.saveSnapshot(file);
            final double saveMs = ms(t);
            final OptionalLong used = FileDiskHoles.allocatedBytes(file);
            out.printf("snapshot: %.1f ms; file %d MiB apparent, %s on disk; %d pages stored, %d zero pages skipped%n",
                    saveMs, Files.size(file) >> 20, used.isPresent() ? (used.getAsLong() >> 20) + " MiB" : "?",
                    w.storedPages(), w.zeroPages());

            t = System.nanoTime();
            final Marker clonedConsole = new Marker();
            final VirtMachine clone = booted.fork(dir, "clone", clonedConsole);
            final double cloneMs = ms(t);
            final double cloneShell = answer(clone, clonedConsole, t);
            out.printf("clone of the running guest: %.1f ms to a runnable copy, %.1f ms to its shell answering%n",
                    cloneMs, cloneShell);

            for (boolean lazy : new boolean[] {true, false}) {
                final Marker console = new Marker();
                t = System.nanoTime();
                final VirtMachine restored = VirtMachine.restore(file, console, false, lazy);
                final double firstInsn = ms(t);
                final double shell = answer(restored, console, t);
                out.printf("restore (%s): %.1f ms to the first guest instruction, %.1f ms to a shell that answers%n",
                        lazy ? "lazy, memory mapped copy-on-write" : "eager, memory read and checked", firstInsn, shell);
            }
            return ExitCodes.OK;
        } finally {
            booted.requestStop(ExitReason.quit());
            runner.join();
        }
    }

    /** Runs a restored machine, types a command, returns ms from {@code since} to its answer (then stops it). */
    private double answer(VirtMachine m, Marker console, long since) throws InterruptedException {
        final Thread t = new Thread(m::run, "sublet-bench-restored");
        t.start();
        try {
            m.consoleInput("echo ANSWER-$((6*7))\n".getBytes(StandardCharsets.US_ASCII));
            return console.await("ANSWER-42", TIMEOUT_SECONDS) ? ms(since) : -1;
        } finally {
            m.requestStop(ExitReason.quit());
            t.join();
        }
    }

    private static double ms(long since) {
        return (System.nanoTime() - since) / 1e6;
    }

    private static void deleteTree(Path dir) {
        if (dir == null) {
            return;
        }
        try (var files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(p);
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // a temporary directory: the system cleans it up eventually
        }
    }
}
