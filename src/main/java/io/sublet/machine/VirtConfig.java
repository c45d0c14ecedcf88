package io.sublet.machine;

import io.sublet.net.NetSpec;
import java.nio.file.Path;
import java.util.List;

/**
 * What to boot on the virt board. {@code bios} null selects the built-in SBI (the kernel runs in S mode
 * with the VMM answering its ecalls); otherwise that firmware (OpenSBI fw_jump/fw_dynamic) runs in M mode.
 */
public record VirtConfig(long ramSize, Path kernel, Path initrd, String append, Path bios, Path dtbOut,
                         boolean deterministic, List<DiskSpec> disks, boolean rng, List<NetSpec> nets) {
    public static final String DEFAULT_APPEND = "console=ttyS0 earlycon=sbi panic=-1";

    public VirtConfig {
        if (kernel == null) {
            throw new IllegalArgumentException("no kernel given");
        }
        append = append == null ? DEFAULT_APPEND : append;
        disks = List.copyOf(disks);
        nets = List.copyOf(nets);
    }

    /** No network cards. */
    public VirtConfig(long ramSize, Path kernel, Path initrd, String append, Path bios, Path dtbOut,
                      boolean deterministic, List<DiskSpec> disks, boolean rng) {
        this(ramSize, kernel, initrd, append, bios, dtbOut, deterministic, disks, rng, List.of());
    }

    /** No disks, with the entropy device. */
    public VirtConfig(long ramSize, Path kernel, Path initrd, String append, Path bios, Path dtbOut,
                      boolean deterministic) {
        this(ramSize, kernel, initrd, append, bios, dtbOut, deterministic, List.of(), true);
    }

    public VirtConfig withDisks(List<DiskSpec> attached) {
        return new VirtConfig(ramSize, kernel, initrd, append, bios, dtbOut, deterministic, attached, rng, nets);
    }

    public VirtConfig withRng(boolean present) {
        return new VirtConfig(ramSize, kernel, initrd, append, bios, dtbOut, deterministic, disks, present, nets);
    }

    /** Network cards, in order (eth0 first); none by default. */
    public VirtConfig withNets(List<NetSpec> cards) {
        return new VirtConfig(ramSize, kernel, initrd, append, bios, dtbOut, deterministic, disks, rng, cards);
    }

    /** The console the kernel will use: the last console= on its command line, as Linux picks /dev/console. */
    public boolean virtioConsoleIsPrimary() {
        String last = "";
        for (String arg : append.split("\\s+")) {
            if (arg.startsWith("console=")) {
                last = arg.substring("console=".length());
            }
        }
        return last.startsWith("hvc");
    }
}
