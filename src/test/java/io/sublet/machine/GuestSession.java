package io.sublet.machine;

import io.sublet.boot.image.DebianImage;
import io.sublet.boot.image.GuestImage;
import io.sublet.boot.image.ImageException;
import io.sublet.boot.image.Progress;
import io.sublet.net.SwitchNetworks;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Assumptions;

/**
 * A booted Debian guest for tests that type shell lines and read the answers: the machine runs on its
 * own thread; {@link #close()} powers it off (or stops it) and waits. Markers a test waits for should be
 * computed by the guest's shell ({@code $((6*7))}), so the echo of the typed line cannot match.
 */
final class GuestSession implements AutoCloseable {
    static final Duration BOOT = Duration.ofMinutes(6);
    static final Duration COMMAND = Duration.ofMinutes(2);

    final VirtMachine machine;
    final GuestConsole console = new GuestConsole();
    private final Thread runner;
    private final AtomicReference<ExitReason> exit = new AtomicReference<>();

    static GuestImage image() {
        try {
            return DebianImage.ensure(DebianImage.defaultHome(), Progress.SILENT);
        } catch (ImageException e) {
            Assumptions.abort("the Debian image cannot be pulled here (" + e.getMessage() + ")");
            return null;
        }
    }

    /** Starts a guest of {@code config}; the shell is not yet up (see {@link #awaitShell()}). */
    GuestSession(VirtConfig config, SwitchNetworks networks, String name) throws Exception {
        machine = new VirtMachine(config, console, networks);
        runner = new Thread(() -> exit.set(machine.run()), name);
        runner.start();
    }

    /** Waits for the shell prompt after boot; returns the boot transcript. */
    String awaitShell() throws InterruptedException {
        console.waitFor("Run /init as init process", BOOT);
        return console.waitFor("# ", BOOT);
    }

    /** Types a line and returns what the guest printed until the next prompt. */
    String run(String line) throws InterruptedException {
        machine.uart().receive((line + "\n").getBytes(StandardCharsets.US_ASCII));
        return console.waitFor("# ", COMMAND);
    }

    /** Types a line and waits for {@code marker} in its output (then for the prompt). */
    String runUntil(String line, String marker, Duration limit) throws InterruptedException {
        machine.uart().receive((line + "\n").getBytes(StandardCharsets.US_ASCII));
        final String out = console.waitFor(marker, limit);
        console.waitFor("# ", COMMAND);
        return out;
    }

    /** Powers the guest off; returns how it ended (null if it had to be stopped). */
    ExitReason powerOff() throws InterruptedException {
        machine.uart().receive("poweroff\n".getBytes(StandardCharsets.US_ASCII));
        runner.join(COMMAND.toMillis());
        return exit.get();
    }

    /** The kind of an exit, or null when the guest did not end by itself. */
    static ExitReason.Kind kind(ExitReason exit) {
        return exit == null ? null : exit.kind();
    }

    @Override
    public void close() throws InterruptedException {
        machine.requestStop(ExitReason.quit());
        runner.join();
    }
}
