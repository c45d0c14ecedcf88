package io.sublet.boot.image;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * {@link Progress} for a terminal: steps as lines on one stream, and, if a bar stream is given, a percentage line
 * for each transfer that is rewritten in place ({@code \r}) and ended with a newline when the transfer completes.
 */
public final class ConsoleProgress implements Progress {
    private final PrintStream notes;
    private final PrintStream bar;
    private String current;
    private int lastPercent = -1;

    /** Steps go to {@code notes}; percentages go to {@code bar}, or nowhere if it is null. */
    public ConsoleProgress(final PrintStream notes, final PrintStream bar) {
        this.notes = notes;
        this.bar = bar;
    }

    @Override
    public void note(final String line) {
        endBar();
        notes.println(line);
        notes.flush();
    }

    @Override
    public void transfer(final String name, final long done, final long total) {
        if (bar == null) {
            return;
        }
        if (!name.equals(current)) {
            endBar();
            current = name;
            lastPercent = -1;
        }
        final int percent = total > 0 ? (int) Math.min(100, done * 100 / total) : -1;
        if (percent == lastPercent && percent >= 0) {
            return;
        }
        lastPercent = percent;
        if (total > 0) {
            bar.printf(Locale.ROOT, "\r  %s %3d%% (%.1f of %.1f MB)", name, percent, done / 1e6, total / 1e6);
        } else {
            bar.printf(Locale.ROOT, "\r  %s %.1f MB", name, done / 1e6);
        }
        if (total > 0 && done >= total) {
            bar.println();
            current = null;
        }
        bar.flush();
    }

    private void endBar() {
        if (current != null && bar != null) {
            bar.println();
            bar.flush();
        }
        current = null;
    }

    /**
     * Whether this process's standard error is a terminal. Java 17 cannot ask directly, so this looks where
     * {@code /proc/self/fd/2} points (Linux); elsewhere it falls back to whether there is a console at all.
     */
    public static boolean stderrIsTerminal() {
        try {
            final Path fd = Path.of("/proc/self/fd/2");
            if (Files.isSymbolicLink(fd)) {
                final String target = Files.readSymbolicLink(fd).toString();
                return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
            }
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            // fall through
        }
        return System.console() != null;
    }
}
