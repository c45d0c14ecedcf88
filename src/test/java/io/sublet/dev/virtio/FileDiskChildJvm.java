package io.sublet.dev.virtio;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A second JVM running a main class from the test class path, driven line by line: the test waits for a line the
 * child prints ({@link #expect}) and answers on its stdin ({@link #send}), so nothing depends on timing. For tests
 * that need another process: lock conflicts, a lock that dies with a killed process, data that survives kill -9.
 *
 * <p>Usage, e.g. for a durability test: start the child, {@code expect("flushed 3")}, then {@link #kill()}
 * (SIGKILL, and waits until the process is gone, so its locks are released), then inspect the file.
 * The child's stderr is merged into its stdout; lines that are not awaited are kept for failure messages.
 */
public final class FileDiskChildJvm implements AutoCloseable {
    /** Longest wait for a line; a safety net against a hung child, not a timing assumption. */
    private static final long LINE_TIMEOUT_SECONDS = 120;
    private static final String EOF = "\u0000EOF";

    private final Process process;
    private final Writer stdin;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> seen = new ArrayList<>();

    private FileDiskChildJvm(final Process process) {
        this.process = process;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        final Thread t = new Thread(this::pump, "child-jvm-" + process.pid());
        t.setDaemon(true);
        t.start();
    }

    /** Starts {@code java -cp <this JVM's class path> main args...}. */
    public static FileDiskChildJvm start(final Class<?> main, final String... args) throws IOException {
        final List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xshare:auto");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(main.getName());
        cmd.addAll(List.of(args));
        return new FileDiskChildJvm(new ProcessBuilder(cmd).redirectErrorStream(true).start());
    }

    private void pump() {
        try (BufferedReader r = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                lines.add(line);
            }
        } catch (IOException e) {
            lines.add("(reading the child's output failed: " + e + ")");
        }
        lines.add(EOF);
    }

    public long pid() {
        return process.pid();
    }

    /**
     * Waits for the next line that starts with one of {@code prefixes} (other lines are skipped) and returns it;
     * fails if the child ends first. Give every outcome the test can meet, so a wrong one fails at once instead of
     * waiting out the safety timeout.
     */
    public String expect(final String... prefixes) throws IOException {
        final String prefix = String.join("' or '", prefixes);
        while (true) {
            final String line;
            try {
                line = lines.poll(LINE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted waiting for '" + prefix + "'");
            }
            if (line == null || line.equals(EOF)) {
                throw new IOException("child " + pid() + (line == null ? " printed nothing for "
                        + LINE_TIMEOUT_SECONDS + " s" : " ended") + " before '" + prefix + "'; its output: " + seen);
            }
            seen.add(line);
            for (String p : prefixes) {
                if (line.startsWith(p)) {
                    return line;
                }
            }
        }
    }

    /** Sends one line to the child's stdin. */
    public void send(final String line) throws IOException {
        stdin.write(line + "\n");
        stdin.flush();
    }

    /** SIGKILL (kill -9), then waits until the process is gone; the kernel has released its locks by then. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** Waits for the child to exit by itself and returns its status. */
    public int waitFor() throws InterruptedException {
        return process.waitFor();
    }

    /** Kills the child if it is still running. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
