package io.sublet.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sublet.boot.image.GuestImage;
import io.sublet.net.NetSpec;
import io.sublet.net.StreamAddress;
import io.sublet.net.StreamBackend;
import io.sublet.net.SwitchNetworks;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A Sublet guest and a QEMU guest (same Debian kernel and initramfs) on one Ethernet link: Sublet
 * listens with the stream backend on the loopback, QEMU connects with {@code -netdev stream,server=off};
 * each guest pings the other. Skipped with the reason when qemu-system-riscv64 is not installed.
 */
class QemuStreamTest {
    @Test
    void aSubletGuestAndAQemuGuestShareALink() throws Exception {
        final String qemu = findQemu();
        Assumptions.assumeTrue(qemu != null, "qemu-system-riscv64 is not installed (Debian package qemu-system-misc)");
        final GuestImage image = GuestSession.image();
        final VirtConfig config = new VirtConfig(256L << 20, image.kernel(), image.initrd(), null, null, null, false)
                .withNets(List.of(NetSpec.parse("stream,listen=127.0.0.1:0")));
        try (GuestSession sublet = new GuestSession(config, new SwitchNetworks(), "sublet-stream")) {
            final StreamAddress at = ((StreamBackend.Server) sublet.machine.nics().get(0).backend()).localAddress();
            final int port = ((InetSocketAddress) at.address()).getPort();
            final Process q = new ProcessBuilder(qemu, "-machine", "virt", "-accel", "tcg,thread=single", "-smp", "1",
                    "-m", "256M", "-nographic", "-kernel", image.kernel().toString(), "-initrd", image.initrd().toString(),
                    "-append", VirtConfig.DEFAULT_APPEND,
                    "-netdev", "stream,id=n0,server=off,addr.type=inet,addr.host=127.0.0.1,addr.port=" + port,
                    "-device", "virtio-net-device,netdev=n0,mac=52:54:00:12:34:57").redirectErrorStream(true).start();
            final GuestConsole qemuConsole = new GuestConsole();
            final Thread pump = new Thread(() -> {
                try (InputStream in = q.getInputStream()) {
                    in.transferTo(qemuConsole);
                } catch (IOException e) {
                    // QEMU stopped
                }
            }, "qemu-console");
            pump.setDaemon(true);
            pump.start();
            final OutputStream qemuIn = q.getOutputStream();
            try {
                sublet.awaitShell();
                qemuConsole.waitFor("Run /init as init process", GuestSession.BOOT);
                qemuConsole.waitFor("# ", GuestSession.BOOT);
                assertTrue(sublet.machine.nics().get(0).backend().linkUp(), "QEMU connected");

                sublet.run("ifconfig eth0 10.0.4.1 netmask 255.255.255.0 up");
                type(qemuIn, "ifconfig eth0 10.0.4.2 netmask 255.255.255.0 up");
                qemuConsole.waitFor("# ", GuestSession.COMMAND);

                final String fromSublet = sublet.runUntil("ping -c 3 -W 10 10.0.4.2; echo PING-DONE-$((6*7))",
                        "PING-DONE-42", Duration.ofMinutes(2));
                assertTrue(fromSublet.contains("3 packets transmitted, 3 packets received"), fromSublet);
                type(qemuIn, "ping -c 2 -W 10 10.0.4.1; echo PING-DONE-$((6*7))");
                final String fromQemu = qemuConsole.waitFor("PING-DONE-42", Duration.ofMinutes(2));
                assertTrue(fromQemu.contains("2 packets transmitted, 2 packets received"), fromQemu);
                assertTrue(sublet.machine.nics().get(0).backend().counters().framesToGuest() >= 5);

                assertEquals(ExitReason.Kind.POWER_OFF, GuestSession.kind(sublet.powerOff()));
            } finally {
                q.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private static void type(OutputStream in, String line) throws IOException {
        in.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
        in.flush();
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
