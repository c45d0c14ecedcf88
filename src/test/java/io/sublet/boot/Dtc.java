package io.sublet.boot;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs the Device Tree Compiler (Debian's {@code device-tree-compiler}, installed by {@code .ci/install-deps}) on
 * blobs the tests build. The command can be changed with {@code -Dsublet.dtc=...}.
 */
public final class Dtc {
    static final String DTC = System.getProperty("sublet.dtc", "dtc");

    /** What one run printed. */
    public record Result(int exitCode, String stdout, String stderr) {
    }

    private static String missing;
    private static boolean probed;

    private Dtc() {
    }

    /** Null if dtc runs, else why not (for {@code Assumptions}). Probed once. */
    public static synchronized String missingReason() {
        if (!probed) {
            try {
                final Result r = run(new byte[0], "--version");
                missing = r.exitCode == 0 ? null : DTC + " --version failed: " + r.stderr;
            } catch (final IOException e) {
                missing = DTC + " is not usable (" + e.getMessage() + "); install Debian's device-tree-compiler "
                    + "to decode the generated trees";
            }
            probed = true;
        }
        return missing;
    }

    /** {@code dtc -I dtb -O dts}: the blob as source text; fails the test if dtc reports an error. */
    public static String decompile(final byte[] blob) throws IOException {
        final Result r = run(blob, "-I", "dtb", "-O", "dts", "-");
        if (r.exitCode != 0) {
            throw new AssertionError("dtc could not decode the blob:\n" + r.stderr);
        }
        return r.stdout;
    }

    /** {@code dtc -I dtb -O dtb}: dtc's checks; returns its messages (errors and warnings), empty when clean. */
    public static Result check(final byte[] blob) throws IOException {
        return run(blob, "-I", "dtb", "-O", "dtb", "-o", "/dev/null", "-");
    }

    private static Result run(final byte[] input, final String... args) throws IOException {
        final List<String> command = new java.util.ArrayList<>();
        command.add(DTC);
        command.addAll(List.of(args));
        final Process p;
        try {
            p = new ProcessBuilder(command).start();
        } catch (final IOException e) {
            throw new IOException("cannot run " + DTC + ": " + e.getMessage(), e);
        }
        final CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> drain(p.getErrorStream()));
        final CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> drain(p.getInputStream()));
        try (OutputStream in = p.getOutputStream()) {
            in.write(input);
        }
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(command + " did not finish");
            }
            return new Result(p.exitValue(), out.get(), err.get());
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        } catch (final java.util.concurrent.ExecutionException e) {
            throw new IOException(e.getCause());
        }
    }

    private static String drain(final InputStream in) {
        try (in) {
            final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            in.transferTo(buffer);
            return buffer.toString(StandardCharsets.UTF_8);
        } catch (final IOException e) {
            return "(cannot read: " + e.getMessage() + ")";
        }
    }
}
