package io.sublet.boot.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.cpio.CpioArchiveEntry;
import org.apache.commons.compress.archivers.cpio.CpioArchiveInputStream;
import org.junit.jupiter.api.Test;

class InitramfsTest {
    private static final String K = "6.12.0-1-riscv64";

    /** Every entry of a gzip'd cpio: name to [mode, data]. */
    static Map<String, Object[]> read(final byte[] gz) throws IOException {
        final Map<String, Object[]> out = new LinkedHashMap<>();
        try (CpioArchiveInputStream in =
                new CpioArchiveInputStream(new GZIPInputStream(new ByteArrayInputStream(gz)))) {
            CpioArchiveEntry e;
            while ((e = in.getNextEntry()) != null) {
                out.put(e.getName(), new Object[] {e.getMode(), in.readAllBytes(), e});
            }
        }
        return out;
    }

    static String text(final Map<String, Object[]> files, final String name) {
        return new String((byte[]) files.get(name)[1], StandardCharsets.UTF_8);
    }

    @Test
    void holdsBusyboxModulesInitAndTheDeviceNode() throws IOException {
        final byte[] busybox = TestFiles.riscvExecutable(300);
        final List<Initramfs.Module> mods = List.of(
                new Initramfs.Module("crc16", "kernel/lib/crc16.ko", new byte[] {1}, List.of()),
                new Initramfs.Module("jbd2", "kernel/fs/jbd2/jbd2.ko", new byte[] {2}, List.of("crc16")),
                new Initramfs.Module("mbcache", "kernel/fs/mbcache.ko", new byte[] {3}, List.of()),
                new Initramfs.Module("ext4", "kernel/fs/ext4/ext4.ko", new byte[] {4}, List.of("jbd2", "mbcache")),
                new Initramfs.Module("virtio_rng", "kernel/drivers/char/hw_random/virtio-rng.ko", new byte[] {5},
                        List.of()));
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        Initramfs.write(out, busybox, K, mods, 1_700_000_000L);
        final Map<String, Object[]> f = read(out.toByteArray());

        assertArrayEquals(busybox, (byte[]) f.get("bin/busybox")[1]);
        assertEquals(0100755L, f.get("bin/busybox")[0]);
        assertEquals("busybox", text(f, "bin/sh"));
        assertEquals("../bin/busybox", text(f, "sbin/init"));
        assertEquals(0100755L, f.get("init")[0]);
        final CpioArchiveEntry console = (CpioArchiveEntry) f.get("dev/console")[2];
        assertTrue(console.isCharacterDevice());
        assertEquals(5, console.getRemoteDeviceMaj());
        assertEquals(1, console.getRemoteDeviceMin());
        for (String d : List.of("proc", "sys", "dev", "tmp", "mnt", "root")) {
            assertTrue(((CpioArchiveEntry) f.get(d)[2]).isDirectory(), d);
        }
        assertArrayEquals(new byte[] {4}, (byte[]) f.get("lib/modules/" + K + "/kernel/fs/ext4/ext4.ko")[1]);

        final String init = text(f, "init");
        assertTrue(init.startsWith("#!/bin/sh\n"));
        for (String m : List.of("mount -t proc proc /proc", "mount -t sysfs sysfs /sys",
                "mount -t devtmpfs devtmpfs /dev", "exec /sbin/init", "insmod \"/lib/modules/" + K + "/$2\"")) {
            assertTrue(init.contains(m), m);
        }
        final int crc16 = init.indexOf("load crc16 kernel/lib/crc16.ko\n");
        final int jbd2 = init.indexOf("load jbd2 kernel/fs/jbd2/jbd2.ko\n");
        final int ext4 = init.indexOf("load ext4 kernel/fs/ext4/ext4.ko\n");
        assertTrue(crc16 > 0 && crc16 < jbd2 && jbd2 < ext4, init);
        assertTrue(init.contains("load virtio_rng kernel/drivers/char/hw_random/virtio-rng.ko\n"), init);

        // With a network card, eth0 is configured by DHCP after the modules (virtio_net among them) are loaded.
        final int dhcp = init.indexOf("udhcpc -i eth0 -s /etc/udhcpc.script");
        assertTrue(dhcp > ext4 && dhcp < init.indexOf("exec /sbin/init"), init);
        assertTrue(init.contains("if [ -e /sys/class/net/eth0 ]; then"), init);
        final String script = text(f, "etc/udhcpc.script");
        assertEquals(0755, ((CpioArchiveEntry) f.get("etc/udhcpc.script")[2]).getMode() & 0777);
        for (String line : List.of("bound|renew)", "ifconfig \"$interface\" \"$ip\" netmask", "route add default gw",
                "nameserver $d", "mtu \"$mtu\"")) {
            assertTrue(script.contains(line), line + " in\n" + script);
        }

        final String inittab = text(f, "etc/inittab");
        assertTrue(inittab.contains("::respawn:/bin/cttyhack /bin/sh -l\n"), inittab);
        assertTrue(inittab.contains("::ctrlaltdel:/sbin/reboot\n") && inittab.contains("::shutdown:"), inittab);

        assertEquals("kernel/lib/crc16.ko:\n"
                + "kernel/fs/jbd2/jbd2.ko: kernel/lib/crc16.ko\n"
                + "kernel/fs/mbcache.ko:\n"
                + "kernel/fs/ext4/ext4.ko: kernel/fs/mbcache.ko kernel/fs/jbd2/jbd2.ko kernel/lib/crc16.ko\n"
                + "kernel/drivers/char/hw_random/virtio-rng.ko:\n", text(f, "lib/modules/" + K + "/modules.dep"));
    }
}
