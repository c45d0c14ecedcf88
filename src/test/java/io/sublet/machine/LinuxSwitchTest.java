package io.sublet.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sublet.boot.image.GuestImage;
import io.sublet.net.LinkCounters;
import io.sublet.net.NetSpec;
import io.sublet.net.SwitchNetworks;
import io.sublet.net.VirtualSwitch;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Three Debian guests in one process: two join the network "lan" and reach each other; the third joins
 * "other", takes an address in the same subnet, and reaches neither. Only the in-process switch carries
 * their frames.
 */
class LinuxSwitchTest {
    @Test
    void guestsOnOneNetworkReachEachOtherAndAGuestOnAnotherCannot() throws Exception {
        final GuestImage image = GuestSession.image();
        final SwitchNetworks networks = new SwitchNetworks();
        final VirtConfig base = new VirtConfig(256L << 20, image.kernel(), image.initrd(), null, null, null, false);
        try (GuestSession a = new GuestSession(base.withNets(List.of(NetSpec.parse("network=lan"))), networks, "lan-a");
             GuestSession b = new GuestSession(base.withNets(List.of(NetSpec.parse("network=lan"))), networks, "lan-b");
             GuestSession c = new GuestSession(base.withNets(List.of(NetSpec.parse("network=other"))), networks, "other-c")) {
            for (GuestSession g : List.of(a, b, c)) {
                assertTrue(g.awaitShell().contains("eth0: no DHCP answer"), "no DHCP server on a switch");
            }
            a.run("ifconfig eth0 10.0.3.1 netmask 255.255.255.0 up");
            b.run("ifconfig eth0 10.0.3.2 netmask 255.255.255.0 up");
            c.run("ifconfig eth0 10.0.3.3 netmask 255.255.255.0 up");

            final String ab = a.runUntil("ping -c 3 -W 10 10.0.3.2; echo PING-DONE-$((6*7))", "PING-DONE-42",
                    Duration.ofMinutes(2));
            assertTrue(ab.contains("3 packets transmitted, 3 packets received"), ab);
            final String ba = b.runUntil("ping -c 1 -W 10 10.0.3.1; echo PING-DONE-$((6*7))", "PING-DONE-42",
                    Duration.ofMinutes(2));
            assertTrue(ba.contains("1 packets received"), ba);

            final String ca = c.runUntil("ping -c 2 -W 3 10.0.3.1; echo PING-DONE-$((6*7))", "PING-DONE-42",
                    Duration.ofMinutes(2));
            assertTrue(ca.contains("2 packets transmitted, 0 packets received"), ca);

            final VirtualSwitch lan = networks.network("lan");
            final VirtualSwitch other = networks.network("other");
            assertEquals(2, lan.ports().size());
            assertEquals(1, other.ports().size());
            final LinkCounters cPort = other.ports().get(0).counters();
            assertTrue(cPort.framesFromGuest() > 0, "c's ARP requests reached its own switch: " + cPort);
            assertEquals(0, cPort.framesToGuest(), "and nothing came back: " + cPort);
            for (GuestSession g : List.of(a, b, c)) {
                assertEquals(ExitReason.Kind.POWER_OFF, GuestSession.kind(g.powerOff()));
            }
            assertEquals(0, lan.ports().size(), "ports leave the switch with their VMs");
        }
    }
}
