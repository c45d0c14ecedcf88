package io.sublet.boot.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DebArchiveTest {
    @TempDir
    Path dir;

    private Path write(final String name, final byte[] bytes) throws IOException {
        final Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    @Test
    void entriesAreStreamedWithNormalisedNames() throws Exception {
        final Path deb = write("a.deb", TestFiles.deb(List.of(TestFiles.Entry.dir("./"),
                TestFiles.Entry.dir("./usr/bin"),
                TestFiles.Entry.file("./usr/bin/tool", new byte[] {1, 2, 3}),
                TestFiles.Entry.symlink("./usr/bin/alias", "tool"),
                TestFiles.Entry.symlink("./usr/lib/up", "../../etc"))));
        final List<String> seen = new ArrayList<>();
        DebArchive.readData(deb, (path, header, in) -> {
            seen.add(path + (header.isSymbolicLink() ? " -> " + header.getLinkName() : ""));
            if (path.equals("usr/bin/tool")) {
                assertArrayEquals(new byte[] {1, 2, 3}, in.readAllBytes());
            }
        });
        assertEquals(List.of("usr/bin/tool", "usr/bin/alias -> tool", "usr/lib/up -> ../../etc"), seen);
        final Path target = dir.resolve("out/tool");
        assertEquals(Set.of("usr/bin/tool"), DebArchive.extract(deb, Map.of("usr/bin/tool", target,
                "usr/bin/alias", dir.resolve("out/alias")), 100));
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(target));
        assertTrue(Files.notExists(dir.resolve("out/alias")), "links are not extracted as files");
        final ImageException e = assertThrows(ImageException.class,
                () -> DebArchive.extract(deb, Map.of("usr/bin/tool", dir.resolve("small")), 2));
        assertTrue(e.getMessage().contains("usr/bin/tool is larger than"), e.getMessage());
    }

    @Test
    void pathsThatClimbOutOrAreAbsoluteMakeThePackageUnacceptable() throws IOException {
        for (String evil : List.of("../../etc/passwd", "./usr/../../x", "/etc/shadow", "./a/b/../../../c")) {
            final Path deb = write("evil.deb", TestFiles.deb(List.of(TestFiles.Entry.file("./ok", new byte[1]),
                    TestFiles.Entry.file(evil, new byte[] {9}))));
            final Path out = Files.createDirectories(dir.resolve("out"));
            final ImageException e = assertThrows(ImageException.class, () -> DebArchive.extract(deb,
                    Map.of("ok", out.resolve("ok"), "etc/passwd", out.resolve("p")), 100));
            assertEquals("evil.deb: unsafe path in data.tar: " + evil, e.getMessage());
            try (Stream<Path> s = Files.walk(dir)) {
                assertTrue(s.noneMatch(p -> p.getFileName().toString().matches("passwd|shadow|x|c")), evil);
            }
        }
        assertEquals("usr/bin/x", DebArchive.safePath("./usr//bin/./x"));
        assertEquals("", DebArchive.safePath("./"));
        assertNull(DebArchive.safePath("a/../../b"));
        assertNull(DebArchive.safePath("a\\..\\b"));
    }

    @Test
    void truncatedCorruptAndForeignPackagesAreRefusedWithTheFileName() throws IOException {
        final byte[] good = TestFiles.deb(List.of(TestFiles.Entry.file("./usr/bin/busybox",
                FakeArchive.fill(50000, 3))));
        final Path truncated = write("trunc.deb", Arrays.copyOf(good, good.length - 300));
        ImageException e = assertThrows(ImageException.class, () -> DebArchive.readData(truncated, (p, h, in) -> {
            in.readAllBytes();
        }));
        assertTrue(e.getMessage().startsWith("trunc.deb: corrupt or truncated package: "), e.getMessage());

        final byte[] flipped = good.clone();
        flipped[flipped.length - 400] ^= 0x55;
        final Path corrupt = write("corrupt.deb", flipped);
        e = assertThrows(ImageException.class, () -> DebArchive.readData(corrupt, (p, h, in) -> in.readAllBytes()));
        assertTrue(e.getMessage().startsWith("corrupt.deb: corrupt or truncated package: "), e.getMessage());

        final Path text = write("text.deb", "hello".getBytes(StandardCharsets.US_ASCII));
        e = assertThrows(ImageException.class, () -> DebArchive.readData(text, (p, h, in) -> { }));
        assertTrue(e.getMessage().startsWith("text.deb: "), e.getMessage());

        final Map<String, byte[]> members = new LinkedHashMap<>();
        members.put("debian-binary", "2.0\n".getBytes(StandardCharsets.US_ASCII));
        members.put("data.tar.zst", new byte[10]);
        final Path zst = write("zst.deb", TestFiles.ar(members));
        e = assertThrows(ImageException.class, () -> DebArchive.readData(zst, (p, h, in) -> { }));
        assertEquals("zst.deb: data.tar.zst is compressed in a way Sublet cannot read", e.getMessage());

        members.clear();
        members.put("control.tar.xz", new byte[10]);
        final Path noBinary = write("nb.deb", TestFiles.ar(members));
        e = assertThrows(ImageException.class, () -> DebArchive.readData(noBinary, (p, h, in) -> { }));
        assertEquals("nb.deb: not a Debian package (no debian-binary member first)", e.getMessage());
    }
}
