package io.sublet.machine;

import java.nio.file.Path;

/**
 * What to boot on the virt board. {@code bios} null selects the built-in SBI (the kernel runs in S mode
 * with the VMM answering its ecalls); otherwise that firmware (OpenSBI fw_jump/fw_dynamic) runs in M mode.
 */
public record VirtConfig(long ramSize, Path kernel, Path initrd, String append, Path bios, Path dtbOut,
                         boolean deterministic) {
    public static final String DEFAULT_APPEND = "console=ttyS0 earlycon=sbi panic=-1";

    public VirtConfig {
        if (kernel == null) {
            throw new IllegalArgumentException("no kernel given");
        }
        append = append == null ? DEFAULT_APPEND : append;
    }
}
