package io.sublet.net;

import java.util.Arrays;

/**
 * The switch's forwarding table: which port each source MAC address was last seen on. Open addressing
 * with linear probing over parallel arrays, so a lookup per frame allocates and boxes nothing. Bounded:
 * when it is full, new addresses are not learnt (their frames are flooded), so a guest inventing source
 * addresses cannot grow the host's memory. Not thread-safe: the switch holds its lock.
 */
final class MacTable<P> {
    private static final long EMPTY = -1L; // not a MAC: MACs have 48 bits
    private final long[] keys;
    private final Object[] ports;
    private final int mask;
    private final int limit;
    private int size;

    /** @param capacity a power of 2; at most three quarters of it is used */
    MacTable(final int capacity) {
        keys = new long[capacity];
        Arrays.fill(keys, EMPTY);
        ports = new Object[capacity];
        mask = capacity - 1;
        limit = capacity * 3 / 4;
    }

    int size() {
        return size;
    }

    /** The port {@code mac} was seen on, or null. */
    @SuppressWarnings("unchecked")
    P get(final long mac) {
        for (int i = hash(mac); ; i = (i + 1) & mask) {
            if (keys[i] == mac) {
                return (P) ports[i];
            }
            if (keys[i] == EMPTY) {
                return null;
            }
        }
    }

    /** Records that {@code mac} is behind {@code port}; false when the table is full and the address is new. */
    boolean put(final long mac, final P port) {
        for (int i = hash(mac); ; i = (i + 1) & mask) {
            if (keys[i] == mac) {
                ports[i] = port;
                return true;
            }
            if (keys[i] == EMPTY) {
                if (size == limit) {
                    return false;
                }
                keys[i] = mac;
                ports[i] = port;
                size++;
                return true;
            }
        }
    }

    /** Forgets every address learnt on {@code port} (it left the switch); rebuilds the probe chains. */
    void removePort(final P port) {
        final long[] k = keys.clone();
        final Object[] p = ports.clone();
        Arrays.fill(keys, EMPTY);
        Arrays.fill(ports, null);
        size = 0;
        for (int i = 0; i < k.length; i++) {
            if (k[i] != EMPTY && p[i] != port) {
                put(k[i], cast(p[i]));
            }
        }
    }

    @SuppressWarnings("unchecked")
    private P cast(final Object o) {
        return (P) o;
    }

    private int hash(final long mac) {
        final long h = mac * 0x9E37_79B9_7F4A_7C15L;
        return (int) (h >>> 40) & mask;
    }
}
