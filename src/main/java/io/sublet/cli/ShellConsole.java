package io.sublet.cli;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * A guest's console as a benchmark drives it: everything printed is kept, and {@link #await} waits
 * until a marker appears after the previous one. The deadline guards against a hung guest; it is not
 * part of any figure.
 */
final class ShellConsole extends OutputStream {
    private final StringBuilder text = new StringBuilder();
    private int mark;

    @Override
    public synchronized void write(int b) {
        text.append((char) (b & 0xff));
        notifyAll();
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        text.append(new String(b, off, len, StandardCharsets.ISO_8859_1));
        notifyAll();
    }

    /** The text up to and including {@code marker}; null when it did not appear in time. */
    synchronized String await(String marker, long timeout, TimeUnit unit) throws InterruptedException {
        final long deadline = System.nanoTime() + unit.toNanos(timeout);
        int at;
        while ((at = text.indexOf(marker, mark)) < 0) {
            final long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        final String seen = text.substring(mark, at + marker.length());
        mark = at + marker.length();
        return seen;
    }

    synchronized String tail() {
        return text.length() <= 3000 ? text.toString() : text.substring(text.length() - 3000);
    }
}
