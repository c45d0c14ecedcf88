package io.sublet.net;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One network card as {@code --net} describes it, before anything is started:
 *
 * <pre>
 *  user[,hostfwd=[tcp|udp]:[hostaddr]:hostport-:guestport]...   passt user-mode networking (the default)
 *  stream,connect=HOST:PORT|unix:PATH                          QEMU -netdev stream,server=off
 *  stream,listen=[HOST]:PORT|unix:PATH                         QEMU -netdev stream,server=on
 *  network=NAME[,rate=SIZE]                                    a named switch of this process; rate: bytes/s sent
 *  none                                                        no network card (only alone)
 *  every kind also takes mac=52:54:00:12:34:56
 * </pre>
 *
 * {@link #open} starts the backend (passt, the socket); a spec is plain data until then.
 */
public record NetSpec(Kind kind, List<HostForward> forwards, StreamAddress address, String network, long rate, long mac) {
    public enum Kind { USER, STREAM_CONNECT, STREAM_LISTEN, NETWORK }

    public NetSpec {
        forwards = List.copyOf(forwards);
    }

    /** User networking with no forwards and the n-th default MAC: what {@code sublet run} attaches. */
    public static NetSpec user() {
        return new NetSpec(Kind.USER, List.of(), null, null, 0, -1);
    }

    /**
     * Parses the {@code --net} values in order; "none" alone means no card. Errors name the value and
     * the problem.
     */
    public static List<NetSpec> parseAll(final List<String> values) {
        final List<NetSpec> out = new ArrayList<>();
        for (String v : values) {
            if (v.equals("none")) {
                if (values.size() != 1) {
                    throw new IllegalArgumentException("--net none cannot be combined with other --net options");
                }
                return List.of();
            }
            out.add(parse(v));
        }
        return out;
    }

    public static NetSpec parse(final String text) {
        final String[] parts = text.split(",", -1);
        final String head = parts[0];
        Kind kind;
        String network = null;
        if (head.equals("user")) {
            kind = Kind.USER;
        } else if (head.equals("stream")) {
            kind = null; // connect= or listen= decides
        } else if (head.startsWith("network=")) {
            kind = Kind.NETWORK;
            network = head.substring("network=".length());
        } else {
            throw new IllegalArgumentException("--net " + text + ": unknown kind '" + head
                    + "' (use user, stream, network=NAME or none)");
        }
        final List<HostForward> forwards = new ArrayList<>();
        StreamAddress address = null;
        long rate = 0;
        long mac = -1;
        for (int i = 1; i < parts.length; i++) {
            final String p = parts[i];
            final int eq = p.indexOf('=');
            final String key = eq < 0 ? p : p.substring(0, eq);
            final String value = eq < 0 ? "" : p.substring(eq + 1);
            if (key.equals("mac")) {
                mac = Ethernet.parseMac(value);
                if (Ethernet.isGroup(mac)) {
                    throw new IllegalArgumentException("--net " + text + ": " + value + " is a multicast address");
                }
            } else if (key.equals("hostfwd") && kind == Kind.USER) {
                forwards.add(HostForward.parse(value));
            } else if ((key.equals("connect") || key.equals("listen")) && head.equals("stream") && kind == null) {
                kind = key.equals("connect") ? Kind.STREAM_CONNECT : Kind.STREAM_LISTEN;
                address = StreamAddress.parse(value, kind == Kind.STREAM_LISTEN);
            } else if (key.equals("rate") && kind == Kind.NETWORK) {
                rate = parseRate(text, value);
            } else {
                throw new IllegalArgumentException("--net " + text + ": '" + p + "' is not an option of " + head
                        + " (see sublet help run)");
            }
        }
        if (kind == null) {
            throw new IllegalArgumentException("--net " + text + ": stream needs connect=HOST:PORT, connect=unix:PATH, "
                    + "listen=[HOST]:PORT or listen=unix:PATH");
        }
        return new NetSpec(kind, forwards, address, network, rate, mac);
    }

    private static long parseRate(final String text, final String value) {
        final String v = value.toUpperCase(Locale.ROOT);
        long unit = 1;
        String digits = v;
        if (v.endsWith("K") || v.endsWith("M") || v.endsWith("G")) {
            unit = v.endsWith("K") ? 1L << 10 : v.endsWith("M") ? 1L << 20 : 1L << 30;
            digits = v.substring(0, v.length() - 1);
        }
        try {
            final long n = Long.parseLong(digits);
            if (n >= 1 && n <= (1L << 40)) {
                return n * unit;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--net " + text + ": rate=" + value + " is not a rate in bytes per second "
                + "(e.g. rate=10M)");
    }

    /** The spec in {@code --net} syntax, which {@link #parse} reads back (snapshots keep it so). */
    public String toText() {
        final StringBuilder s = new StringBuilder();
        switch (kind) {
            case USER:
                s.append("user");
                for (HostForward f : forwards) {
                    s.append(",hostfwd=").append(f);
                }
                break;
            case STREAM_CONNECT:
                s.append("stream,connect=").append(address);
                break;
            case STREAM_LISTEN:
                s.append("stream,listen=").append(address);
                break;
            default:
                s.append("network=").append(network);
                if (rate > 0) {
                    s.append(",rate=").append(rate);
                }
                break;
        }
        if (mac >= 0) {
            s.append(",mac=").append(Ethernet.formatMac(mac));
        }
        return s.toString();
    }

    /**
     * The MAC the n-th card gets: the one given; else on a named network one unique to its port (all VMs
     * there share one segment); else QEMU's n-th default.
     */
    public long macFor(final int n, final NetBackend opened) {
        if (mac >= 0) {
            return mac;
        }
        if (opened instanceof VirtualSwitch.Port p) {
            return p.defaultMac();
        }
        return Ethernet.defaultMac(n);
    }

    /** Starts the backend; {@code networks} holds the named switches ({@link Kind#NETWORK}). */
    public NetBackend open(final SwitchNetworks networks) throws IOException {
        switch (kind) {
            case USER:
                return PasstBackend.start(forwards);
            case STREAM_CONNECT:
                return StreamBackend.connect(address);
            case STREAM_LISTEN:
                return StreamBackend.listen(address);
            case NETWORK:
                return networks.network(network).join(rate);
            default:
                throw new IllegalStateException("kind " + kind);
        }
    }
}
