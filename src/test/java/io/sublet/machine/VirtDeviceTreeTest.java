package io.sublet.machine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sublet.boot.Dtc;
import io.sublet.boot.FdtReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The virt board's device tree: decoded in Java and with {@code dtc}, checked node by node, validated by dtc's own
 * checks, and compared with the tree QEMU's {@code virt} machine dumps when {@code qemu-system-riscv64} is here.
 */
class VirtDeviceTreeTest {
    private static final List<String> EXTENSIONS = List.of("i", "m", "a", "c", "zicsr", "zifencei", "zicntr");
    private static final long MIB = 1L << 20;

    @TempDir
    Path dir;

    private static VirtDeviceTree.Spec debianSpec() {
        return VirtDeviceTree.Spec.of(1, 256 * MIB, EXTENSIONS, "sv57")
            .withBootargs("console=ttyS0 earlycon panic=-1")
            .withInitrd(0x8800_0000L, 0x8812_3456L);
    }

    private static FdtReader.Node decode(final VirtDeviceTree.Spec spec) {
        return FdtReader.read(VirtDeviceTree.blob(spec)).root();
    }

    private static void assumeDtc() {
        final String missing = Dtc.missingReason();
        Assumptions.assumeTrue(missing == null, missing);
    }

    @Test
    void nodesAreThoseOfQemuVirtWithoutPciFlashOrFwCfg() {
        assertEquals(List.of(
            "/",
            "/chosen",
            "/aliases",
            "/poweroff",
            "/reboot",
            "/memory@80000000",
            "/cpus",
            "/cpus/cpu@0",
            "/cpus/cpu@0/interrupt-controller",
            "/cpus/cpu-map",
            "/cpus/cpu-map/cluster0",
            "/cpus/cpu-map/cluster0/core0",
            "/soc",
            "/soc/rtc@101000",
            "/soc/serial@10000000",
            "/soc/test@100000",
            "/soc/virtio_mmio@10008000",
            "/soc/virtio_mmio@10007000",
            "/soc/virtio_mmio@10006000",
            "/soc/virtio_mmio@10005000",
            "/soc/virtio_mmio@10004000",
            "/soc/virtio_mmio@10003000",
            "/soc/virtio_mmio@10002000",
            "/soc/virtio_mmio@10001000",
            "/soc/plic@c000000",
            "/soc/clint@2000000"), decode(debianSpec()).paths());
    }

    @Test
    void rootChosenAndMemory() {
        final FdtReader.Node root = decode(debianSpec());
        assertEquals(2, root.u32("#address-cells"));
        assertEquals(2, root.u32("#size-cells"));
        assertEquals("riscv-virtio", root.string("compatible"));
        assertEquals("riscv-virtio,sublet", root.string("model"));

        final FdtReader.Node chosen = root.at("/chosen");
        assertEquals("console=ttyS0 earlycon panic=-1", chosen.string("bootargs"));
        assertEquals("/soc/serial@10000000", chosen.string("stdout-path"));
        assertEquals(0x8800_0000L, chosen.u64("linux,initrd-start"));
        assertEquals(0x8812_3456L, chosen.u64("linux,initrd-end"));
        assertFalse(chosen.has("rng-seed"));
        assertEquals("/soc/serial@10000000", root.at("/aliases").string("serial0"));

        final FdtReader.Node memory = root.at("/memory@80000000");
        assertEquals("memory", memory.string("device_type"));
        assertArrayEquals(new int[] {0, 0x8000_0000, 0, 0x1000_0000}, memory.cells("reg"));
    }

    @Test
    void cpuDescribesTheHart() {
        final FdtReader.Node root = decode(debianSpec());
        final FdtReader.Node cpus = root.at("/cpus");
        assertEquals(1, cpus.u32("#address-cells"));
        assertEquals(0, cpus.u32("#size-cells"));
        assertEquals(10_000_000, cpus.u32("timebase-frequency"));
        final FdtReader.Node cpu = root.at("/cpus/cpu@0");
        assertEquals("cpu", cpu.string("device_type"));
        assertEquals(0, cpu.u32("reg"));
        assertEquals("okay", cpu.string("status"));
        assertEquals("riscv", cpu.string("compatible"));
        assertEquals("rv64imac_zicntr_zicsr_zifencei", cpu.string("riscv,isa"));
        assertEquals("rv64i", cpu.string("riscv,isa-base"));
        assertEquals(List.of("i", "m", "a", "c", "zicntr", "zicsr", "zifencei"), cpu.strings("riscv,isa-extensions"));
        assertEquals("riscv,sv57", cpu.string("mmu-type"));
        assertFalse(cpu.has("riscv,cbom-block-size"));
        final FdtReader.Node intc = cpu.child("interrupt-controller");
        assertEquals("riscv,cpu-intc", intc.string("compatible"));
        assertEquals(1, intc.u32("#interrupt-cells"));
        assertEquals(0, intc.property("interrupt-controller").length);
        assertEquals(cpu.u32("phandle"), root.at("/cpus/cpu-map/cluster0/core0").u32("cpu"));
    }

    @Test
    void interruptWiringFollowsQemu() {
        final FdtReader.Node root = decode(debianSpec());
        final int intc = root.at("/cpus/cpu@0/interrupt-controller").u32("phandle");
        final FdtReader.Node plic = root.at("/soc/plic@c000000");
        assertEquals(List.of("sifive,plic-1.0.0", "riscv,plic0"), plic.strings("compatible"));
        assertEquals(0, plic.u32("#address-cells"));
        assertEquals(1, plic.u32("#interrupt-cells"));
        assertTrue(plic.has("interrupt-controller"));
        assertEquals(95, plic.u32("riscv,ndev"));
        assertArrayEquals(new int[] {intc, 11, intc, 9}, plic.cells("interrupts-extended"));
        assertArrayEquals(new int[] {0, 0x0c00_0000, 0, 0x60_0000}, plic.cells("reg"));
        final int plicHandle = plic.u32("phandle");

        final FdtReader.Node clint = root.at("/soc/clint@2000000");
        assertEquals(List.of("sifive,clint0", "riscv,clint0"), clint.strings("compatible"));
        assertArrayEquals(new int[] {intc, 3, intc, 7}, clint.cells("interrupts-extended"));
        assertArrayEquals(new int[] {0, 0x0200_0000, 0, 0x1_0000}, clint.cells("reg"));

        final FdtReader.Node uart = root.at("/soc/serial@10000000");
        assertEquals("ns16550a", uart.string("compatible"));
        assertEquals(3_686_400, uart.u32("clock-frequency"));
        assertEquals(plicHandle, uart.u32("interrupt-parent"));
        assertEquals(10, uart.u32("interrupts"));
        assertArrayEquals(new int[] {0, 0x1000_0000, 0, 0x100}, uart.cells("reg"));

        final FdtReader.Node rtc = root.at("/soc/rtc@101000");
        assertEquals("google,goldfish-rtc", rtc.string("compatible"));
        assertEquals(plicHandle, rtc.u32("interrupt-parent"));
        assertEquals(11, rtc.u32("interrupts"));

        for (int n = 0; n < 8; n++) {
            final long base = 0x1000_1000L + n * 0x1000L;
            final FdtReader.Node virtio = root.at("/soc/virtio_mmio@" + Long.toHexString(base));
            assertEquals("virtio,mmio", virtio.string("compatible"));
            assertArrayEquals(new int[] {0, (int) base, 0, 0x1000}, virtio.cells("reg"));
            assertEquals(plicHandle, virtio.u32("interrupt-parent"));
            assertEquals(1 + n, virtio.u32("interrupts"));
        }
    }

    @Test
    void poweroffAndRebootGoThroughTheTestDevice() {
        final FdtReader.Node root = decode(debianSpec());
        final FdtReader.Node test = root.at("/soc/test@100000");
        assertEquals(List.of("sifive,test1", "sifive,test0", "syscon"), test.strings("compatible"));
        assertArrayEquals(new int[] {0, 0x10_0000, 0, 0x1000}, test.cells("reg"));
        for (final String[] node : new String[][] {{"/poweroff", "syscon-poweroff", "21845"},
                                                   {"/reboot", "syscon-reboot", "30583"}}) {
            final FdtReader.Node n = root.at(node[0]);
            assertEquals(node[1], n.string("compatible"));
            assertEquals(test.u32("phandle"), n.u32("regmap"));
            assertEquals(0, n.u32("offset"));
            assertEquals(Integer.parseInt(node[2]), n.u32("value"));
        }
    }

    @Test
    void everyHartHasItsControllerAndContexts() {
        final FdtReader.Node root = decode(VirtDeviceTree.Spec.of(4, 512 * MIB, EXTENSIONS, "sv39"));
        final int[] plic = root.at("/soc/plic@c000000").cells("interrupts-extended");
        final int[] clint = root.at("/soc/clint@2000000").cells("interrupts-extended");
        assertEquals(16, plic.length);
        assertEquals(16, clint.length);
        final Set<Integer> phandles = new TreeSet<>();
        for (int h = 0; h < 4; h++) {
            final FdtReader.Node cpu = root.at("/cpus/cpu@" + h);
            assertEquals(h, cpu.u32("reg"));
            assertEquals("riscv,sv39", cpu.string("mmu-type"));
            final int intc = cpu.child("interrupt-controller").u32("phandle");
            assertArrayEquals(new int[] {intc, 11, intc, 9}, Arrays.copyOfRange(plic, 4 * h, 4 * h + 4));
            assertArrayEquals(new int[] {intc, 3, intc, 7}, Arrays.copyOfRange(clint, 4 * h, 4 * h + 4));
            assertEquals(cpu.u32("phandle"), root.at("/cpus/cpu-map/cluster0/core" + h).u32("cpu"));
            assertTrue(phandles.add(intc));
            assertTrue(phandles.add(cpu.u32("phandle")));
        }
        assertArrayEquals(new int[] {0, 0x8000_0000, 0, 0x2000_0000}, root.at("/memory@80000000").cells("reg"));
    }

    @Test
    void optionalPartsCanBeLeftOut() {
        final FdtReader.Node root = decode(VirtDeviceTree.Spec.of(1, 64 * MIB, EXTENSIONS, "sv48")
            .withTestDevice(false).withRtc(false).withVirtioSlots(0));
        assertEquals(List.of("/", "/chosen", "/aliases", "/memory@80000000", "/cpus", "/cpus/cpu@0",
            "/cpus/cpu@0/interrupt-controller", "/cpus/cpu-map", "/cpus/cpu-map/cluster0",
            "/cpus/cpu-map/cluster0/core0", "/soc", "/soc/serial@10000000", "/soc/plic@c000000",
            "/soc/clint@2000000"), root.paths());
        final FdtReader.Node chosen = root.at("/chosen");
        assertEquals(List.of("stdout-path"), List.copyOf(chosen.properties().keySet()));
    }

    @Test
    void someVirtioSlotsHighestFirst() {
        final List<String> soc = new ArrayList<>();
        for (final FdtReader.Node n : decode(debianSpec().withVirtioSlots(3)).at("/soc").children()) {
            soc.add(n.name());
        }
        assertEquals(List.of("rtc@101000", "serial@10000000", "test@100000", "virtio_mmio@10003000",
            "virtio_mmio@10002000", "virtio_mmio@10001000", "plic@c000000", "clint@2000000"), soc);
    }

    @Test
    void theGenerationIdDeviceIsListedWhenAsked() {
        final FdtReader.Node root = decode(debianSpec().withVmGenId(true));
        final FdtReader.Node id = root.at("/soc/vmgenid@102000");
        assertEquals("microsoft,vmgenid", id.string("compatible"));
        assertArrayEquals(new int[] {0, 0x10_2000, 0, 0x1000}, id.cells("reg"));
        assertEquals(12, id.u32("interrupts"));
        assertEquals(root.at("/soc/plic@c000000").u32("phandle"), id.u32("interrupt-parent"));
        assertTrue(decode(debianSpec()).at("/soc").children().stream().noneMatch(n -> n.name().startsWith("vmgenid")),
                "absent unless asked");
    }

    @Test
    void rngSeedIsPassedThrough() {
        final byte[] seed = new byte[32];
        for (int i = 0; i < seed.length; i++) {
            seed[i] = (byte) (i * 7);
        }
        final VirtDeviceTree.Spec spec = debianSpec().withRngSeed(seed);
        seed[0] = 99;                                         // the spec took a copy
        final byte[] stored = decode(spec).at("/chosen").property("rng-seed");
        assertEquals(32, stored.length);
        assertEquals(0, stored[0]);
        assertEquals(7, stored[1]);
    }

    @Test
    void isaStringIsInCanonicalOrder() {
        final List<String> shuffled = List.of("zba", "c", "sstc", "zicsr", "i", "m", "a", "f", "d", "zifencei",
            "zbb", "zicntr", "v", "zfh", "zicbom", "svpbmt", "zicboz", "xtheadba");
        assertEquals("rv64imafdcv_zicbom_zicboz_zicntr_zicsr_zifencei_zfh_zba_zbb_sstc_svpbmt_xtheadba",
            VirtDeviceTree.isaString("rv64i", shuffled));
        final FdtReader.Node cpu = decode(VirtDeviceTree.Spec.of(1, 128 * MIB, shuffled, "sv48")).at("/cpus/cpu@0");
        assertEquals(List.of("i", "m", "a", "f", "d", "c", "v", "zicbom", "zicboz", "zicntr", "zicsr", "zifencei",
            "zfh", "zba", "zbb", "sstc", "svpbmt", "xtheadba"), cpu.strings("riscv,isa-extensions"));
        assertEquals(64, cpu.u32("riscv,cbom-block-size"));
        assertEquals(64, cpu.u32("riscv,cboz-block-size"));
        assertFalse(cpu.has("riscv,cbop-block-size"));
    }

    @Test
    void badSpecsAreRefusedByName() {
        final VirtDeviceTree.Spec ok = debianSpec();
        assertEquals("harts must be 1 to 512, got 0", refused(() -> VirtDeviceTree.Spec.of(0, MIB, EXTENSIONS,
            "sv39")));
        assertEquals("ISA extension 'g' is an abbreviation: list i, m, a, f, d, zicsr and zifencei instead",
            refused(() -> VirtDeviceTree.Spec.of(1, MIB, List.of("i", "g"), "sv39")));
        assertEquals("ISA extensions [m, a] do not include the base \"i\"",
            refused(() -> VirtDeviceTree.Spec.of(1, MIB, List.of("m", "a"), "sv39")));
        assertEquals("ISA extension 'm' is listed twice",
            refused(() -> VirtDeviceTree.Spec.of(1, MIB, List.of("i", "m", "m"), "sv39")));
        assertEquals("ISA extension 'Zicsr' is not a lower-case extension name",
            refused(() -> VirtDeviceTree.Spec.of(1, MIB, List.of("i", "Zicsr"), "sv39")));
        assertEquals("ISA extension 'y' is not a single-letter extension Linux knows (imafdqcbkjpvh)",
            refused(() -> VirtDeviceTree.Spec.of(1, MIB, List.of("i", "y"), "sv39")));
        assertEquals("ISA extension 'abc': multi-letter extension names begin with z, s or x",
            refused(() -> VirtDeviceTree.Spec.of(1, MIB, List.of("i", "abc"), "sv39")));
        assertEquals("MMU type for rv64i must be one of [sv39, sv48, sv57, none], got riscv,sv39",
            refused(() -> VirtDeviceTree.Spec.of(1, MIB, EXTENSIONS, "riscv,sv39")));
        assertEquals("initrd 0x90000000..0x90001000 is empty or not inside RAM 0x80000000..0x90000000",
            refused(() -> ok.withInitrd(0x9000_0000L, 0x9000_1000L)));
        assertEquals("virtio slots must be 0 to 8, got 9", refused(() -> ok.withVirtioSlots(9)));
        assertEquals("RAM size 1000 must be a positive multiple of 4 KiB that fits in the address space",
            refused(() -> VirtDeviceTree.Spec.of(1, 1000, EXTENSIONS, "sv39")));
        assertEquals("timebase 0 Hz does not fit a 32-bit cell", refused(() -> ok.withTimebaseHz(0)));
        assertEquals("rng-seed is empty; pass null for none", refused(() -> ok.withRngSeed(new byte[0])));
    }

    private static String refused(final org.junit.jupiter.api.function.Executable e) {
        return assertThrows(IllegalArgumentException.class, e).getMessage();
    }

    @Test
    void loadAddressFollowsQemu() {
        final VirtDeviceTree.Dtb dtb = VirtDeviceTree.build(debianSpec());
        assertEquals(dtb.bytes().length, dtb.size());
        assertTrue(dtb.size() < 4096, "tree of " + dtb.size() + " bytes");
        assertEquals(0x8fe0_0000L, dtb.loadAddress(), "2 MiB below the end of 256 MiB");
        final VirtDeviceTree.Spec big = VirtDeviceTree.Spec.of(1, 4096 * MIB, EXTENSIONS, "sv57");
        assertEquals(0xbfe0_0000L, VirtDeviceTree.loadAddress(big, 3000), "below 3 GiB, as QEMU");
        final VirtDeviceTree.Spec tiny = VirtDeviceTree.Spec.of(1, MIB, EXTENSIONS, "sv57");
        assertEquals(0x800f_f448L, VirtDeviceTree.loadAddress(tiny, 3000), "top of a small RAM, 8-aligned");
        final VirtDeviceTree.Spec clash = VirtDeviceTree.Spec.of(1, 256 * MIB, EXTENSIONS, "sv57")
            .withInitrd(0x8f00_0000L, 0x8ff0_0000L);
        assertTrue(refused(() -> VirtDeviceTree.build(clash)).contains("would overlap the initrd"));
    }

    // --- dtc ---

    @ParameterizedTest(name = "{0} harts")
    @ValueSource(ints = {1, 2, 8})
    void dtcReportsNoErrorsOrWarnings(final int harts) throws IOException {
        assumeDtc();
        final Dtc.Result r = Dtc.check(VirtDeviceTree.blob(VirtDeviceTree.Spec.of(harts, 1024 * MIB, EXTENSIONS,
            "sv57").withBootargs("console=ttyS0").withInitrd(0x8400_0000L, 0x8500_0000L)
            .withRngSeed(new byte[32])));
        assertEquals(0, r.exitCode(), r.stderr());
        assertEquals("", r.stderr());
        final Dtc.Result bare = Dtc.check(VirtDeviceTree.blob(VirtDeviceTree.Spec.of(harts, 64 * MIB, EXTENSIONS,
            "sv39").withTestDevice(false).withRtc(false).withVirtioSlots(0)));
        assertEquals("", bare.stderr());
    }

    @Test
    void dtcDecodesTheKeyProperties() throws IOException {
        assumeDtc();
        final String dts = Dtc.decompile(VirtDeviceTree.blob(debianSpec()));
        final List<String> nodes = new ArrayList<>();
        final Matcher m = Pattern.compile("(?m)^\\s*(\\S+) \\{$").matcher(dts);
        while (m.find()) {
            nodes.add(m.group(1));
        }
        assertEquals(List.of("/", "chosen", "aliases", "poweroff", "reboot", "memory@80000000", "cpus", "cpu@0",
            "interrupt-controller", "cpu-map", "cluster0", "core0", "soc", "rtc@101000", "serial@10000000",
            "test@100000", "virtio_mmio@10008000", "virtio_mmio@10007000", "virtio_mmio@10006000",
            "virtio_mmio@10005000", "virtio_mmio@10004000", "virtio_mmio@10003000", "virtio_mmio@10002000",
            "virtio_mmio@10001000", "plic@c000000", "clint@2000000"), nodes);
        for (final String line : List.of(
            "compatible = \"riscv-virtio\";",
            "bootargs = \"console=ttyS0 earlycon panic=-1\";",
            "stdout-path = \"/soc/serial@10000000\";",
            "linux,initrd-start = <0x00 0x88000000>;",
            "linux,initrd-end = <0x00 0x88123456>;",
            "reg = <0x00 0x80000000 0x00 0x10000000>;",
            "timebase-frequency = <0x989680>;",
            "riscv,isa = \"rv64imac_zicntr_zicsr_zifencei\";",
            "riscv,isa-base = \"rv64i\";",
            "riscv,isa-extensions = \"i\\0m\\0a\\0c\\0zicntr\\0zicsr\\0zifencei\";",
            "mmu-type = \"riscv,sv57\";",
            "compatible = \"riscv,cpu-intc\";",
            "compatible = \"sifive,plic-1.0.0\\0riscv,plic0\";",
            "riscv,ndev = <0x5f>;",
            "reg = <0x00 0xc000000 0x00 0x600000>;",
            "compatible = \"sifive,clint0\\0riscv,clint0\";",
            "compatible = \"sifive,test1\\0sifive,test0\\0syscon\";",
            "compatible = \"syscon-poweroff\";",
            "value = <0x5555>;",
            "value = <0x7777>;",
            "compatible = \"google,goldfish-rtc\";",
            "compatible = \"ns16550a\";",
            "interrupts = <0x0a>;",
            "interrupts = <0x08>;",
            "reg = <0x00 0x10008000 0x00 0x1000>;",
            "compatible = \"virtio,mmio\";")) {
            assertTrue(dts.contains("\t" + line + "\n"), () -> "no line '" + line + "' in\n" + dts);
        }
    }

    // --- QEMU ---

    /** Properties whose values legitimately differ from QEMU's (board name, hart model, QEMU version). */
    private static final Set<String> DIFFERENT_VALUES = Set.of("model", "riscv,isa", "riscv,isa-base",
        "riscv,isa-extensions", "mmu-type", "riscv,ndev", "rng-seed", "riscv,cbom-block-size",
        "riscv,cboz-block-size", "riscv,cbop-block-size");
    /** Properties that hold phandles: compared by the path of the node they point to. */
    private static final Set<String> PHANDLE_VALUES = Set.of("interrupt-parent", "regmap", "cpu");
    /** Nodes QEMU has and Sublet does not: devices Sublet does not emulate. */
    private static final Set<String> QEMU_ONLY = Set.of("/pmu", "/fw-cfg@10100000", "/flash@20000000",
        "/platform-bus@4000000", "/soc/pci@30000000", "/soc/pmu");
    /** Nodes and properties Sublet adds. */
    private static final Set<String> SUBLET_ONLY = Set.of("/aliases", "/aliases/serial0",
        "/cpus/cpu@0/interrupt-controller/#address-cells", "/cpus/cpu@1/interrupt-controller/#address-cells");

    @Test
    void sameNodesAndValuesAsQemuVirt() throws IOException {
        final String qemu = "qemu-system-riscv64";
        final Path dump = dir.resolve("qemu-virt.dtb");
        final String ran = runQuietly(qemu, "-machine", "virt,dumpdtb=" + dump, "-smp", "2", "-m", "256M",
            "-nodefaults", "-display", "none");
        Assumptions.assumeTrue(ran == null && Files.exists(dump), () -> qemu + " did not dump its virt tree ("
            + ran + "); install Debian's qemu-system-misc to compare with QEMU");
        final byte[] raw = Files.readAllBytes(dump);
        final byte[] qemuBlob = Arrays.copyOf(raw, FdtReader.header(raw).totalSize());
        final Map<String, FdtReader.Node> theirs = index(FdtReader.read(qemuBlob).root());
        final Map<String, FdtReader.Node> ours = index(decode(VirtDeviceTree.Spec.of(2, 256 * MIB,
            EXTENSIONS, "sv48")));

        final List<String> problems = new ArrayList<>();
        for (final String path : theirs.keySet()) {
            if (!ours.containsKey(path) && !QEMU_ONLY.contains(path)) {
                problems.add("missing node " + path);
            }
        }
        final Map<Integer, String> theirHandles = handles(theirs);
        final Map<Integer, String> ourHandles = handles(ours);
        for (final Map.Entry<String, FdtReader.Node> e : ours.entrySet()) {
            final String path = e.getKey();
            final FdtReader.Node their = theirs.get(path);
            if (their == null) {
                if (!SUBLET_ONLY.contains(path)) {
                    problems.add("node " + path + " is not in QEMU's tree");
                }
                continue;
            }
            final FdtReader.Node our = e.getValue();
            final Set<String> names = new TreeSet<>(our.properties().keySet());
            names.addAll(their.properties().keySet());
            for (final String name : names) {
                final String where = path + "/" + name;
                if (name.equals("phandle") || DIFFERENT_VALUES.contains(name) && our.has(name) && their.has(name)) {
                    continue;
                }
                if (!their.has(name)) {
                    if (!SUBLET_ONLY.contains(where) && !DIFFERENT_VALUES.contains(name)) {
                        problems.add(where + " is not in QEMU's tree");
                    }
                } else if (!our.has(name)) {
                    if (!DIFFERENT_VALUES.contains(name)) {
                        problems.add(where + " is missing");
                    }
                } else if (!value(our, name, ourHandles).equals(value(their, name, theirHandles))) {
                    problems.add(where + ": " + value(our, name, ourHandles) + " but QEMU has "
                        + value(their, name, theirHandles));
                }
            }
        }
        assertEquals(List.of(), problems);
    }

    private static Map<String, FdtReader.Node> index(final FdtReader.Node root) {
        final Map<String, FdtReader.Node> out = new LinkedHashMap<>();
        final List<FdtReader.Node> todo = new ArrayList<>(List.of(root));
        while (!todo.isEmpty()) {
            final FdtReader.Node n = todo.remove(todo.size() - 1);
            out.put(n.path(), n);
            todo.addAll(n.children());
        }
        return out;
    }

    private static Map<Integer, String> handles(final Map<String, FdtReader.Node> nodes) {
        final Map<Integer, String> out = new HashMap<>();
        for (final FdtReader.Node n : nodes.values()) {
            if (n.has("phandle")) {
                out.put(n.u32("phandle"), n.path());
            }
        }
        return out;
    }

    /** A comparable rendering of a value, with phandles replaced by the path they point to. */
    private static String value(final FdtReader.Node node, final String name, final Map<Integer, String> handles) {
        if (PHANDLE_VALUES.contains(name)) {
            return handles.get(node.u32(name));
        }
        if (name.equals("interrupts-extended")) {
            final int[] cells = node.cells(name);
            final StringBuilder sb = new StringBuilder();
            for (int i = 0; i + 1 < cells.length; i += 2) {
                sb.append('<').append(handles.get(cells[i])).append(' ').append(cells[i + 1]).append('>');
            }
            return sb.toString();
        }
        final byte[] v = node.property(name);
        boolean text = v.length > 0 && v[v.length - 1] == 0 && v[0] != 0;
        for (final byte b : v) {
            text &= b == 0 || b >= 0x20 && b < 0x7f;
        }
        if (text) {
            return node.strings(name).toString();
        }
        if (v.length % 4 == 0) {
            final StringBuilder sb = new StringBuilder("<");
            for (final int c : node.cells(name)) {
                sb.append(sb.length() > 1 ? " 0x" : "0x").append(Integer.toHexString(c));
            }
            return sb.append('>').toString();
        }
        return Arrays.toString(v);
    }

    /** Runs a command; null when it exits 0, else why not. */
    private static String runQuietly(final String... command) {
        try {
            final Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            final String out;
            try (InputStream in = p.getInputStream()) {
                final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
                in.transferTo(buffer);
                out = buffer.toString(StandardCharsets.UTF_8);
            }
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "did not finish";
            }
            return p.exitValue() == 0 ? null : "exit " + p.exitValue() + ": " + out.strip();
        } catch (final IOException e) {
            return e.getMessage();
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
