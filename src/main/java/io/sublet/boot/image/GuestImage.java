package io.sublet.boot.image;

import java.nio.file.Path;
import java.util.List;

/**
 * A complete, verified guest image in the cache: what {@code sublet run} boots. The paths are inside the image's
 * own directory, which a later pull never changes (it installs a new directory instead), so they stay valid and
 * consistent with each other for as long as they are used.
 *
 * @param name the image's name, e.g. {@code debian-trixie}
 * @param dir the image directory
 * @param kernel the kernel, an uncompressed RISC-V {@code Image} with an EFI/PE header (Debian's vmlinux)
 * @param initrd the initramfs, gzip-compressed cpio (newc)
 * @param fwJump OpenSBI {@code fw_jump.bin}, for {@code --bios}
 * @param fwDynamic OpenSBI {@code fw_dynamic.bin}, for {@code --bios}
 * @param kernelVersion the kernel release, as {@code uname -r} prints it
 * @param packages the Debian packages it was built from, each as {@code "name version"}
 * @param modules the kernel modules the initramfs loads, in load order
 */
public record GuestImage(String name, Path dir, Path kernel, Path initrd, Path fwJump, Path fwDynamic,
        String kernelVersion, List<String> packages, List<String> modules) { }
