package io.sublet.api;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A VM's console as the API streams it, read on a thread of its own: everything seen so far, and a wait for some
 * text after the last match. A wait that runs out fails with the transcript's tail (a guard against hangs, not a
 * speed check).
 */
final class ConsoleWatch implements AutoCloseable {
    private final ApiClient.Stream stream;
    private final StringBuilder text = new StringBuilder();
    private int mark;

    ConsoleWatch(final ApiClient.Stream stream) {
        this.stream = stream;
        final Thread t = new Thread(this::pump, "console-watch");
        t.setDaemon(true);
        t.start();
    }

    private void pump() {
        final InputStream in = stream.body();
        final byte[] b = new byte[4096];
        try {
            int n;
            while ((n = in.read(b)) >= 0) {
                synchronized (this) {
                    text.append(new String(b, 0, n, StandardCharsets.ISO_8859_1));
                    notifyAll();
                }
            }
        } catch (IOException e) {
            // closed by the test or the VM stopped
        }
    }

    synchronized String waitFor(final String expected, final Duration limit) throws InterruptedException {
        final long deadline = System.nanoTime() + limit.toNanos();
        int at;
        while ((at = text.indexOf(expected, mark)) < 0) {
            final long left = deadline - System.nanoTime();
            if (left <= 0) {
                final String all = text.toString();
                throw new AssertionError("the console did not show \"" + expected + "\" within " + limit
                        + "; its tail:\n" + all.substring(Math.max(0, all.length() - 3000)));
            }
            wait(Math.max(1, left / 1_000_000));
        }
        final String seen = text.substring(mark, at + expected.length());
        mark = at + expected.length();
        return seen;
    }

    @Override
    public void close() throws IOException {
        stream.close();
    }
}
