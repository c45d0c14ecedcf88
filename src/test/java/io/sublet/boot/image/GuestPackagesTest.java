package io.sublet.boot.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class GuestPackagesTest {
    private static final String SHA = "ab".repeat(32);

    private static String stanza(final String name, final String version, final String depends) {
        return "Package: " + name + "\nVersion: " + version + "\nArchitecture: riscv64\n"
                + (depends == null ? "" : "Depends: " + depends + "\n")
                + "Description: something\n more lines\n .\n and more\nFilename: pool/main/x/" + name + "_" + version
                + "_riscv64.deb\nSize: 1234\nSHA256: " + SHA + "\n\n";
    }

    private static PackageIndex index(final String text) throws IOException, ImageException {
        return PackageIndex.read("Packages", new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)),
                GuestPackages.WANTED);
    }

    @Test
    void theKernelIsTheMetaPackagesVersionedDependency() throws Exception {
        final PackageIndex idx = index(stanza("aaa", "1", null)
                + stanza("linux-image-riscv64", "6.12.107-1",
                        "linux-image-6.12.107+deb13-riscv64-unsigned (= 6.12.107-1)"
                                + " | linux-image-6.12.107+deb13-riscv64 (= 6.12.107-1)")
                + stanza("linux-image-6.12.107+deb13-riscv64", "6.12.107-1",
                        "kmod, initramfs-tools | linux-initramfs-tool")
                + stanza("linux-image-6.12.106+deb13-riscv64", "6.12.106-1", null)
                + stanza("busybox-static", "1:1.37.0-6", null)
                + stanza("busybox-static", "1:1.37.0-6+b9", null)
                + stanza("opensbi", "1.6-1", null));
        final GuestPackages p = GuestPackages.resolve("Packages", idx);
        assertEquals("linux-image-6.12.107+deb13-riscv64", p.kernel().name());
        assertEquals("6.12.107-1", p.kernel().version());
        assertEquals("1:1.37.0-6+b9", p.busybox().version(), "the highest version of several");
        assertEquals("opensbi", p.opensbi().name());
        assertEquals("pool/main/x/opensbi_1.6-1_riscv64.deb", p.opensbi().filename());
        assertEquals("opensbi_1.6-1_riscv64.deb", p.opensbi().debName());
        assertEquals(1234, p.opensbi().size());
        assertEquals(SHA, p.opensbi().sha256());
        assertEquals(List.of(), idx.all("aaa"), "packages the filter rejects are not kept");
    }

    @Test
    void aVersionConstraintThatNothingMeetsIsAnError() throws Exception {
        final PackageIndex idx = index(stanza("linux-image-riscv64", "6.12.107-1",
                "linux-image-6.12.107+deb13-riscv64 (= 6.12.107-1)")
                + stanza("linux-image-6.12.107+deb13-riscv64", "6.12.106-1", null)
                + stanza("busybox-static", "1", null) + stanza("opensbi", "1", null));
        final ImageException e = assertThrows(ImageException.class, () -> GuestPackages.resolve("Packages", idx));
        assertTrue(e.getMessage().contains("depends on no kernel package"), e.getMessage());
    }

    @Test
    void missingPackagesAndBadFieldsAreNamed() throws Exception {
        ImageException e = assertThrows(ImageException.class,
                () -> GuestPackages.resolve("Packages", index(stanza("opensbi", "1", null))));
        assertEquals("Packages: no package linux-image-riscv64 (is this the riscv64 index?)", e.getMessage());
        e = assertThrows(ImageException.class,
                () -> index(stanza("opensbi", "1", null).replace("Size: 1234", "Size: x")));
        assertTrue(e.getMessage().contains("package opensbi: malformed Size"), e.getMessage());
        e = assertThrows(ImageException.class,
                () -> index(stanza("opensbi", "1", null).replace("pool/main/x/", "pool/../../etc/")));
        assertTrue(e.getMessage().contains("unsafe Filename"), e.getMessage());
        e = assertThrows(ImageException.class, () -> index(stanza("opensbi", "1", null).replace("SHA256: ", "MD5: ")));
        assertTrue(e.getMessage().contains("has no SHA256 field"), e.getMessage());
    }

    @Test
    void relationsParse() throws ImageException {
        final List<List<Relation>> d = Relation.parseDepends(
                "libc6 (>= 2.34), a | b:any (<< 2) [riscv64], c <!nocheck>, d (> 1)");
        assertEquals(4, d.size());
        assertEquals(new Relation("libc6", ">=", "2.34"), d.get(0).get(0));
        assertEquals(List.of(new Relation("a", null, null), new Relation("b", "<<", "2")), d.get(1));
        assertEquals(new Relation("c", null, null), d.get(2).get(0));
        assertEquals(new Relation("d", ">=", "1"), d.get(3).get(0));
        assertTrue(d.get(0).get(0).satisfiedBy("libc6", "2.41-12"));
        assertTrue(!d.get(1).get(1).satisfiedBy("b", "2"));
        assertThrows(ImageException.class, () -> Relation.parseDepends("a (= )"));
    }
}
