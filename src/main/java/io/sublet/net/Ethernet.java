package io.sublet.net;

/**
 * The Ethernet numbers the backends and the switch need.
 *
 * <pre>
 *  0            6            12     14
 *  +------------+------------+------+---------- ... --+
 *  | dst MAC    | src MAC    | type | payload          |     no preamble, no FCS: frames as a tap sees them
 *  +------------+------------+------+---------- ... --+
 * </pre>
 *
 * A MAC address is held in the low 48 bits of a {@code long}, first byte on the wire most significant.
 * Bit 0 of the first byte is the group (multicast, broadcast) bit.
 */
public final class Ethernet {
    public static final int HEADER = 14;
    /** Largest frame any backend carries: a 65,520-byte MTU (passt's default) plus the header, rounded up. */
    public static final int MAX_FRAME = 65_536;
    public static final long BROADCAST = 0xffff_ffff_ffffL;
    private static final long GROUP_BIT = 1L << 40;

    private Ethernet() {
    }

    /** True for multicast and broadcast addresses. */
    public static boolean isGroup(final long mac) {
        return (mac & GROUP_BIT) != 0;
    }

    /** "52:54:00:12:34:56" to a MAC; throws IllegalArgumentException naming the text otherwise. */
    public static long parseMac(final String text) {
        final String[] parts = text.split("[:-]", -1);
        if (parts.length != 6) {
            throw new IllegalArgumentException("'" + text + "' is not a MAC address (six hex bytes, e.g. 52:54:00:12:34:56)");
        }
        long mac = 0;
        for (String p : parts) {
            if (p.length() < 1 || p.length() > 2) {
                throw new IllegalArgumentException("'" + text + "' is not a MAC address (six hex bytes, e.g. 52:54:00:12:34:56)");
            }
            try {
                mac = mac << 8 | Integer.parseInt(p, 16);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "' is not a MAC address (six hex bytes, e.g. 52:54:00:12:34:56)");
            }
        }
        return mac;
    }

    public static String formatMac(final long mac) {
        return String.format("%02x:%02x:%02x:%02x:%02x:%02x", mac >>> 40 & 0xff, mac >>> 32 & 0xff, mac >>> 24 & 0xff,
                mac >>> 16 & 0xff, mac >>> 8 & 0xff, mac & 0xff);
    }

    /**
     * The n-th NIC's default address: QEMU's locally administered 52:54:00 prefix, then 12:34:(56 + n),
     * so a Sublet guest looks like a QEMU one to passt and to scripts.
     */
    public static long defaultMac(final int n) {
        return 0x5254_0012_3456L + n;
    }
}
