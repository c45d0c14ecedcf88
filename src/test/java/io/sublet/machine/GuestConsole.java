package io.sublet.machine;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The guest's serial console as a test sees it: everything the guest printed, and a way to wait for
 * some text to appear. A wait that runs out fails with the transcript, so a boot test that goes wrong
 * shows the kernel's last words. The deadline is a guard against hangs, not a speed check.
 */
final class GuestConsole extends OutputStream {
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

    /** Waits until {@code expected} appears after the previous match; returns the text up to and including it. */
    synchronized String waitFor(String expected, Duration limit) throws InterruptedException {
        final long deadline = System.nanoTime() + limit.toNanos();
        int at;
        while ((at = text.indexOf(expected, mark)) < 0) {
            final long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("the guest did not print \"" + expected + "\" within " + limit
                        + "; console so far:\n" + tail(4000));
            }
            wait(Math.max(1, left / 1_000_000));
        }
        final String seen = text.substring(mark, at + expected.length());
        mark = at + expected.length();
        return seen;
    }

    synchronized String transcript() {
        return text.toString();
    }

    private String tail(int chars) {
        return text.length() <= chars ? text.toString() : "..." + text.substring(text.length() - chars);
    }
}
