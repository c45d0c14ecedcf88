package io.sublet.boot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The FDT writer: header fields and block layout checked in Java ({@link FdtReader}), the text checked by decoding
 * with {@code dtc}, and every kind of misuse refused with a message that names the problem.
 */
class FdtTest {
    private static void assumeDtc() {
        final String missing = Dtc.missingReason();
        Assumptions.assumeTrue(missing == null, missing);
    }

    /** A small tree with every kind of property, a memory reservation and a phandle reference. */
    private static byte[] sample() {
        final Fdt fdt = new Fdt();
        fdt.reserveMemory(0x8000_0000L, 0x20_0000L);
        fdt.bootCpu(1);
        fdt.beginNode("");
        fdt.propertyU32("#address-cells", 2);
        fdt.propertyU32("#size-cells", 2);
        fdt.propertyString("model", "sublet,test");
        fdt.beginNode("node@1000");
        fdt.propertyEmpty("flag");
        fdt.propertyU32("zero", 0);
        fdt.propertyU32("answer", 42);
        fdt.propertyU64("big", 0x1234_5678_9abc_def0L);
        fdt.propertyCells("reg", 0, 0x1000, 0, 0x100);
        fdt.propertyString("compatible", "sublet,thing");
        fdt.propertyStrings("list", "a", "bc", "def");
        fdt.propertyBytes("bytes", new byte[] {(byte) 0xde, (byte) 0xad, (byte) 0xbe});
        final int ph = fdt.addPhandle();
        fdt.endNode();
        fdt.beginNode("other");
        fdt.propertyString("compatible", "sublet,other");
        fdt.propertyU32("ref", ph);
        fdt.endNode();
        fdt.endNode();
        return fdt.finish();
    }

    @Test
    void headerFieldsDescribeTheBlocks() {
        final byte[] blob = sample();
        final FdtReader.Header h = FdtReader.header(blob);
        assertEquals(0xd00dfeed, h.magic());
        assertEquals(blob.length, h.totalSize());
        assertEquals(17, h.version());
        assertEquals(16, h.lastCompVersion());
        assertEquals(1, h.bootCpuidPhys());
        assertEquals(40, h.offMemRsvmap(), "reservation block right after the header");
        assertEquals(40 + 2 * 16, h.offDtStruct(), "one reservation and the terminating entry");
        assertEquals(h.offDtStruct() + h.sizeDtStruct(), h.offDtStrings());
        assertEquals(h.offDtStrings() + h.sizeDtStrings(), h.totalSize());
        assertEquals(0, h.offDtStruct() % 8);
        assertEquals(0, h.sizeDtStruct() % 4);

        final FdtReader.Tree tree = FdtReader.read(blob);
        assertEquals(1, tree.reservations().size());
        assertArrayEquals(new long[] {0x8000_0000L, 0x20_0000L}, tree.reservations().get(0));
        assertEquals(List.of("/", "/node@1000", "/other"), tree.root().paths());
        final FdtReader.Node n = tree.root().at("/node@1000");
        assertEquals(List.of("flag", "zero", "answer", "big", "reg", "compatible", "list", "bytes", "phandle"),
            List.copyOf(n.properties().keySet()));
        assertEquals(0, n.property("flag").length);
        assertEquals(42, n.u32("answer"));
        assertEquals(0x1234_5678_9abc_def0L, n.u64("big"));
        assertArrayEquals(new int[] {0, 0x1000, 0, 0x100}, n.cells("reg"));
        assertEquals(List.of("a", "bc", "def"), n.strings("list"));
        assertArrayEquals(new byte[] {(byte) 0xde, (byte) 0xad, (byte) 0xbe}, n.property("bytes"));
        assertEquals(1, n.u32("phandle"));
        assertEquals(1, tree.root().at("/other").u32("ref"));
    }

    @Test
    void propertyNamesAreStoredOnceInTheStringsBlock() {
        final byte[] blob = sample();
        final FdtReader.Header h = FdtReader.header(blob);
        final String strings = new String(blob, h.offDtStrings(), h.sizeDtStrings(), StandardCharsets.US_ASCII);
        final List<String> names = Arrays.asList(strings.split("\0"));
        assertEquals(names.size(), names.stream().distinct().count(), "duplicated names in " + names);
        assertTrue(names.contains("compatible"));
        assertEquals(1, names.stream().filter("compatible"::equals).count());
        assertTrue(strings.endsWith("\0"));
    }

    @Test
    void everyValueIsPaddedToFourBytes() {
        final Fdt fdt = new Fdt();
        fdt.beginNode("");
        for (int len = 0; len < 9; len++) {
            fdt.propertyBytes("p" + len, new byte[len]);
            fdt.propertyString("s" + len, "x".repeat(len));
        }
        fdt.beginNode("abc");          // name of 3 + NUL: no padding
        fdt.endNode();
        fdt.beginNode("abcd");         // 4 + NUL: three bytes of padding
        fdt.endNode();
        fdt.endNode();
        final byte[] blob = fdt.finish();
        final FdtReader.Tree tree = FdtReader.read(blob);   // checks each token's alignment
        for (int len = 0; len < 9; len++) {
            assertEquals(len, tree.root().property("p" + len).length);
            assertEquals("x".repeat(len), tree.root().string("s" + len));
        }
        final int expectedStruct = 4 + 4                    // root: token, empty name padded
            + 18 * 12 + 4 * (0 + 1 + 1 + 1 + 1 + 2 + 2 + 2 + 2) + 4 * (1 + 1 + 1 + 1 + 2 + 2 + 2 + 2 + 3)
            + (4 + 4 + 4) + (4 + 8 + 4)                      // abc, abcd: begin, name, end
            + 4 + 4;                                         // root end, FDT_END
        assertEquals(expectedStruct, tree.header().sizeDtStruct());
    }

    @Test
    void emptyTreeDecodesWithDtc() throws IOException {
        assumeDtc();
        final Fdt fdt = new Fdt();
        fdt.beginNode("").endNode();
        final byte[] blob = fdt.finish();
        assertEquals(40 + 16 + 4 + 4 + 4 + 4, blob.length, "header, empty reservation map, root, FDT_END");
        final String dts = Dtc.decompile(blob);
        assertEquals("/dts-v1/;\n\n/ {\n};\n", dts);
    }

    @Test
    void dtcReadsEveryKindOfProperty() throws IOException {
        assumeDtc();
        final String dts = Dtc.decompile(sample());
        final String expected = String.join("\n",
            "/dts-v1/;",
            "",
            "/memreserve/\t0x0000000080000000 0x0000000000200000;",
            "/ {",
            "\t#address-cells = <0x02>;",
            "\t#size-cells = <0x02>;",
            "\tmodel = \"sublet,test\";",
            "",
            "\tnode@1000 {",
            "\t\tflag;",
            "\t\tzero = <0x00>;",
            "\t\tanswer = <0x2a>;",
            "\t\tbig = <0x12345678 0x9abcdef0>;",
            "\t\treg = <0x00 0x1000 0x00 0x100>;",
            "\t\tcompatible = \"sublet,thing\";",
            "\t\tlist = \"a\\0bc\\0def\";",
            "\t\tbytes = [de ad be];",
            "\t\tphandle = <0x01>;",
            "\t};",
            "",
            "\tother {",
            "\t\tcompatible = \"sublet,other\";",
            "\t\tref = <0x01>;",
            "\t};",
            "};",
            "");
        assertEquals(expected, dts);
    }

    @Test
    void dtcFindsNothingToCheckInTheSample() throws IOException {
        assumeDtc();
        final Dtc.Result r = Dtc.check(sample());
        assertEquals(0, r.exitCode(), r.stderr());
        assertEquals("", r.stderr());
    }

    @Test
    void phandlesCanBeReferredToBeforeTheirNode() {
        final Fdt fdt = new Fdt();
        fdt.beginNode("");
        final int later = fdt.allocatePhandle();
        fdt.beginNode("user");
        fdt.propertyU32("interrupt-parent", later);
        fdt.endNode();
        fdt.beginNode("provider");
        fdt.propertyPhandle(later);
        fdt.endNode();
        fdt.endNode();
        final FdtReader.Node root = FdtReader.read(fdt.finish()).root();
        assertEquals(root.at("/provider").u32("phandle"), root.at("/user").u32("interrupt-parent"));
        assertEquals(1, later);
    }

    // --- misuse ---

    private static String misuse(final Class<? extends RuntimeException> type, final Consumer<Fdt> steps) {
        final Fdt fdt = new Fdt();
        return assertThrows(type, () -> steps.accept(fdt)).getMessage();
    }

    private static String illegalState(final Consumer<Fdt> steps) {
        return misuse(IllegalStateException.class, steps);
    }

    private static String illegalArgument(final Consumer<Fdt> steps) {
        return misuse(IllegalArgumentException.class, steps);
    }

    @Test
    void propertyAfterAChildNodeIsRefused() {
        final String m = illegalState(f -> f.beginNode("").beginNode("cpus").beginNode("cpu@0").endNode()
            .propertyU32("#size-cells", 0));
        assertEquals("property '#size-cells' of node /cpus after its child node 'cpu@0': properties must come "
            + "before child nodes", m);
    }

    @Test
    void unbalancedNodesAreRefused() {
        assertEquals("finish() with node /soc still open (2 open nodes)",
            illegalState(f -> f.beginNode("").beginNode("soc").beginNode("uart").endNode().finish()));
        assertEquals("endNode() with no open node: the root node is already closed",
            illegalState(f -> f.beginNode("").endNode().endNode()));
        assertEquals("endNode() with no open node: no node was begun", illegalState(Fdt::endNode));
        assertEquals("finish() with no root node", illegalState(Fdt::finish));
        assertEquals("node 'again' after the root node was closed: a tree has one root",
            illegalState(f -> f.beginNode("").endNode().beginNode("again")));
        assertEquals("the first node must be the root, named \"\", not 'soc'", illegalState(f -> f.beginNode("soc")));
    }

    @Test
    void propertiesOutsideANodeAreRefused() {
        assertEquals("property 'model' outside any node: begin the root node first",
            illegalState(f -> f.propertyString("model", "x")));
        assertEquals("property 'model' outside any node: the root node is closed",
            illegalState(f -> f.beginNode("").endNode().propertyString("model", "x")));
    }

    @Test
    void duplicatesAreRefused() {
        assertEquals("node /chosen already has a property 'bootargs'", illegalState(f -> f.beginNode("")
            .beginNode("chosen").propertyString("bootargs", "a").propertyString("bootargs", "b")));
        assertEquals("node / already has a child named 'memory@80000000'", illegalState(f -> f.beginNode("")
            .beginNode("memory@80000000").endNode().beginNode("memory@80000000")));
        assertEquals("phandle 1 is already the phandle of /a", illegalState(f -> {
            f.beginNode("");
            final int p = f.allocatePhandle();
            f.beginNode("a").propertyPhandle(p).endNode().beginNode("b").propertyPhandle(p);
        }));
    }

    @Test
    void phandlesMustBeAllocatedAndPlaced() {
        assertEquals("phandle 7 was not allocated by allocatePhandle()",
            illegalArgument(f -> f.beginNode("").propertyPhandle(7)));
        assertEquals("phandle 1 was allocated but no node has it", illegalState(f -> {
            f.beginNode("");
            f.propertyU32("ref", f.allocatePhandle());
            f.endNode().finish();
        }));
    }

    @Test
    void nothingAfterFinish() {
        final Fdt fdt = new Fdt();
        fdt.beginNode("").endNode().finish();
        assertEquals("the device tree is already finished", assertThrows(IllegalStateException.class,
            fdt::finish).getMessage());
        assertThrows(IllegalStateException.class, () -> fdt.beginNode("x"));
        assertThrows(IllegalStateException.class, () -> fdt.reserveMemory(0, 1));
        assertThrows(IllegalStateException.class, fdt::allocatePhandle);
    }

    @Test
    void badNamesAndValuesAreRefused() {
        assertEquals("node name 'has space' under /: character ' ' is not allowed",
            illegalArgument(f -> f.beginNode("").beginNode("has space")));
        assertEquals("node name '@10' under /: the name before '@' must be 1 to 31 characters",
            illegalArgument(f -> f.beginNode("").beginNode("@10")));
        assertEquals("node name 'x@' under /: empty unit address after '@'",
            illegalArgument(f -> f.beginNode("").beginNode("x@")));
        assertEquals("node name '1st' under /: must begin with a letter",
            illegalArgument(f -> f.beginNode("").beginNode("1st")));
        final String longName = "a".repeat(32);
        assertTrue(illegalArgument(f -> f.beginNode("").beginNode(longName)).contains("1 to 31 characters"));
        assertEquals("property name 'a/b' in /: character '/' is not allowed",
            illegalArgument(f -> f.beginNode("").propertyEmpty("a/b")));
        assertEquals("property name '' in /: must be 1 to 31 characters",
            illegalArgument(f -> f.beginNode("").propertyEmpty("")));
        assertEquals("property 'bootargs': string contains NUL: a\0b",
            illegalArgument(f -> f.beginNode("").propertyString("bootargs", "a\0b")));
        assertEquals("property 'compatible' is an empty string list; use propertyEmpty for a flag",
            illegalArgument(f -> f.beginNode("").propertyStrings("compatible")));
        assertEquals("property 'reg' has no cells; use propertyEmpty for a flag",
            illegalArgument(f -> f.beginNode("").propertyCells("reg")));
        assertEquals("memory reservation at 0x80000000 has size 0 (a zero entry would end the reservation block)",
            illegalArgument(f -> f.reserveMemory(0x8000_0000L, 0)));
    }

    @Test
    void longestNamesAreAccepted() {
        final Fdt fdt = new Fdt();
        fdt.beginNode("");
        fdt.propertyEmpty("p".repeat(Fdt.MAX_NAME));
        fdt.beginNode("n".repeat(Fdt.MAX_NAME) + "@ffffffff,ffffffff");
        fdt.endNode();
        fdt.endNode();
        assertEquals(List.of("/", "/" + "n".repeat(31) + "@ffffffff,ffffffff"),
            FdtReader.read(fdt.finish()).root().paths());
    }
}
