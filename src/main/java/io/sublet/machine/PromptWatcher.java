package io.sublet.machine;

import java.io.OutputStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A console sink that notices the first shell prompt (see {@link #isPrompt}). Used to time boots, of Sublet and
 * of QEMU alike. Keeps only the current line and a short tail, whatever the guest prints.
 */
public final class PromptWatcher extends OutputStream {
    private static final int TAIL = 8192;
    private final StringBuilder line = new StringBuilder();
    private final StringBuilder tail = new StringBuilder();
    private final CountDownLatch seen = new CountDownLatch(1);
    private volatile long seenAtNanos;

    @Override
    public synchronized void write(int b) {
        final char c = (char) (b & 0xff);
        tail.append(c);
        if (tail.length() > TAIL) {
            tail.delete(0, tail.length() - TAIL / 2);
        }
        if (c == '\n') {
            line.setLength(0);
            return;
        }
        line.append(c);
        if (seenAtNanos == 0 && isPrompt(line)) {
            seenAtNanos = System.nanoTime();
            seen.countDown();
        }
    }

    /**
     * A shell prompt: a short line ending in "# " or "$ " (then possibly the cursor query busybox's
     * shell sends), and not a kernel log line, which starts with "[" — those may contain "# " mid-line,
     * and the line is checked as every byte arrives.
     */
    static boolean isPrompt(CharSequence line) {
        String s = line.toString();
        if (s.endsWith("\u001b[6n")) {
            s = s.substring(0, s.length() - 4);
        }
        return s.length() <= 80 && !s.startsWith("[") && (s.endsWith("# ") || s.endsWith("$ "));
    }

    /** Waits for the prompt; returns the System.nanoTime() it appeared at, or -1 on timeout. */
    public long await(long timeout, TimeUnit unit) throws InterruptedException {
        return seen.await(timeout, unit) ? seenAtNanos : -1;
    }

    public synchronized String tail() {
        return tail.toString();
    }
}
