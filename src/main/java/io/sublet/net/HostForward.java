package io.sublet.net;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A port forward from the host into the guest, written as QEMU's {@code hostfwd}:
 * {@code [tcp|udp]:[hostaddr]:hostport-[guestaddr]:guestport}, e.g. {@code tcp:127.0.0.1:2222-:22}
 * (the host's 127.0.0.1:2222 reaches the guest's port 22) or {@code udp::5353-:53}. An empty host
 * address means every host address; the guest address must be empty, since passt forwards to the
 * address it gave the guest.
 */
public record HostForward(boolean udp, String hostAddress, int hostPort, int guestPort) {
    private static final Pattern SYNTAX = Pattern.compile("(tcp|udp)?:([^:]*):([0-9]+)-([^:]*):([0-9]+)");

    public static HostForward parse(final String text) {
        final Matcher m = SYNTAX.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("hostfwd=" + text + ": expected [tcp|udp]:[hostaddr]:hostport-:guestport, "
                    + "e.g. hostfwd=tcp:127.0.0.1:2222-:22");
        }
        if (!m.group(4).isEmpty()) {
            throw new IllegalArgumentException("hostfwd=" + text + ": the guest address must be empty (passt forwards to "
                    + "the address it gave the guest), e.g. hostfwd=tcp::2222-:22");
        }
        final String host = m.group(2);
        if (!host.isEmpty() && !host.matches("[0-9.]+|[0-9a-fA-F:]+")) {
            throw new IllegalArgumentException("hostfwd=" + text + ": host address '" + host + "' is not a numeric address");
        }
        return new HostForward("udp".equals(m.group(1)), host, port(text, m.group(3)), port(text, m.group(5)));
    }

    private static int port(final String text, final String digits) {
        final int p;
        try {
            p = Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("hostfwd=" + text + ": port " + digits + " is not between 1 and 65535");
        }
        if (p < 1 || p > 65535) {
            throw new IllegalArgumentException("hostfwd=" + text + ": port " + digits + " is not between 1 and 65535");
        }
        return p;
    }

    /** passt's spelling: {@code -t [addr/]hostport:guestport} (or {@code -u}). */
    String[] passtArguments() {
        return new String[] {udp ? "-u" : "-t", (hostAddress.isEmpty() ? "" : hostAddress + "/") + hostPort + ":" + guestPort};
    }

    @Override
    public String toString() {
        return (udp ? "udp:" : "tcp:") + hostAddress + ":" + hostPort + "-:" + guestPort;
    }
}
