package io.sublet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sublet.api.ApiClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sublet serve --foreground} as a process of its own: it answers on its socket, and SIGTERM stops it. */
class ServeCommandTest {
    @TempDir
    Path home;

    @Test
    void servesOnItsSocketAndStopsCleanlyOnSigterm() throws Exception {
        final Path sock = home.resolve("api.sock");
        final Process p = new ProcessBuilder(List.of(ProcessHandle.current().info().command().orElse("java"), "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "serve", "--foreground", "--home",
                home.toString(), "--socket", sock.toString())).redirectErrorStream(true)
                .redirectOutput(home.resolve("serve.out").toFile()).start();
        try {
            int status = 0;
            for (int i = 0; i < 600 && status != 200 && p.isAlive(); i++) {
                Thread.sleep(50);
                if (Files.exists(sock)) {
                    try (ApiClient c = ApiClient.unix(sock)) {
                        status = c.get("/v1/host").status();
                    } catch (java.io.IOException e) {
                        // not accepting yet
                    }
                }
            }
            assertEquals(200, status, Files.readString(home.resolve("serve.out")));
            final CliRun second = CliRun.run("serve", "--foreground",
                    "--home", home.toString(), "--socket", sock.toString());
            assertEquals(ExitCodes.BAD_INPUT, second.status);
            assertTrue(second.err.contains("a daemon already serves " + sock), second.err);
            p.destroy(); // SIGTERM
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the daemon stops on SIGTERM");
            assertEquals(143, p.exitValue(), "the JVM's status for SIGTERM, after the shutdown hook ran");
            assertFalse(Files.exists(sock), "the socket is removed");
            assertTrue(Files.readString(home.resolve("serve.out")).contains("sublet serve: " + sock));
        } finally {
            p.destroyForcibly();
        }
    }

    /** An in-process run of the CLI, its status and stderr. */
    private static final class CliRun {
        int status;
        String err;

        static CliRun run(final String... args) {
            final java.io.ByteArrayOutputStream e = new java.io.ByteArrayOutputStream();
            final CliRun h = new CliRun();
            h.status = Main.run(new java.io.PrintStream(new java.io.ByteArrayOutputStream()),
                    new java.io.PrintStream(e, true), args);
            h.err = e.toString(java.nio.charset.StandardCharsets.UTF_8);
            return h;
        }
    }
}
