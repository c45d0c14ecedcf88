package io.sublet.boot.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The resolver on a tree of synthetic modules (small ELF relocatables with .modinfo, xz-compressed like Debian's). */
class ModuleResolverTest {
    private static final String K = "6.12.0-riscv64";

    @TempDir
    Path dir;

    private final Map<String, String> files = new HashMap<>();

    private void add(final String rel, final String name, final String depends, final String... extra)
            throws IOException {
        final byte[] ko = TestFiles.riscvModule(K, name, depends, extra);
        final Path p = dir.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.write(p, rel.endsWith(".xz") ? TestFiles.xz(ko) : ko);
        files.put(ModInfo.canonical(ModInfo.baseName(rel)), rel);
    }

    private ModuleTree tree(final String builtin, final String builtinModinfo) {
        return new ModuleTree(dir, files, builtin == null ? null : builtin.getBytes(StandardCharsets.UTF_8),
                builtinModinfo == null ? null : builtinModinfo.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void dependenciesComeFirstAndEachModuleOnce() throws Exception {
        add("kernel/fs/ext4/ext4.ko.xz", "ext4", "jbd2,mbcache,crc16", "softdep=pre: crypto-crc32c");
        add("kernel/fs/jbd2/jbd2.ko.xz", "jbd2", "crc16");
        add("kernel/fs/mbcache.ko.xz", "mbcache", "");
        add("kernel/lib/crc16.ko", "crc16", "");
        add("kernel/crypto/crc32c_generic.ko.xz", "crc32c_generic", "", "alias=crypto-crc32c");
        add("kernel/lib/libcrc32c.ko.xz", "libcrc32c", "", "softdep=pre: crc32c");
        add("kernel/drivers/char/hw_random/virtio-rng.ko.xz", "virtio_rng", "");
        add("kernel/drivers/net/virtio_net.ko.xz", "virtio_net", "net_failover");
        add("kernel/drivers/net/net_failover.ko.xz", "net_failover", "failover");
        add("kernel/net/core/failover.ko.xz", "failover", "");
        final ModuleTree t = tree("kernel/drivers/char/virtio_console.ko\n", null);
        final ModuleResolver.Result r = ModuleResolver.resolve(t,
                List.of("virtio-rng", "virtio_console", "ext4", "virtio_net", "jbd2"));
        assertEquals(List.of("virtio_rng", "crc32c_generic", "crc16", "jbd2", "mbcache", "ext4", "failover",
                "net_failover", "virtio_net"), r.order());
        assertEquals(List.of("virtio_console"), r.builtin());
        assertEquals(List.of(), r.notes());
        assertEquals("kernel/drivers/char/hw_random/virtio-rng.ko", t.installPath("virtio_rng"));
        assertEquals("kernel/lib/crc16.ko", t.installPath("crc16"));
        assertArrayEquals(TestFiles.riscvModule(K, "ext4", "jbd2,mbcache,crc16", "softdep=pre: crypto-crc32c"),
                t.bytes("ext4"), "decompressed");
    }

    @Test
    void softDependenciesOnBuiltinsOrNothingAreSkipped() throws Exception {
        add("kernel/fs/ext4/ext4.ko.xz", "ext4", "", "softdep=pre: crypto-crc32c post: nowhere");
        ModuleResolver.Result r = ModuleResolver.resolve(tree(null, "crc32c_generic.alias=crypto-crc32c\0"
                + "crc32c_generic.license=GPL\0"), List.of("ext4"));
        assertEquals(List.of("ext4"), r.order());
        assertEquals(List.of("ext4: soft dependency nowhere not found; skipped"), r.notes());
        r = ModuleResolver.resolve(tree(null, null), List.of("ext4"));
        assertEquals(2, r.notes().size());
    }

    @Test
    void missingModulesAndCyclesAreErrors() throws Exception {
        add("kernel/a.ko.xz", "a", "b");
        add("kernel/b.ko.xz", "b", "c");
        add("kernel/c.ko.xz", "c", "a");
        add("kernel/d.ko.xz", "d", "gone");
        final ModuleTree t = tree(null, null);
        ImageException e = assertThrows(ImageException.class, () -> ModuleResolver.resolve(t, List.of("a")));
        assertEquals("kernel modules depend on each other in a cycle: a -> b -> c -> a", e.getMessage());
        e = assertThrows(ImageException.class, () -> ModuleResolver.resolve(t, List.of("d")));
        assertEquals("kernel module d depends on gone, which is neither in the kernel package nor built in",
                e.getMessage());
        e = assertThrows(ImageException.class, () -> ModuleResolver.resolve(t, List.of("nosuch")));
        assertEquals("kernel module nosuch is neither in the kernel package nor built in", e.getMessage());
    }

    @Test
    void aCorruptCompressedModuleIsNamed() throws Exception {
        add("kernel/x.ko.xz", "x", "");
        Files.write(dir.resolve("kernel/x.ko.xz"), new byte[] {(byte) 0xfd, '7', 'z', 'X', 'Z', 0, 1, 2});
        final ImageException e = assertThrows(ImageException.class,
                () -> ModuleResolver.resolve(tree(null, null), List.of("x")));
        assertTrue(e.getMessage().startsWith("kernel/x.ko.xz: cannot decompress"), e.getMessage());
    }
}
