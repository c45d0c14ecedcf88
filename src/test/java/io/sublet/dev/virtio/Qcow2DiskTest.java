package io.sublet.dev.virtio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The qcow2 backend cross-checked with QEMU's own tools (Debian's qemu-utils): what Sublet writes passes
 * {@code qemu-img check} and {@code qemu-img compare} against a raw model of the same writes, and Sublet reads
 * what {@code qemu-img create}, {@code convert} and {@code qemu-io} wrote, through backing chains of depth 3.
 */
class Qcow2DiskTest {
    @TempDir
    Path dir;

    private record Run(int status, String output) { }

    private static Run tool(String... command) throws Exception {
        final Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            Assumptions.abort(command[0] + " is not installed (.ci/install-deps installs qemu-utils)");
            return null;
        }
        final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), command[0] + " finished");
        return new Run(p.exitValue(), out);
    }

    private static void assertCheckPasses(Path image) throws Exception {
        final Run r = tool("qemu-img", "check", "-f", "qcow2", image.toString());
        assertEquals(0, r.status(), "qemu-img check " + image + ":\n" + r.output());
    }

    private static void assertSameAs(Path image, Path raw) throws Exception {
        final Run r = tool("qemu-img", "compare", "-f", "qcow2", "-F", "raw", image.toString(), raw.toString());
        assertEquals(0, r.status(), "qemu-img compare:\n" + r.output());
    }

    /** Random writes, write-zeroes and discards, applied to the image and to a raw model alike. */
    private static void scribble(BlockBackend disk, RandomAccessFile model, long seed, int ops, int maxSectors)
            throws IOException {
        final Random r = new Random(seed);
        final long sectors = disk.size() / 512;
        for (int i = 0; i < ops; i++) {
            final long n = 1 + r.nextInt(maxSectors);
            final long at = (long) (r.nextDouble() * (sectors - n)) * 512;
            final int kind = r.nextInt(10);
            if (kind < 7) {
                final byte[] data = new byte[(int) n * 512];
                r.nextBytes(data);
                disk.write(at, ByteBuffer.wrap(data));
                model.seek(at);
                model.write(data);
            } else {
                if (kind == 7) {
                    disk.discard(at, n * 512);
                } else {
                    disk.writeZeroes(at, n * 512, kind == 8);
                }
                model.seek(at);
                model.write(new byte[(int) n * 512]);
            }
        }
    }

    private static byte[] readAll(BlockBackend disk) throws IOException {
        final ByteBuffer b = ByteBuffer.allocate((int) disk.size());
        disk.read(0, b);
        return b.array();
    }

    private Path model(String name, long size, Path from) throws IOException {
        final Path m = dir.resolve(name);
        if (from != null) {
            Files.copy(from, m);
        }
        try (RandomAccessFile f = new RandomAccessFile(m.toFile(), "rw")) {
            f.setLength(size);
        }
        return m;
    }

    @Test
    void whatSubletWritesPassesQemuImgCheckAndCompare() throws Exception {
        for (int bits : new int[] {16, 12}) {
            final Path image = dir.resolve("sublet-" + bits + ".qcow2");
            Qcow2Disk.create(image, 64L << 20, null, bits);
            assertCheckPasses(image);
            final Path model = model("model-" + bits + ".raw", 64L << 20, null);
            try (Qcow2Disk d = Qcow2Disk.open(image, false); RandomAccessFile m = new RandomAccessFile(model.toFile(), "rw")) {
                scribble(d, m, 7 + bits, 300, 300);
                d.flush();
                assertArrayEquals(Files.readAllBytes(model), readAll(d), "Sublet reads back what it wrote");
            }
            assertCheckPasses(image);
            assertSameAs(image, model);
        }
    }

    @Test
    void smallClustersGrowTheRefcountTableAndStayConsistent() throws Exception {
        final Path image = dir.resolve("small.qcow2");
        Qcow2Disk.create(image, 32L << 20, null, 9); // 512-byte clusters: one refcount table cluster covers 8 MiB
        final Path model = model("small.raw", 32L << 20, null);
        try (Qcow2Disk d = Qcow2Disk.open(image, false); RandomAccessFile m = new RandomAccessFile(model.toFile(), "rw")) {
            scribble(d, m, 99, 400, 128);
        }
        assertTrue(Files.size(image) > 8L << 20, "the image outgrew its first refcount table: " + Files.size(image));
        assertCheckPasses(image);
        assertSameAs(image, model);
    }

    @Test
    void subletReadsAndWritesImagesMadeByQemu() throws Exception {
        final Path raw = dir.resolve("data.raw");
        final byte[] data = new byte[8 << 20];
        new Random(5).nextBytes(data);
        for (int i = 0; i < data.length; i += 1 << 20) {
            java.util.Arrays.fill(data, i, i + (256 << 10), (byte) 0); // zero runs: convert leaves them out
        }
        Files.write(raw, data);
        final Path converted = dir.resolve("converted.qcow2");
        assertEquals(0, tool("qemu-img", "convert", "-f", "raw", "-O", "qcow2", raw.toString(), converted.toString())
                .status());
        try (BlockBackend d = DiskImages.open(converted, false)) {
            assertInstanceOf(Qcow2Disk.class, d);
            assertArrayEquals(data, readAll(d), "Sublet reads what qemu-img convert wrote");
        }

        final Path made = dir.resolve("qemu-io.qcow2");
        assertEquals(0, tool("qemu-img", "create", "-f", "qcow2", made.toString(), "16M").status());
        final Run io = tool("qemu-io", "-f", "qcow2", "-c", "write -P 0xab 1M 64k", "-c", "write -P 0xcd 3000k 5k",
                "-c", "write -z 2M 128k", made.toString());
        assertEquals(0, io.status(), io.output());
        final Path model = model("qemu-io.raw", 16L << 20, null);
        try (RandomAccessFile m = new RandomAccessFile(model.toFile(), "rw")) {
            m.seek(1 << 20);
            m.write(filled(64 << 10, 0xab));
            m.seek(3000 << 10);
            m.write(filled(5 << 10, 0xcd));
        }
        try (Qcow2Disk d = Qcow2Disk.open(made, false); RandomAccessFile m = new RandomAccessFile(model.toFile(), "rw")) {
            assertArrayEquals(Files.readAllBytes(model), readAll(d), "Sublet reads what qemu-io wrote");
            scribble(d, m, 3, 100, 64);
        }
        assertCheckPasses(made);
        assertSameAs(made, model);
    }

    private static byte[] filled(int n, int value) {
        final byte[] b = new byte[n];
        java.util.Arrays.fill(b, (byte) value);
        return b;
    }

    @Test
    void aBackingChainOfDepthThreeMadeBySubletAndQemuAlike() throws Exception {
        final Path base = dir.resolve("base.raw");
        final byte[] data = new byte[16 << 20];
        new Random(11).nextBytes(data);
        Files.write(base, data);
        final Path model = model("chain.raw", 16L << 20, base);

        final Path one = dir.resolve("one.qcow2");
        Qcow2Disk.create(one, 16L << 20, Path.of("base.raw"), Qcow2Disk.DEFAULT_CLUSTER_BITS);
        final Path two = dir.resolve("two.qcow2");
        assertEquals(0, tool("qemu-img", "create", "-f", "qcow2", "-b", "one.qcow2", "-F", "qcow2", two.toString())
                .status());
        final Path three = dir.resolve("three.qcow2");
        Qcow2Disk.create(three, 16L << 20, Path.of("two.qcow2"), Qcow2Disk.DEFAULT_CLUSTER_BITS);
        try (RandomAccessFile m = new RandomAccessFile(model.toFile(), "rw")) {
            long seed = 1;
            for (Path level : List.of(one, two, three)) {
                try (Qcow2Disk d = Qcow2Disk.open(level, false)) {
                    scribble(d, m, seed++, 60, 200); // partial clusters copy up from the levels below
                }
            }
        }
        for (Path level : List.of(one, two, three)) {
            assertCheckPasses(level);
        }
        try (BlockBackend d = DiskImages.open(three, true)) {
            assertArrayEquals(Files.readAllBytes(model), readAll(d), "the top of the chain reads the model");
        }
        assertSameAs(three, model);
        assertArrayEquals(data, Files.readAllBytes(base), "the raw base was never written");
    }

    @Test
    void malformedImagesAreRefusedWithTheProblemNamed() throws Exception {
        final Path good = dir.resolve("good.qcow2");
        Qcow2Disk.create(good, 1L << 20, null, 16);
        final byte[] bytes = Files.readAllBytes(good);
        final List<String[]> cases = new ArrayList<>();
        cases.add(new String[] {"4", "00000004", "version 4"});
        cases.add(new String[] {"20", "00000008", "cluster_bits 8"});
        cases.add(new String[] {"32", "00000001", "encrypted"});
        cases.add(new String[] {"72", "0000000000000010", "incompatible features"});
        cases.add(new String[] {"72", "0000000000000002", "marked corrupt"});
        cases.add(new String[] {"96", "00000005", "refcount width"});
        cases.add(new String[] {"40", "0000000000fff000", "outside the file"});
        cases.add(new String[] {"24", "0000000000000201", "multiple of 512"});
        for (String[] c : cases) {
            final byte[] bad = bytes.clone();
            final byte[] patch = java.util.HexFormat.of().parseHex(c[1]);
            System.arraycopy(patch, 0, bad, Integer.parseInt(c[0]), patch.length);
            final Path file = Files.write(dir.resolve("bad.qcow2"), bad);
            final IOException e = assertThrows(IOException.class, () -> Qcow2Disk.open(file, true).close());
            assertTrue(e.getMessage().contains(c[2]) && e.getMessage().contains(file.toString()), e.getMessage());
        }
        final byte[] dirty = bytes.clone();
        dirty[79] = 1;
        final Path file = Files.write(dir.resolve("dirty.qcow2"), dirty);
        assertTrue(assertThrows(IOException.class, () -> Qcow2Disk.open(file, false)).getMessage().contains("dirty"));
        Qcow2Disk.open(file, true).close(); // read-only is fine
        final Path orphan = dir.resolve("orphan.qcow2");
        Qcow2Disk.create(orphan, 1L << 20, Path.of("good.qcow2"), 16);
        Files.delete(good);
        assertTrue(assertThrows(IOException.class, () -> Qcow2Disk.open(orphan, true)).getMessage()
                .contains("does not exist"));
    }
}
