package io.sublet.net;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * User-mode networking through passt (Debian package {@code passt}), the user-mode stack QEMU and
 * libvirt use: no privileges, the guest gets its address, router and DNS from passt's DHCP and reaches
 * the host's loopback through the router's address; port forwards make guest services reachable.
 *
 * <p>One passt child per NIC, in the foreground ({@code -f}), serving a UNIX socket in a private
 * temporary directory. passt waits for a new client when one leaves (and Debian 12's passt quits at once
 * in its one-off mode {@code -1}), so it is started under a small {@code sh} watchdog that holds a pipe
 * from Sublet and kills passt when the pipe closes: when {@link #close()} closes it, and when Sublet dies
 * in any way, since the kernel closes the pipe then too. passt cannot outlive Sublet and keep its
 * forwarded ports. Its log goes to {@code passt.log} beside the socket and is quoted when it fails to
 * start.
 */
public final class PasstBackend extends StreamLink {
    /** Debian package that provides the program. */
    public static final String PACKAGE = "passt";
    private static final long START_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(15);
    /**
     * Runs passt ("$@") in the background and kills it when standard input (Sublet's pipe) reaches end of
     * file; exits with passt's status when passt ends first. The pipe is kept on fd 3 because an
     * asynchronous command's standard input is /dev/null in a shell without job control.
     */
    static final String WATCHDOG = "exec 3<&0\n"
            + "\"$@\" & pid=$!\n"
            + "( read -r _ <&3; kill $pid 2>/dev/null ) &\n"
            + "wait $pid\n";

    private final Process process;
    private final Path dir;

    private PasstBackend(final String description, final SingleConnection connector, final Process process, final Path dir) {
        super(description, connector);
        this.process = process;
        this.dir = dir;
    }

    /**
     * Starts passt with these forwards and connects to it.
     *
     * @throws IOException naming the package when passt is not installed, or quoting passt when it fails
     */
    public static PasstBackend start(final List<HostForward> forwards) throws IOException {
        final Served served = serve(forwards);
        final SocketChannel ch;
        try {
            ch = connect(served.process(), served.socket(), served.dir().resolve("passt.log"));
        } catch (IOException | RuntimeException e) {
            served.close();
            throw e;
        }
        final StringBuilder d = new StringBuilder("user (passt");
        for (HostForward f : forwards) {
            d.append(", hostfwd=").append(f);
        }
        return new PasstBackend(d.append(')').toString(), new SingleConnection(ch), served.process(), served.dir());
    }

    /** A passt child serving its UNIX socket, for a client other than Sublet (QEMU in {@code sublet bench net}). */
    public record Served(Process process, Path socket, Path dir) implements AutoCloseable {
        /** Waits until the socket exists (passt has bound it), or passt has failed. */
        public void awaitSocket() throws IOException {
            final long deadline = System.nanoTime() + START_TIMEOUT_NANOS;
            while (!Files.exists(socket)) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new IOException("passt did not open " + socket + ": " + tail(dir.resolve("passt.log")));
                }
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while starting passt");
                }
            }
        }

        @Override
        public void close() {
            stop(process);
            deleteDir(dir);
        }
    }

    /** Starts passt under its watchdog in a private directory; it listens on {@link Served#socket()}. */
    public static Served serve(final List<HostForward> forwards) throws IOException {
        final Path passt = find(System.getenv().getOrDefault("PATH", "") + ":/usr/bin:/usr/sbin:/bin");
        final Path dir = Files.createTempDirectory("sublet-passt");
        handToNobodyIfRoot(dir);
        final Path socket = dir.resolve("passt.socket");
        final Path log = dir.resolve("passt.log");
        final List<String> cmd = new ArrayList<>(List.of("/bin/sh", "-c", WATCHDOG, "sublet-passt", passt.toString(),
                "-f", "-q", "-s", socket.toString()));
        for (HostForward f : forwards) {
            cmd.addAll(List.of(f.passtArguments()));
        }
        try {
            return new Served(new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start(),
                    socket, dir);
        } catch (IOException e) {
            deleteDir(dir);
            throw new IOException("cannot start " + passt + ": " + e.getMessage(), e);
        }
    }

    /**
     * Started as root, passt drops to the user "nobody" before it binds its socket: the private directory
     * must then be nobody's (root can still connect, and nobody else can enter it).
     */
    private static void handToNobodyIfRoot(final Path dir) throws IOException {
        if (!"root".equals(System.getProperty("user.name"))) {
            return;
        }
        try {
            Files.setOwner(dir, dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
        } catch (IOException | UnsupportedOperationException e) {
            deleteDir(dir);
            throw new IOException("running as root, passt drops to the user 'nobody', but " + dir
                    + " cannot be given to it: " + e.getMessage(), e);
        }
    }

    /** The passt program in one of the {@code searchPath} directories, or an error naming the Debian package. */
    static Path find(final String searchPath) throws IOException {
        for (String d : searchPath.split(":")) {
            if (!d.isEmpty()) {
                final Path p = Path.of(d, "passt");
                if (Files.isExecutable(p)) {
                    return p;
                }
            }
        }
        throw new IOException("user networking needs passt, which is not installed: install Debian's '" + PACKAGE
                + "' package (apt-get install " + PACKAGE + "), or run without a network (--net none)");
    }

    private static SocketChannel connect(final Process p, final Path socket, final Path log) throws IOException {
        final long deadline = System.nanoTime() + START_TIMEOUT_NANOS;
        IOException last = null;
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IOException("passt exited with status " + p.exitValue() + " before it was ready: " + tail(log));
            }
            if (Files.exists(socket)) {
                final SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
                try {
                    ch.connect(UnixDomainSocketAddress.of(socket));
                    return ch;
                } catch (IOException e) {
                    ch.close();
                    last = e; // bound but not yet listening
                }
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while starting passt");
            }
        }
        throw new IOException("passt did not open " + socket + " within 15 s" + (last == null ? "" : ": " + last.getMessage())
                + "; its log: " + tail(log));
    }

    private static String tail(final Path log) {
        try {
            final String s = Files.readString(log, StandardCharsets.UTF_8).replaceAll("Failed to send [0-9]+ bytes to syslog\n?", "")
                    .strip();
            return s.length() > 800 ? "..." + s.substring(s.length() - 800) : s.isEmpty() ? "(empty)" : s;
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    @Override
    protected void afterClose() {
        stop(process);
        deleteDir(dir);
    }

    /** Closes the watchdog's pipe (it kills passt) and waits for it; force only if it does not end. */
    private static void stop(final Process p) {
        try {
            p.getOutputStream().close();
        } catch (IOException e) {
            // already closed: the watchdog has seen end of file
        }
        try {
            if (!p.waitFor(3, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** Whether the passt child is still running. */
    public boolean running() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    private static void deleteDir(final Path dir) {
        try (var files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // a leftover empty temporary directory is harmless
        }
    }
}
