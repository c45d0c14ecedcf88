package io.sublet.boot.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

/**
 * What Sublet takes from a Debian kernel package ({@code linux-image-VERSION}): the kernel {@code
 * /boot/vmlinux-VERSION} — an uncompressed RISC-V {@code Image} with an EFI/PE header, kept exactly as shipped —
 * and the module tree {@code /usr/lib/modules/VERSION/kernel/}, unpacked into a work directory for {@link
 * ModuleTree}.
 */
final class KernelPackage {
    private static final Pattern VMLINUX = Pattern.compile("boot/vmlinux-([^/]+)");
    private static final Pattern MODULE = Pattern.compile(
            "(?:usr/)?lib/modules/([^/]+)/(kernel/.+\\.ko(?:\\.xz|\\.gz)?)");
    private static final Pattern BUILTIN = Pattern.compile(
            "(?:usr/)?lib/modules/([^/]+)/(modules\\.builtin(?:\\.modinfo)?)");
    private static final long MAX_KERNEL = 512L << 20;
    private static final long MAX_MODULE_FILE = 64L << 20;
    private static final int MAX_LIST = 64 << 20;

    /** RISC-V Image header magic2 at offset 56 (Linux Documentation/arch/riscv/boot-image-header.rst). */
    private static final byte[] MAGIC2 = {'R', 'S', 'C', 0x05};

    private final String version;
    private final Path vmlinux;
    private final long buildTime;
    private final ModuleTree modules;

    private KernelPackage(final String version, final Path vmlinux, final long buildTime, final ModuleTree modules) {
        this.version = version;
        this.vmlinux = vmlinux;
        this.buildTime = buildTime;
        this.modules = modules;
    }

    /** The kernel release, as {@code uname -r} prints it and as the modules directory is named. */
    String version() {
        return version;
    }

    /** The kernel file in the work directory. */
    Path vmlinux() {
        return vmlinux;
    }

    /** The kernel file's modification time in the package (seconds since the epoch), for reproducible output. */
    long buildTime() {
        return buildTime;
    }

    ModuleTree modules() {
        return modules;
    }

    /** Unpacks the kernel to {@code work/vmlinux} and the module files under {@code work/modules/}. */
    static KernelPackage unpack(final Path deb, final Path work) throws ImageException {
        final String name = deb.getFileName().toString();
        final Path moduleRoot = work.resolve("modules");
        final Path kernel = work.resolve("vmlinux");
        final String[] kernelVersion = {null};
        final long[] mtime = {0};
        final Map<String, String> files = new HashMap<>();
        final Map<String, String> moduleVersions = new HashMap<>();
        final Map<String, byte[]> lists = new HashMap<>();
        DebArchive.readData(deb, (path, header, in) -> {
            final Matcher k = VMLINUX.matcher(path);
            final Matcher m = MODULE.matcher(path);
            final Matcher b = BUILTIN.matcher(path);
            if (k.matches()) {
                requireFile(name, path, header);
                if (kernelVersion[0] != null) {
                    throw new ImageException(name + ": has two kernels, vmlinux-" + kernelVersion[0] + " and " + path);
                }
                kernelVersion[0] = k.group(1);
                mtime[0] = header.getModTime().toInstant().getEpochSecond();
                DebArchive.copy(name, path, in, kernel, MAX_KERNEL);
            } else if (m.matches() && DebArchive.isRegular(header)) {
                final String rel = m.group(2);
                DebArchive.copy(name, path, in, moduleRoot.resolve(rel), MAX_MODULE_FILE);
                final String module = ModInfo.canonical(ModInfo.baseName(rel));
                if (files.put(module, rel) != null) {
                    throw new ImageException(name + ": two files for kernel module " + module);
                }
                moduleVersions.put(m.group(1), rel);
            } else if (b.matches() && DebArchive.isRegular(header)) {
                lists.put(b.group(2), readLimited(name, path, in));
                moduleVersions.put(b.group(1), path);
            }
        });
        if (kernelVersion[0] == null) {
            throw new ImageException(name + ": has no boot/vmlinux-* kernel");
        }
        for (String v : moduleVersions.keySet()) {
            if (!v.equals(kernelVersion[0])) {
                throw new ImageException(name + ": modules for kernel " + v + " but the kernel is "
                        + kernelVersion[0]);
            }
        }
        checkImageHeader(name, kernel);
        return new KernelPackage(kernelVersion[0], kernel, mtime[0], new ModuleTree(moduleRoot, files,
                lists.get("modules.builtin"), lists.get("modules.builtin.modinfo")));
    }

    private static void requireFile(final String deb, final String path, final TarArchiveEntry header)
            throws ImageException {
        if (!DebArchive.isRegular(header)) {
            throw new ImageException(deb + ": " + path + " is a link, not the kernel itself");
        }
    }

    private static byte[] readLimited(final String deb, final String path, final InputStream in)
            throws IOException, ImageException {
        final byte[] b = in.readNBytes(MAX_LIST + 1);
        if (b.length > MAX_LIST) {
            throw new ImageException(deb + ": " + path + " is larger than " + (MAX_LIST >> 20) + " MiB");
        }
        return b;
    }

    /** Refuses a kernel that is not a RISC-V {@code Image}: its header has "RSC\x05" at offset 56. */
    static void checkImageHeader(final String deb, final Path kernel) throws ImageException {
        final byte[] head = new byte[64];
        try (InputStream in = Files.newInputStream(kernel)) {
            if (in.readNBytes(head, 0, head.length) != head.length) {
                throw new ImageException(deb + ": the kernel is shorter than a RISC-V Image header");
            }
        } catch (IOException e) {
            throw new ImageException(kernel + ": cannot read: " + e.getMessage(), e);
        }
        for (int i = 0; i < MAGIC2.length; i++) {
            if (head[56 + i] != MAGIC2[i]) {
                throw new ImageException(deb + ": the kernel is not a RISC-V Image (no RSC\\x05 magic at offset 56)");
            }
        }
    }
}
