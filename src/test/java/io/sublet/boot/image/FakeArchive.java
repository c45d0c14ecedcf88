package io.sublet.boot.image;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A miniature Debian archive for trixie/riscv64, made in memory: signed InRelease, Packages.xz (also by hash),
 * and the three packages, each small but shaped like the real ones (the kernel package has a RISC-V Image and
 * kernel modules with real-looking .modinfo, including a file name spelled with '-', a soft dependency through
 * an alias, and a module that is built in). Tests change the parts and {@link #build()} again.
 */
final class FakeArchive {
    static final String KVER = "6.12.0-1-riscv64";
    static final String KPKG = "linux-image-" + KVER;
    static final String MODDIR = "./usr/lib/modules/" + KVER + "/";
    static final String FW = "./usr/lib/riscv64-linux-gnu/opensbi/generic/";

    final TestKeys.SigningKey key;
    /** Kernel package data.tar entries after the kernel itself; tests may add to it. */
    final List<TestFiles.Entry> kernelExtra = new ArrayList<>();
    /** Extra Packages paragraphs. */
    final List<String> extraPackages = new ArrayList<>();
    String kernelVersion = "6.12.0-1";
    byte[] vmlinux = TestFiles.kernelImage(64 * 1024);
    String release = "";
    byte[] kernelDeb;
    byte[] busyboxDeb;
    byte[] opensbiDeb;
    byte[] packagesXz;
    byte[] inRelease;
    /** Path under the mirror root to content. */
    final Map<String, byte[]> files = new HashMap<>();

    FakeArchive(final TestKeys.SigningKey key) {
        this.key = key;
        build();
    }

    static byte[] mod(final String name, final String depends, final String... extra) {
        return TestFiles.xz(TestFiles.riscvModule(KVER, name, depends, extra));
    }

    FakeArchive build() {
        final List<TestFiles.Entry> k = new ArrayList<>();
        k.add(TestFiles.Entry.dir("./"));
        k.add(TestFiles.Entry.dir("./boot/"));
        k.add(TestFiles.Entry.file("./boot/vmlinux-" + KVER, vmlinux));
        k.add(TestFiles.Entry.file("./boot/config-" + KVER, "CONFIG_VIRTIO=y\n".getBytes(StandardCharsets.US_ASCII)));
        final String kd = MODDIR + "kernel/";
        k.add(TestFiles.Entry.file(kd + "drivers/virtio/virtio_mmio.ko.xz", mod("virtio_mmio", "")));
        k.add(TestFiles.Entry.file(kd + "drivers/block/virtio_blk.ko.xz", mod("virtio_blk", "")));
        k.add(TestFiles.Entry.file(kd + "drivers/net/virtio_net.ko.xz", mod("virtio_net", "net_failover")));
        k.add(TestFiles.Entry.file(kd + "drivers/net/net_failover.ko.xz", mod("net_failover", "failover")));
        k.add(TestFiles.Entry.file(kd + "net/core/failover.ko.xz", mod("failover", "")));
        k.add(TestFiles.Entry.file(kd + "drivers/char/hw_random/virtio-rng.ko.xz", mod("virtio_rng", "")));
        k.add(TestFiles.Entry.file(kd + "fs/ext4/ext4.ko.xz", mod("ext4", "jbd2,mbcache,crc16",
                "softdep=pre: crypto-crc32c", "alias=fs-ext4")));
        k.add(TestFiles.Entry.file(kd + "fs/jbd2/jbd2.ko.xz", mod("jbd2", "")));
        k.add(TestFiles.Entry.file(kd + "fs/mbcache.ko.xz", mod("mbcache", "")));
        k.add(TestFiles.Entry.file(kd + "lib/crc16.ko.xz", mod("crc16", "")));
        k.add(TestFiles.Entry.file(kd + "lib/libcrc32c.ko.xz", mod("libcrc32c", "", "softdep=pre: crc32c")));
        k.add(TestFiles.Entry.file(kd + "crypto/crc32c_generic.ko.xz", mod("crc32c_generic", "",
                "alias=crypto-crc32c", "alias=crc32c")));
        k.add(TestFiles.Entry.file(kd + "sound/unrelated.ko.xz", mod("unrelated", "")));
        k.add(TestFiles.Entry.file(MODDIR + "modules.builtin", "kernel/drivers/char/virtio_console.ko\n"
                .concat("kernel/fs/binfmt_script.ko\n").getBytes(StandardCharsets.US_ASCII)));
        k.add(TestFiles.Entry.symlink("./usr/lib/linux-image-" + KVER + "/link", "../../../boot"));
        k.addAll(kernelExtra);
        kernelDeb = TestFiles.deb(k);
        busyboxDeb = TestFiles.deb(List.of(TestFiles.Entry.dir("./usr/bin/"),
                TestFiles.Entry.file("./usr/bin/busybox", TestFiles.riscvExecutable(4096)),
                TestFiles.Entry.file("./usr/share/doc/busybox-static/copyright", new byte[10])));
        opensbiDeb = TestFiles.deb(List.of(
                TestFiles.Entry.file("./usr/lib/riscv32-linux-gnu/opensbi/generic/fw_jump.bin", new byte[100]),
                TestFiles.Entry.file(FW + "fw_dynamic.bin", fill(3000, 1)),
                TestFiles.Entry.file(FW + "fw_jump.bin", fill(2000, 2)),
                TestFiles.Entry.file(FW + "fw_jump.elf", new byte[50])));
        final Map<String, byte[]> pool = new LinkedHashMap<>();
        pool.put("pool/main/l/linux/" + KPKG + "_" + kernelVersion + "_riscv64.deb", kernelDeb);
        pool.put("pool/main/b/busybox/busybox-static_1.37.0-6_riscv64.deb", busyboxDeb);
        pool.put("pool/main/o/opensbi/opensbi_1.6-1_all.deb", opensbiDeb);
        final StringBuilder p = new StringBuilder();
        p.append("Package: 0ad\nVersion: 1\nArchitecture: riscv64\nFilename: pool/main/0/0ad/0ad_1_riscv64.deb\n")
                .append("Size: 10\nSHA256: ").append("0".repeat(64)).append("\nDescription: a game\n long text\n\n");
        p.append("Package: linux-image-riscv64\nSource: linux\nVersion: ").append(kernelVersion)
                .append("\nArchitecture: riscv64\nDepends: ").append(KPKG).append(" (= ").append(kernelVersion)
                .append(")\nFilename: pool/main/l/linux/linux-image-riscv64_").append(kernelVersion)
                .append("_riscv64.deb\nSize: 1436\nSHA256: ").append("1".repeat(64)).append("\n\n");
        p.append(stanza(KPKG, kernelVersion, "riscv64", "pool/main/l/linux/" + KPKG + "_" + kernelVersion
                + "_riscv64.deb", kernelDeb, "kmod, initramfs-tools (>= 0.120+deb8u2) | linux-initramfs-tool"));
        p.append(stanza("busybox-static", "1:1.37.0-6", "riscv64",
                "pool/main/b/busybox/busybox-static_1.37.0-6_riscv64.deb", busyboxDeb, null));
        p.append(stanza("opensbi", "1.6-1", "all", "pool/main/o/opensbi/opensbi_1.6-1_all.deb", opensbiDeb, null));
        for (String extra : extraPackages) {
            p.append(extra).append("\n\n");
        }
        packagesXz = TestFiles.xz(p.toString().getBytes(StandardCharsets.UTF_8));
        final String pxSha = Sha256.of(packagesXz);
        release = "Origin: Debian\nLabel: Debian\nSuite: stable\nCodename: trixie\n"
                + "Date: Sat, 12 Sep 2026 07:55:41 UTC\nAcquire-By-Hash: yes\nArchitectures: all riscv64\n"
                + "Components: main\nDescription: Test archive\nMD5Sum:\n " + "a".repeat(32) + " 10 main/x\nSHA256:\n "
                + Sha256.of(new byte[0]) + "        0 main/binary-riscv64/Release\n "
                + pxSha + " " + packagesXz.length + " main/binary-riscv64/Packages.xz\n";
        inRelease = TestKeys.clearSign(release, key);
        files.clear();
        files.put("dists/trixie/InRelease", inRelease);
        files.put("dists/trixie/main/binary-riscv64/Packages.xz", packagesXz);
        files.put("dists/trixie/main/binary-riscv64/by-hash/SHA256/" + pxSha, packagesXz);
        files.putAll(pool);
        return this;
    }

    static String stanza(final String name, final String version, final String arch, final String filename,
            final byte[] deb, final String depends) {
        return "Package: " + name + "\nVersion: " + version + "\nArchitecture: " + arch + "\n"
                + (depends == null ? "" : "Depends: " + depends + "\n") + "Filename: " + filename + "\nSize: "
                + deb.length + "\nSHA256: " + Sha256.of(deb) + "\nDescription: test\n\n";
    }

    /** The pool path of the kernel package. */
    String kernelPath() {
        return "pool/main/l/linux/" + KPKG + "_" + kernelVersion + "_riscv64.deb";
    }

    static byte[] fill(final int n, final int seed) {
        final byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * seed + 7);
        }
        return b;
    }
}
