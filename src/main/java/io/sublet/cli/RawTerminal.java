package io.sublet.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Puts the controlling terminal into raw mode (no line editing, no echo, no signals: Ctrl-C goes to
 * the guest) and restores the saved settings on close or JVM exit. Does nothing when stdin is not a
 * terminal, so pipes and tests work unchanged. Each {@code stty} gets {@link #STTY_MILLIS} to finish: it waits
 * for pending output to drain before changing settings, and a terminal that does not drain must not keep
 * Sublet from exiting (the settings then stay raw; {@code stty sane} or {@code reset} fixes them).
 */
final class RawTerminal implements AutoCloseable {
    static final long STTY_MILLIS = 300;
    private final String saved;
    private final Thread restoreHook;

    private RawTerminal(String saved) {
        this.saved = saved;
        this.restoreHook = new Thread(this::restore, "sublet-terminal-restore");
        Runtime.getRuntime().addShutdownHook(restoreHook);
    }

    /** Enters raw mode if stdin is a terminal; otherwise returns null. */
    static RawTerminal enter() {
        if (System.console() == null) {
            return null;
        }
        try {
            final String settings = stty("-g").trim();
            if (settings.isEmpty()) {
                return null;
            }
            stty("raw", "-echo");
            return new RawTerminal(settings);
        } catch (IOException e) {
            return null;
        }
    }

    private static String stty(String... args) throws IOException {
        final String[] cmd = new String[args.length + 1];
        cmd[0] = "stty";
        System.arraycopy(args, 0, cmd, 1, args.length);
        final Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.INHERIT)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            if (!p.waitFor(STTY_MILLIS, TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IOException("stty " + String.join(" ", args) + " did not finish");
            }
            // stty -g prints one short line: it fits the pipe, so waiting first cannot deadlock
            final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            if (p.exitValue() != 0) {
                throw new IOException("stty " + String.join(" ", args) + " failed");
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** Puts the saved settings back (bounded, best effort); also what a forced exit does. */
    void restore() {
        try {
            stty(saved);
        } catch (IOException e) {
            // best effort: the terminal may already be gone
        }
    }

    @Override
    public void close() {
        restore();
        try {
            Runtime.getRuntime().removeShutdownHook(restoreHook);
        } catch (IllegalStateException e) {
            // already shutting down: the hook restores
        }
    }
}
