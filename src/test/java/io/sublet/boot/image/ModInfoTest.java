package io.sublet.boot.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModInfoTest {
    @TempDir
    Path dir;

    @Test
    void readsNameDependsSoftdepsAliasesAndVermagicFromTheModinfoSection() throws ImageException {
        final byte[] ko = TestFiles.riscvModule("6.12.0-riscv64", "ext4", "jbd2,mbcache,crc16",
                "softdep=pre: crypto-crc32c", "alias=fs-ext4", "alias=ext3", "softdep=post: foo-bar");
        final ModInfo m = ModInfo.of("ext4.ko", ko);
        assertEquals("ext4", m.name());
        assertEquals(List.of("jbd2", "mbcache", "crc16"), m.depends());
        assertEquals(List.of("crypto-crc32c"), m.softPre());
        assertEquals(List.of("foo-bar"), m.softPost());
        assertEquals(List.of("fs-ext4", "ext3"), m.aliases());
        assertEquals("6.12.0-riscv64 SMP mod_unload modversions riscv", m.vermagic());
    }

    @Test
    void dashesBecomeUnderscoresAndAMissingNameComesFromTheFile() throws ImageException {
        final ModInfo m = ModInfo.of("drivers/char/hw_random/virtio-rng.ko",
                TestFiles.module(TestFiles.EM_RISCV, "depends=a-b,c", "license=GPL"));
        assertEquals("virtio_rng", m.name());
        assertEquals(List.of("a_b", "c"), m.depends());
        assertEquals("virtio-rng", ModInfo.baseName("kernel/x/virtio-rng.ko.xz"));
    }

    @Test
    void theSyntheticModuleIsValidElfForBinutils() throws Exception {
        final Path ko = dir.resolve("m.ko");
        Files.write(ko, TestFiles.riscvModule("6.12.0-riscv64", "m", "dep_one"));
        final Process p;
        try {
            p = new ProcessBuilder("readelf", "-p", ".modinfo", ko.toString()).redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            Assumptions.abort("readelf (Debian package binutils) is not installed");
            return;
        }
        final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertTrue(out.contains("depends=dep_one") && out.contains("name=m"), out);
    }

    @Test
    void corruptAndForeignFilesAreRefused() {
        final byte[] ko = TestFiles.riscvModule("v", "m", "");
        assertRefused("not an ELF file", "text".getBytes(StandardCharsets.US_ASCII));
        assertRefused("truncated ELF header", Arrays.copyOf(ko, 40));
        assertRefused("section header table lies outside the file", Arrays.copyOf(ko, ko.length - 10));
        assertRefused("not RISC-V", TestFiles.module(62, "name=m"));
        final byte[] exec = ko.clone();
        ByteBuffer.wrap(exec).order(ByteOrder.LITTLE_ENDIAN).putShort(16, (short) 2);
        assertRefused("not a relocatable kernel module", exec);
        final byte[] bigSection = ko.clone();
        final ByteBuffer b = ByteBuffer.wrap(bigSection).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong((int) b.getLong(40) + 64 + 32, 1L << 40); // .modinfo sh_size
        assertRefused("section 1 lies outside the file", bigSection);
        final byte[] badName = ko.clone();
        final ByteBuffer n = ByteBuffer.wrap(badName).order(ByteOrder.LITTLE_ENDIAN);
        n.putInt((int) n.getLong(40) + 64, 100000); // .modinfo sh_name
        assertRefused("name offset out of range", badName);
        final byte[] noInfo = ko.clone();
        final ByteBuffer s = ByteBuffer.wrap(noInfo).order(ByteOrder.LITTLE_ENDIAN);
        s.putInt((int) s.getLong(40) + 64, 20); // rename .modinfo to .bss
        assertRefused("no .modinfo section", noInfo);
    }

    private static void assertRefused(final String reason, final byte[] file) {
        final ImageException e = assertThrows(ImageException.class, () -> ModInfo.of("x.ko", file));
        assertTrue(e.getMessage().startsWith("x.ko: ") && e.getMessage().contains(reason), e.getMessage());
    }
}
