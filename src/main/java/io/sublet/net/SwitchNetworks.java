package io.sublet.net;

import java.util.Map;
import java.util.TreeMap;

/**
 * The named networks of one process (the {@code sublet serve} daemon, or a test running several VMs):
 * {@code --net network=NAME} joins the switch of that name, created on first use. VMs on different
 * names cannot reach each other.
 */
public final class SwitchNetworks {
    private final Map<String, VirtualSwitch> networks = new TreeMap<>();

    /** The switch called {@code name}, created if it does not exist yet. */
    public synchronized VirtualSwitch network(final String name) {
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")) {
            throw new IllegalArgumentException("network name '" + name + "': use 1 to 64 letters, digits, '.', '_' or '-'");
        }
        return networks.computeIfAbsent(name, VirtualSwitch::new);
    }

    /** Every network by name, for listing. */
    public synchronized Map<String, VirtualSwitch> all() {
        return Map.copyOf(networks);
    }
}
