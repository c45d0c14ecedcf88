package io.sublet.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real {@code sublet} process, started as a user starts it (same classes as the jar, its own JVM), with
 * its console on pipes: the test types into stdin, reads stdout, and can stop reading it to play a
 * terminal that does not drain. stderr goes to a file, so it can never block Sublet. Every wait has a
 * deadline and fails with the console's last words; deadlines are guards against hangs, not speed checks.
 */
final class SubletProcess implements AutoCloseable {
    private static final int KEEP = 1 << 20;

    private final Process process;
    private final Path stderr;
    private final OutputStream stdin;
    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
        final Thread t = new Thread(r, "sublet-test-stdin");
        t.setDaemon(true);
        return t;
    });
    private final Thread reader;
    private final StringBuilder text = new StringBuilder();
    private int mark;
    private long dropped;
    private boolean paused;

    private SubletProcess(final Process process, final Path stderr) {
        this.process = process;
        this.stderr = stderr;
        this.stdin = process.getOutputStream();
        this.reader = new Thread(this::read, "sublet-test-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code sublet args...} with the test's own build of Sublet. */
    static SubletProcess start(final String... args) throws IOException {
        final String java = ProcessHandle.current().info().command().orElse("java");
        final String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        final List<String> cmd = new ArrayList<>(List.of(java, "-XX:-DontCompileHugeMethods", "-cp", cp,
                Main.class.getName()));
        cmd.addAll(List.of(args));
        final Path err = Files.createTempFile("sublet-stderr", ".txt");
        final Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
        return new SubletProcess(p, err);
    }

    private void read() {
        final InputStream in = process.getInputStream();
        final byte[] buf = new byte[65536];
        try {
            for (;;) {
                synchronized (this) {
                    while (paused) {
                        wait();
                    }
                }
                final int n = in.read(buf);
                if (n < 0) {
                    return;
                }
                synchronized (this) {
                    text.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
                    if (text.length() > 2 * KEEP) { // a flooding guest: keep the tail
                        final int cut = text.length() - KEEP;
                        text.delete(0, cut);
                        dropped += cut;
                        mark = Math.max(0, mark - cut);
                    }
                    notifyAll();
                }
            }
        } catch (IOException | InterruptedException e) {
            // the process is gone
        }
    }

    /** Stops reading stdout: from now on Sublet's terminal does not drain (as a pipe into a stopped pager). */
    synchronized void stopReading() {
        paused = true;
    }

    /** Sends bytes to Sublet's stdin; fails if Sublet does not take them within {@code limit}. */
    void send(final byte[] bytes, final Duration limit) throws Exception {
        final Future<?> done = writer.submit(() -> {
            stdin.write(bytes);
            stdin.flush();
            return null;
        });
        try {
            done.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("sublet did not read " + bytes.length + " bytes of input within " + limit
                    + " (its input thread is blocked?); console so far:\n" + tail(3000));
        }
    }

    void type(final String s) throws Exception {
        send(s.getBytes(StandardCharsets.ISO_8859_1), Duration.ofSeconds(30));
    }

    /** Waits until {@code expected} appears after the previous match; returns the text up to and including it. */
    synchronized String waitFor(final String expected, final Duration limit) throws InterruptedException {
        final long deadline = System.nanoTime() + limit.toNanos();
        int at;
        while ((at = text.indexOf(expected, mark)) < 0) {
            final long left = deadline - System.nanoTime();
            if (left <= 0 || (!process.isAlive() && !reader.isAlive())) {
                throw new AssertionError("sublet did not print \"" + expected + "\" within " + limit
                        + (process.isAlive() ? "" : " (it exited with " + process.exitValue() + ")")
                        + "; console so far:\n" + tail(3000) + "\nstderr:\n" + stderr());
            }
            wait(Math.max(1, left / 1_000_000));
        }
        final String seen = text.substring(mark, at + expected.length());
        mark = at + expected.length();
        return seen;
    }

    /** Waits for the process to end; returns its exit status, or fails with what it printed. */
    int waitForExit(final Duration limit) throws InterruptedException {
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("sublet did not exit within " + limit + "; console so far:\n" + tail(3000)
                    + "\nstderr:\n" + stderr());
        }
        return process.exitValue();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Sends a signal (INT, TERM, ...) with kill(1). */
    void signal(final String name) throws IOException, InterruptedException {
        final Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IOException("kill -" + name + " " + process.pid() + " failed");
        }
    }

    synchronized String tail(final int chars) {
        return text.length() <= chars ? text.toString() : "..." + text.substring(text.length() - chars);
    }

    String stderr() {
        try {
            return Files.readString(stderr, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
        writer.shutdownNow();
        synchronized (this) {
            paused = false;
            notifyAll();
        }
        Files.deleteIfExists(stderr);
    }
}
