package io.sublet.cli;

import com.sun.net.httpserver.HttpServer;
import io.sublet.boot.BadImageException;
import io.sublet.boot.image.ConsoleProgress;
import io.sublet.boot.image.DebianImage;
import io.sublet.boot.image.GuestImage;
import io.sublet.boot.image.ImageException;
import io.sublet.machine.ExitReason;
import io.sublet.machine.VirtConfig;
import io.sublet.machine.VirtMachine;
import io.sublet.net.HostForward;
import io.sublet.net.NetSpec;
import io.sublet.net.PasstBackend;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code sublet bench net}: the default Debian guest on user-mode networking (passt), measured three ways,
 * then the same guest under QEMU on the same passt, when qemu-system-riscv64 is installed:
 * <ul>
 * <li>host to guest: the guest's {@code wget} of a file from an HTTP server on the host's loopback, timed
 *     by the guest's {@code time} (its clock is the host's);</li>
 * <li>guest to host: {@code dd | nc} from the guest into a socket on the host's loopback, timed on the host
 *     from the first byte to the last;</li>
 * <li>small HTTP requests per second from the host to busybox {@code httpd} in the guest through a port
 *     forward, one connection per request, as busybox httpd serves them.</li>
 * </ul>
 * Only loopback traffic: passt joins the guest to 127.0.0.1 and nothing else.
 */
final class NetBench {
    private static final long MEM = 512L << 20;
    private static final long BOOT_SECONDS = 600;
    private static final long STEP_SECONDS = 600;
    private static final Pattern REAL = Pattern.compile("real\\s+(\\d+)m\\s*([0-9.]+)s");

    private final PrintStream out;
    private final PrintStream err;
    private final int megabytes;
    private final int requests;

    NetBench(PrintStream out, PrintStream err, int megabytes, int requests) {
        this.out = out;
        this.err = err;
        this.megabytes = megabytes;
        this.requests = requests;
    }

    /** The figures of one VMM. */
    record Figures(double downloadMBps, double uploadMBps, double requestsPerSecond) { }

    /** A guest's shell, whoever runs it. */
    private interface Shell extends AutoCloseable {
        void type(String line) throws IOException, InterruptedException;

        ShellConsole console();

        @Override
        void close();
    }

    int run() {
        final GuestImage image;
        try {
            image = DebianImage.ensure(DebianImage.defaultHome(), new ConsoleProgress(err, err));
        } catch (ImageException e) {
            err.println("sublet: " + e.getMessage());
            return ExitCodes.BAD_INPUT;
        }
        final byte[] blob = new byte[megabytes << 20];
        new Random(1).nextBytes(blob);
        out.printf("guest: %s, kernel %s, %d MiB RAM, user networking through passt; %d MiB transfers, %d requests%n",
                image.name(), image.kernelVersion(), MEM >> 20, megabytes, requests);
        final Figures sublet;
        try {
            sublet = measure("sublet", image, blob, this::startSublet);
        } catch (IOException | InterruptedException e) {
            err.println("sublet: " + e.getMessage());
            return ExitCodes.GUEST_FAILED;
        }
        if (sublet == null) {
            return ExitCodes.GUEST_FAILED;
        }
        final String qemu = findQemu();
        if (qemu == null) {
            out.println("qemu-system-riscv64 is not installed: no comparison (apt-get install qemu-system-misc)");
            return ExitCodes.OK;
        }
        final Figures q;
        try {
            q = measure("qemu", image, blob, (img, fwd) -> startQemu(qemu, img, fwd));
        } catch (IOException | InterruptedException e) {
            out.println("qemu: " + e.getMessage() + "; no comparison");
            return ExitCodes.OK;
        }
        if (q != null) {
            out.printf(Locale.ROOT, "ratio sublet/qemu: host to guest %.2f, guest to host %.2f, requests %.2f%n",
                    sublet.downloadMBps() / q.downloadMBps(), sublet.uploadMBps() / q.uploadMBps(),
                    sublet.requestsPerSecond() / q.requestsPerSecond());
        }
        return ExitCodes.OK;
    }

    @FunctionalInterface
    private interface Starter {
        Shell start(GuestImage image, HostForward forward) throws IOException, InterruptedException;
    }

    private Figures measure(String who, GuestImage image, byte[] blob, Starter starter)
            throws IOException, InterruptedException {
        final HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/blob", x -> {
            x.sendResponseHeaders(200, blob.length);
            try (OutputStream o = x.getResponseBody()) {
                o.write(blob);
            }
        });
        http.start();
        final int forward = freePort();
        try (ServerSocket sink = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
             Shell shell = starter.start(image, HostForward.parse("tcp:127.0.0.1:" + forward + "-:8080"))) {
            if (!step(who, shell, null, "# ", BOOT_SECONDS)) {
                return null;
            }
            step(who, shell, "gw=$(route -n | awk '$1 == \"0.0.0.0\" { print $2 }'); echo GW-$((6*7))", "GW-42", 60);
            // Host to guest: a warm-up fetch, then the timed one.
            step(who, shell, "wget -q -O /dev/null http://$gw:" + http.getAddress().getPort() + "/blob; echo W-$((6*7))",
                    "W-42", STEP_SECONDS);
            shell.type("time wget -q -O /dev/null http://$gw:" + http.getAddress().getPort() + "/blob; echo DL-$((6*7))");
            final String dl = shell.console().await("DL-42", STEP_SECONDS, TimeUnit.SECONDS);
            final Matcher m = dl == null ? null : REAL.matcher(dl);
            if (m == null || !m.find()) {
                err.println(who + ": no timing from the guest's wget:\n" + shell.console().tail());
                return null;
            }
            final double dlSeconds = Integer.parseInt(m.group(1)) * 60 + Double.parseDouble(m.group(2));
            final double download = blob.length / 1e6 / dlSeconds;
            out.printf(Locale.ROOT, "%s host to guest: %d MiB in %.2f s = %.1f MB/s%n", who, megabytes, dlSeconds, download);

            // Guest to host: at most 8 MiB, since Debian 12's passt resets a guest's connection after about 24 s
            // (QEMU's guests too); what arrived before a reset is counted.
            final long bytes = Math.min((long) megabytes << 20, 8L << 20);
            shell.type("dd if=/dev/zero bs=65536 count=" + (bytes / 65536) + " 2>/dev/null | nc $gw "
                    + sink.getLocalPort() + "; echo UL-$((6*7))");
            long got = 0;
            final long start;
            long end;
            try (Socket s = sink.accept(); InputStream in = s.getInputStream()) {
                final byte[] buf = new byte[1 << 16];
                int n = in.read(buf);
                start = System.nanoTime();
                end = start;
                try {
                    while (n > 0) {
                        got += n;
                        end = System.nanoTime();
                        if (got >= bytes) {
                            break;
                        }
                        n = in.read(buf);
                    }
                } catch (IOException e) {
                    // a reset: what arrived counts
                }
            }
            shell.console().await("UL-42", STEP_SECONDS, TimeUnit.SECONDS);
            if (got == 0 || end == start) {
                err.println(who + ": nothing arrived from the guest:\n" + shell.console().tail());
                return null;
            }
            final double upSeconds = (end - start) / 1e9;
            final double upload = got / 1e6 / upSeconds;
            out.printf(Locale.ROOT, "%s guest to host: %.1f MiB in %.2f s = %.1f MB/s%s%n", who, got / 1048576.0, upSeconds,
                    upload, got < bytes ? " (passt reset the connection)" : "");

            // Small requests through the port forward.
            step(who, shell, "mkdir -p /tmp/w && echo ok > /tmp/w/i && httpd -p 8080 -h /tmp/w && echo H-$((6*7))", "H-42", 60);
            for (int i = 0; i < 5; i++) {
                get(forward);
            }
            final long requestsStart = System.nanoTime();
            for (int i = 0; i < requests; i++) {
                get(forward);
            }
            final double rps = requests / ((System.nanoTime() - requestsStart) / 1e9);
            out.printf(Locale.ROOT, "%s requests through the forward: %.0f per second (%d sequential GETs)%n", who, rps, requests);
            return new Figures(download, upload, rps);
        } finally {
            http.stop(0);
        }
    }

    private boolean step(String who, Shell shell, String line, String marker, long seconds)
            throws IOException, InterruptedException {
        if (line != null) {
            shell.type(line);
        }
        if (shell.console().await(marker, seconds, TimeUnit.SECONDS) == null) {
            err.println(who + ": the guest did not print \"" + marker + "\"; console:\n" + shell.console().tail());
            return false;
        }
        return true;
    }

    private static void get(int port) throws IOException {
        final HttpURLConnection c = (HttpURLConnection) new URL("http://127.0.0.1:" + port + "/i").openConnection();
        c.setConnectTimeout(30_000);
        c.setReadTimeout(60_000);
        try (InputStream in = c.getInputStream()) {
            in.readAllBytes();
        }
        c.disconnect();
    }

    private Shell startSublet(GuestImage image, HostForward forward) throws IOException {
        final ShellConsole console = new ShellConsole();
        final NetSpec user = new NetSpec(NetSpec.Kind.USER, List.of(forward), null, null, 0, -1);
        final VirtMachine machine;
        try {
            machine = new VirtMachine(new VirtConfig(MEM, image.kernel(), image.initrd(), null, null, null, false)
                    .withNets(List.of(user)), console);
        } catch (BadImageException e) {
            throw new IOException(e.getMessage(), e);
        }
        final Thread runner = new Thread(machine::run, "sublet-bench-net");
        runner.start();
        return new Shell() {
            @Override
            public void type(String line) throws InterruptedException {
                machine.consoleInput((line + "\n").getBytes(StandardCharsets.US_ASCII));
            }

            @Override
            public ShellConsole console() {
                return console;
            }

            @Override
            public void close() {
                machine.requestStop(ExitReason.quit());
                try {
                    runner.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
    }

    private Shell startQemu(String qemu, GuestImage image, HostForward forward) throws IOException {
        final PasstBackend.Served passt = PasstBackend.serve(List.of(forward));
        passt.awaitSocket();
        final Process p = new ProcessBuilder(qemu, "-machine", "virt", "-accel", "tcg,thread=single", "-smp", "1",
                "-m", (MEM >> 20) + "M", "-nographic", "-kernel", image.kernel().toString(),
                "-initrd", image.initrd().toString(), "-append", VirtConfig.DEFAULT_APPEND,
                "-netdev", "stream,id=n0,server=off,addr.type=unix,addr.path=" + passt.socket(),
                "-device", "virtio-net-device,netdev=n0").redirectErrorStream(true).start();
        final ShellConsole console = new ShellConsole();
        final Thread pump = new Thread(() -> {
            try (InputStream in = p.getInputStream()) {
                in.transferTo(console);
            } catch (IOException e) {
                // QEMU stopped
            }
        }, "sublet-bench-net-qemu");
        pump.setDaemon(true);
        pump.start();
        final OutputStream in = p.getOutputStream();
        return new Shell() {
            @Override
            public void type(String line) throws IOException {
                in.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
                in.flush();
            }

            @Override
            public ShellConsole console() {
                return console;
            }

            @Override
            public void close() {
                try {
                    p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                passt.close();
            }
        };
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String findQemu() {
        for (String dir : (System.getenv().getOrDefault("PATH", "") + ":/usr/bin").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "qemu-system-riscv64"))) {
                return Path.of(dir, "qemu-system-riscv64").toString();
            }
        }
        return null;
    }
}
