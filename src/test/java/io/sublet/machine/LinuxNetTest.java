package io.sublet.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.sublet.boot.image.GuestImage;
import io.sublet.dev.virtio.VirtioNet;
import io.sublet.net.HostForward;
import io.sublet.net.NetSpec;
import io.sublet.net.SwitchNetworks;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The Debian guest on user-mode networking through the real passt: it gets its address by DHCP at boot,
 * fetches a file from an HTTP server this test runs on the host's loopback (the guest reaches it at its
 * router's address, which passt maps to the host), and serves a page that the host fetches through a
 * port forward. No traffic leaves the host: passt only connects the guest to 127.0.0.1.
 */
class LinuxNetTest {
    private static final int FILE_BYTES = 3 << 20;

    @Test
    void theGuestGetsDhcpFetchesFromTheHostAndIsReachedThroughAForward() throws Exception {
        requirePasst();
        final GuestImage image = GuestSession.image();
        final byte[] blob = new byte[FILE_BYTES];
        new Random(12).nextBytes(blob);
        final String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(blob));
        final HttpServer host = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        host.createContext("/blob", exchange -> {
            exchange.sendResponseHeaders(200, blob.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(blob);
            }
        });
        host.start();
        final int forward = freePort();
        final NetSpec user = new NetSpec(NetSpec.Kind.USER, List.of(HostForward.parse("tcp:127.0.0.1:" + forward + "-:8080")),
                null, null, 0, -1);
        final VirtConfig config = new VirtConfig(512L << 20, image.kernel(), image.initrd(), null, null, null, false)
                .withNets(List.of(user));
        try (GuestSession guest = new GuestSession(config, new SwitchNetworks(), "linux-net-test")) {
            final String boot = guest.awaitShell();
            assertTrue(boot.contains("udhcpc: lease of"), boot);

            final String ifconfig = guest.run("ifconfig eth0");
            assertTrue(ifconfig.contains("HWaddr 52:54:00:12:34:56"), ifconfig);
            final Matcher addr = Pattern.compile("inet addr:([0-9.]+)").matcher(ifconfig);
            assertTrue(addr.find(), ifconfig);

            final String fetched = guest.run("gw=$(route -n | awk '$1 == \"0.0.0.0\" { print $2 }'); "
                    + "wget -q -O /tmp/blob http://$gw:" + host.getAddress().getPort() + "/blob && sha256sum /tmp/blob");
            assertTrue(fetched.contains(digest + "  /tmp/blob"), "the guest's digest of the file:\n" + fetched);

            guest.runUntil("mkdir -p /tmp/www && echo served-by-the-guest-$((6*7)) > /tmp/www/index.html && "
                    + "httpd -p 8080 -h /tmp/www && echo HTTPD-$((6*7))", "HTTPD-42", GuestSession.COMMAND);
            final HttpResponse<String> page = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + forward + "/index.html"))
                            .timeout(Duration.ofMinutes(1)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode());
            assertEquals("served-by-the-guest-42\n", page.body());

            final VirtioNet nic = guest.machine.nics().get(0);
            assertTrue(nic.framesToGuest() > FILE_BYTES / 65_536, "frames received: " + nic.framesToGuest());
            assertEquals(0, nic.dropped());
            final ExitReason exit = guest.powerOff();
            assertEquals(ExitReason.Kind.POWER_OFF, exit == null ? null : exit.kind(), guest.console.transcript());
            assertFalse(nic.backend().linkUp(), "passt is stopped with the VM");
        } finally {
            host.stop(0);
        }
        try (ServerSocket again = new ServerSocket()) {
            again.bind(new InetSocketAddress("127.0.0.1", forward)); // passt let go of the forwarded port
        }
    }

    static void requirePasst() {
        for (String dir : List.of("/usr/bin", "/usr/sbin", "/bin", "/usr/local/bin")) {
            if (java.nio.file.Files.isExecutable(java.nio.file.Path.of(dir, "passt"))) {
                return;
            }
        }
        Assumptions.abort("passt is not installed (Debian package passt; .ci/install-deps installs it)");
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
