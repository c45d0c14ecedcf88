package io.sublet.machine;

import io.sublet.boot.Fdt;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The device tree of the {@code virt} board, generated from a {@link Spec}. It is laid out like the tree QEMU's
 * {@code virt} machine builds ({@code hw/riscv/virt.c}) so that Debian's stock kernel and OpenSBI's generic
 * platform find the same nodes, names and compatible strings; Sublet has no PCIe, flash, fw-cfg, platform bus or
 * PMU node. Nodes, in file order, and the QEMU function each one mirrors:
 *
 * <pre>
 * / {                                       create_fdt: #address-cells = #size-cells = 2,
 *                                             compatible "riscv-virtio", model "riscv-virtio,sublet"
 *   chosen                                  create_fdt_uart / create_fdt / riscv_load_initrd: stdout-path,
 *                                             bootargs, linux,initrd-start/-end (u64), rng-seed
 *   aliases                                 (not in QEMU) serial0 = the UART, so it is ttyS0 by name
 *   poweroff, reboot                        create_fdt_reset: syscon-poweroff/-reboot, regmap = test@100000,
 *                                             offset 0, value 0x5555 / 0x7777 (only with the test device)
 *   memory@80000000                         create_fdt_socket_memory: device_type "memory", reg
 *   cpus                                    create_fdt_sockets: #address-cells 1, #size-cells 0,
 *                                             timebase-frequency
 *     cpu@N                                 create_fdt_socket_cpus: device_type, reg, status, compatible "riscv",
 *                                             riscv,isa, riscv,isa-base, riscv,isa-extensions, mmu-type,
 *                                             riscv,cbo[mzp]-block-size when Zicbo[mzp] is listed, phandle
 *       interrupt-controller                compatible "riscv,cpu-intc", #interrupt-cells 1, phandle
 *                                             (and #address-cells 0, which newer kernels' binding allows and
 *                                             dtc's interrupt_provider check asks for)
 *     cpu-map/cluster0/coreN                cpu = &amp;cpuN
 *   soc                                     create_fdt: simple-bus, ranges, #address-cells = #size-cells = 2
 *     rtc@101000                            create_fdt_rtc: google,goldfish-rtc, IRQ 11 (when present)
 *     serial@10000000                       create_fdt_uart: ns16550a, clock-frequency 3686400, IRQ 10
 *     test@100000                           create_fdt_reset: sifive,test1 sifive,test0 syscon (when present)
 *     virtio_mmio@10008000 ... @10001000    create_fdt_virtio: virtio,mmio, slot n at 0x10001000 + n * 0x1000,
 *                                             IRQ 1 + n, highest slot first as in QEMU's tree (see below)
 *     plic@c000000                          create_fdt_socket_plic: sifive,plic-1.0.0 riscv,plic0, riscv,ndev 95,
 *                                             interrupts-extended = per hart &lt;intc 11&gt; (M), &lt;intc 9&gt; (S)
 *     clint@2000000                         create_fdt_socket_clint: sifive,clint0 riscv,clint0,
 *                                             interrupts-extended = per hart &lt;intc 3&gt;, &lt;intc 7&gt;
 * }
 * </pre>
 *
 * <p>Virtio order: QEMU adds each virtio node as the first child of {@code /soc}, so its tree lists slot 7 first
 * and slot 0 last, and this tree does the same. Linux creates platform devices in tree order and probes them in
 * that order, so among populated slots the highest is probed first (QEMU gives the first {@code -device} the
 * highest slot, 0x10008000, which therefore becomes {@code vda}). With one device of each kind the order does not
 * matter; with several disks, the board should fill slots from the top to make the first disk {@code vda}.
 *
 * <p>The PLIC context numbering follows {@code interrupts-extended}: context 2h is hart h's M mode, 2h + 1 its S
 * mode. {@link #build} returns the blob with QEMU's load address ({@link #loadAddress}); the boot ROM passes that
 * address in {@code a1}.
 */
public final class VirtDeviceTree {
    public static final long RAM_BASE = 0x8000_0000L;
    public static final long TEST_BASE = 0x10_0000L;
    public static final long TEST_SIZE = 0x1000L;
    public static final long RTC_BASE = 0x10_1000L;
    public static final long RTC_SIZE = 0x1000L;
    public static final int RTC_IRQ = 11;
    public static final long VMGENID_BASE = 0x10_2000L;
    public static final long VMGENID_SIZE = 0x1000L;
    public static final int VMGENID_IRQ = 12;
    public static final long CLINT_BASE = 0x200_0000L;
    public static final long CLINT_SIZE = 0x1_0000L;
    public static final long PLIC_BASE = 0xc00_0000L;
    /** Room for 1024 contexts (0x200000 + 1024 * 0x1000), as QEMU's VIRT_PLIC_SIZE(VIRT_CPUS_MAX * 2). */
    public static final long PLIC_SIZE = 0x60_0000L;
    /** Interrupt sources 1..95; source 0 means "none" and is not counted. */
    public static final int PLIC_NDEV = 95;
    public static final long UART0_BASE = 0x1000_0000L;
    public static final long UART0_SIZE = 0x100L;
    public static final int UART0_IRQ = 10;
    public static final int UART0_CLOCK_HZ = 3_686_400;
    public static final long VIRTIO_BASE = 0x1000_1000L;
    public static final long VIRTIO_SIZE = 0x1000L;
    /** Slot n interrupts on PLIC source VIRTIO_IRQ + n. */
    public static final int VIRTIO_IRQ = 1;
    public static final int VIRTIO_MAX_SLOTS = 8;
    public static final int POWEROFF_VALUE = 0x5555;
    public static final int REBOOT_VALUE = 0x7777;
    public static final long DEFAULT_TIMEBASE_HZ = 10_000_000L;
    /** Two PLIC contexts per hart in {@link #PLIC_SIZE}; QEMU's VIRT_CPUS_MAX is the same. */
    public static final int MAX_HARTS = 512;
    /** The Zicbom/Zicboz/Zicbop block size written when those extensions are listed; the hart must agree. */
    public static final int CACHE_BLOCK_SIZE = 64;
    public static final String STDOUT_PATH = "/soc/serial@10000000";
    public static final String MODEL = "riscv-virtio,sublet";

    /** Canonical order of single-letter extensions (Linux's riscv,isa-extensions binding; no "g": expand it). */
    static final String SINGLE_LETTERS = "imafdqcbkjpvh";

    /** Interrupt numbers at a hart's local controller (bits of mip). */
    private static final int IRQ_M_SOFT = 3;
    private static final int IRQ_M_TIMER = 7;
    private static final int IRQ_S_EXT = 9;
    private static final int IRQ_M_EXT = 11;

    private static final long MIB = 1L << 20;
    private static final long FOUR_KIB = 0x1000L;

    /**
     * What the tree describes. Build one with {@link #of} and the {@code with...} methods; the constructor checks
     * every field and names the first problem (IllegalArgumentException). The list and the seed are copied;
     * {@code equals} compares the seed by identity, as records do for arrays.
     *
     * @param harts         number of harts, 1..512, hart ids 0..harts-1
     * @param ramBase       RAM start (0x8000_0000 on virt)
     * @param ramSize       RAM bytes, a multiple of 4 KiB
     * @param isaBase       "rv64i" (or "rv32i"): {@code riscv,isa-base}
     * @param isaExtensions exactly what the hart implements, lower case, including "i": single letters
     *                      ("m", "a", "f", "d", "c", ... but not "g") and multi-letter names ("zicsr", "zifencei",
     *                      "zicntr", "sstc", ...); written in canonical order to {@code riscv,isa-extensions} and,
     *                      joined, to {@code riscv,isa}
     * @param mmuType       "sv39", "sv48", "sv57" (rv64), "sv32" (rv32) or "none": {@code mmu-type} "riscv,..."
     * @param timebaseHz    mtime frequency, {@code /cpus/timebase-frequency}
     * @param bootargs      kernel command line; empty for none (then {@code /chosen} has no bootargs)
     * @param initrdStart   first byte of the initrd in guest memory; 0 with initrdEnd 0 for none
     * @param initrdEnd     one past its last byte
     * @param virtioSlots   virtio-mmio transports in the tree, 0..8, slots 0..virtioSlots-1
     * @param testDevice    whether the sifive,test syscon at 0x100000 and its poweroff/reboot nodes are present
     * @param rtc           whether the goldfish RTC at 0x101000 is present
     * @param rngSeed       bytes for {@code /chosen/rng-seed}, or null for none (deterministic runs)
     * @param vmGenId       whether the generation ID device ("microsoft,vmgenid") at 0x102000 is present
     */
    public record Spec(int harts, long ramBase, long ramSize, String isaBase, List<String> isaExtensions,
                       String mmuType, long timebaseHz, String bootargs, long initrdStart, long initrdEnd,
                       int virtioSlots, boolean testDevice, boolean rtc, byte[] rngSeed, boolean vmGenId) {
        public Spec {
            if (harts < 1 || harts > MAX_HARTS) {
                throw new IllegalArgumentException("harts must be 1 to " + MAX_HARTS + ", got " + harts);
            }
            if (ramBase < 0 || ramBase % FOUR_KIB != 0) {
                throw new IllegalArgumentException("RAM base 0x" + Long.toHexString(ramBase)
                    + " is not a multiple of 4 KiB");
            }
            if (ramSize <= 0 || ramSize % FOUR_KIB != 0 || ramBase + ramSize < ramBase) {
                throw new IllegalArgumentException("RAM size " + ramSize + " must be a positive multiple of 4 KiB "
                    + "that fits in the address space");
            }
            if (!"rv64i".equals(isaBase) && !"rv32i".equals(isaBase)) {
                throw new IllegalArgumentException("ISA base must be rv64i or rv32i, got " + isaBase);
            }
            isaExtensions = checkExtensions(isaExtensions);
            final List<String> mmus = "rv64i".equals(isaBase) ? List.of("sv39", "sv48", "sv57", "none")
                : List.of("sv32", "none");
            if (!mmus.contains(mmuType)) {
                throw new IllegalArgumentException("MMU type for " + isaBase + " must be one of " + mmus + ", got "
                    + mmuType);
            }
            if (timebaseHz <= 0 || timebaseHz > 0xffff_ffffL) {
                throw new IllegalArgumentException("timebase " + timebaseHz + " Hz does not fit a 32-bit cell");
            }
            bootargs = bootargs == null ? "" : bootargs;
            if (bootargs.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("kernel command line contains a NUL character");
            }
            if (initrdStart != 0 || initrdEnd != 0) {
                if (initrdStart < ramBase || initrdEnd <= initrdStart || initrdEnd - ramBase > ramSize) {
                    throw new IllegalArgumentException("initrd 0x" + Long.toHexString(initrdStart) + "..0x"
                        + Long.toHexString(initrdEnd) + " is empty or not inside RAM 0x" + Long.toHexString(ramBase)
                        + "..0x" + Long.toHexString(ramBase + ramSize));
                }
            }
            if (virtioSlots < 0 || virtioSlots > VIRTIO_MAX_SLOTS) {
                throw new IllegalArgumentException("virtio slots must be 0 to " + VIRTIO_MAX_SLOTS + ", got "
                    + virtioSlots);
            }
            if (rngSeed != null) {
                if (rngSeed.length == 0) {
                    throw new IllegalArgumentException("rng-seed is empty; pass null for none");
                }
                rngSeed = rngSeed.clone();
            }
        }

        /**
         * The usual board: RAM at 0x8000_0000, "rv64i", 10 MHz timebase, no command line, no initrd, all 8 virtio
         * slots, test device and RTC present, no rng-seed.
         */
        public static Spec of(final int harts, final long ramSize, final List<String> isaExtensions,
                              final String mmuType) {
            return new Spec(harts, RAM_BASE, ramSize, "rv64i", isaExtensions, mmuType, DEFAULT_TIMEBASE_HZ, "", 0,
                0, VIRTIO_MAX_SLOTS, true, true, null, false);
        }

        public Spec withBootargs(final String commandLine) {
            return new Spec(harts, ramBase, ramSize, isaBase, isaExtensions, mmuType, timebaseHz, commandLine,
                initrdStart, initrdEnd, virtioSlots, testDevice, rtc, rngSeed, vmGenId);
        }

        /** The initrd occupies [start, end) in guest memory; (0, 0) for none. */
        public Spec withInitrd(final long start, final long end) {
            return new Spec(harts, ramBase, ramSize, isaBase, isaExtensions, mmuType, timebaseHz, bootargs, start,
                end, virtioSlots, testDevice, rtc, rngSeed, vmGenId);
        }

        public Spec withVirtioSlots(final int slots) {
            return new Spec(harts, ramBase, ramSize, isaBase, isaExtensions, mmuType, timebaseHz, bootargs,
                initrdStart, initrdEnd, slots, testDevice, rtc, rngSeed, vmGenId);
        }

        public Spec withTestDevice(final boolean present) {
            return new Spec(harts, ramBase, ramSize, isaBase, isaExtensions, mmuType, timebaseHz, bootargs,
                initrdStart, initrdEnd, virtioSlots, present, rtc, rngSeed, vmGenId);
        }

        public Spec withRtc(final boolean present) {
            return new Spec(harts, ramBase, ramSize, isaBase, isaExtensions, mmuType, timebaseHz, bootargs,
                initrdStart, initrdEnd, virtioSlots, testDevice, present, rngSeed, vmGenId);
        }

        public Spec withTimebaseHz(final long hz) {
            return new Spec(harts, ramBase, ramSize, isaBase, isaExtensions, mmuType, hz, bootargs, initrdStart,
                initrdEnd, virtioSlots, testDevice, rtc, rngSeed, vmGenId);
        }

        /** Seed bytes for the guest's early RNG (QEMU passes 32 random bytes); null for none. */
        public Spec withRngSeed(final byte[] seed) {
            return new Spec(harts, ramBase, ramSize, isaBase, isaExtensions, mmuType, timebaseHz, bootargs,
                initrdStart, initrdEnd, virtioSlots, testDevice, rtc, seed, vmGenId);
        }

        /** With the VM generation ID device, which tells the guest that it was restored or cloned. */
        public Spec withVmGenId(final boolean present) {
            return new Spec(harts, ramBase, ramSize, isaBase, isaExtensions, mmuType, timebaseHz, bootargs,
                initrdStart, initrdEnd, virtioSlots, testDevice, rtc, rngSeed, present);
        }

        @Override
        public byte[] rngSeed() {
            return rngSeed == null ? null : rngSeed.clone();
        }

        public boolean hasInitrd() {
            return initrdEnd != 0;
        }

        public long ramEnd() {
            return ramBase + ramSize;
        }

        /** The {@code riscv,isa} string, e.g. "rv64imac_zicntr_zicsr_zifencei". */
        public String isaString() {
            return VirtDeviceTree.isaString(isaBase, isaExtensions);
        }
    }

    /** The blob and where to put it: {@code loadAddress} is 8-byte aligned, inside RAM, clear of the initrd. */
    public record Dtb(byte[] bytes, long loadAddress) {
        public int size() {
            return bytes.length;
        }
    }

    private VirtDeviceTree() {
    }

    /** Builds the tree for {@code spec} and picks its load address with {@link #loadAddress}. */
    public static Dtb build(final Spec spec) {
        final byte[] blob = blob(spec);
        return new Dtb(blob, loadAddress(spec, blob.length));
    }

    /**
     * Where QEMU would load a blob of {@code size} bytes ({@code riscv_compute_fdt_addr}): just below the end of
     * RAM, or below 3 GiB when RAM starts under 3 GiB and extends past it, rounded down to 2 MiB. The slack above
     * the blob leaves room for firmware that grows the tree in place (OpenSBI's fixups add nodes without moving
     * it). When that would be the start of RAM, where the kernel goes, the top of RAM, 8-byte aligned. Refuses a
     * place that overlaps the initrd.
     */
    public static long loadAddress(final Spec spec, final int size) {
        final long threeGib = 3L << 30;
        final long end = spec.ramBase() < threeGib ? Math.min(spec.ramEnd(), threeGib) : spec.ramEnd();
        long address = (end - size) & -(2 * MIB);
        if (address <= spec.ramBase()) {
            address = (end - size) & -8L;
        }
        if (address < spec.ramBase()) {
            throw new IllegalArgumentException("RAM of " + spec.ramSize() + " bytes has no room for a device tree "
                + "of " + size + " bytes");
        }
        if (spec.hasInitrd() && address < spec.initrdEnd() && spec.initrdStart() < address + size) {
            throw new IllegalArgumentException("device tree at 0x" + Long.toHexString(address) + " (" + size
                + " bytes) would overlap the initrd at 0x" + Long.toHexString(spec.initrdStart()) + "..0x"
                + Long.toHexString(spec.initrdEnd()) + "; load the initrd lower");
        }
        return address;
    }

    /** The flattened tree for {@code spec}. */
    public static byte[] blob(final Spec spec) {
        final Fdt fdt = new Fdt();
        final int harts = spec.harts();
        final int[] cpu = new int[harts];
        final int[] intc = new int[harts];
        for (int h = 0; h < harts; h++) {
            cpu[h] = fdt.allocatePhandle();
            intc[h] = fdt.allocatePhandle();
        }
        final int plic = fdt.allocatePhandle();
        final int test = spec.testDevice() ? fdt.allocatePhandle() : 0;

        fdt.beginNode("");
        fdt.propertyU32("#address-cells", 2);
        fdt.propertyU32("#size-cells", 2);
        fdt.propertyString("compatible", "riscv-virtio");
        fdt.propertyString("model", MODEL);

        chosen(fdt, spec);
        fdt.beginNode("aliases");
        fdt.propertyString("serial0", STDOUT_PATH);
        fdt.endNode();
        if (spec.testDevice()) {
            syscon(fdt, "poweroff", "syscon-poweroff", test, POWEROFF_VALUE);
            syscon(fdt, "reboot", "syscon-reboot", test, REBOOT_VALUE);
        }

        fdt.beginNode("memory@" + Long.toHexString(spec.ramBase()));
        fdt.propertyString("device_type", "memory");
        fdt.propertyCells("reg", reg(spec.ramBase(), spec.ramSize()));
        fdt.endNode();

        cpus(fdt, spec, cpu, intc);
        soc(fdt, spec, intc, plic, test);

        fdt.endNode();
        return fdt.finish();
    }

    private static void chosen(final Fdt fdt, final Spec spec) {
        fdt.beginNode("chosen");
        if (!spec.bootargs().isEmpty()) {
            fdt.propertyString("bootargs", spec.bootargs());
        }
        fdt.propertyString("stdout-path", STDOUT_PATH);
        if (spec.hasInitrd()) {
            fdt.propertyU64("linux,initrd-start", spec.initrdStart());
            fdt.propertyU64("linux,initrd-end", spec.initrdEnd());
        }
        if (spec.rngSeed != null) {
            fdt.propertyBytes("rng-seed", spec.rngSeed);
        }
        fdt.endNode();
    }

    private static void syscon(final Fdt fdt, final String name, final String compatible, final int regmap,
                               final int value) {
        fdt.beginNode(name);
        fdt.propertyString("compatible", compatible);
        fdt.propertyU32("regmap", regmap);
        fdt.propertyU32("offset", 0);
        fdt.propertyU32("value", value);
        fdt.endNode();
    }

    private static void cpus(final Fdt fdt, final Spec spec, final int[] cpu, final int[] intc) {
        final List<String> extensions = canonicalOrder(spec.isaExtensions());
        final String isa = isaString(spec.isaBase(), extensions);
        fdt.beginNode("cpus");
        fdt.propertyU32("#address-cells", 1);
        fdt.propertyU32("#size-cells", 0);
        fdt.propertyU32("timebase-frequency", (int) spec.timebaseHz());
        for (int h = 0; h < spec.harts(); h++) {
            fdt.beginNode("cpu@" + Integer.toHexString(h));
            fdt.propertyString("device_type", "cpu");
            fdt.propertyU32("reg", h);
            fdt.propertyString("status", "okay");
            fdt.propertyString("compatible", "riscv");
            fdt.propertyString("riscv,isa", isa);
            fdt.propertyString("riscv,isa-base", spec.isaBase());
            fdt.propertyStrings("riscv,isa-extensions", extensions);
            fdt.propertyString("mmu-type", "riscv," + spec.mmuType());
            if (extensions.contains("zicbom")) {
                fdt.propertyU32("riscv,cbom-block-size", CACHE_BLOCK_SIZE);
            }
            if (extensions.contains("zicboz")) {
                fdt.propertyU32("riscv,cboz-block-size", CACHE_BLOCK_SIZE);
            }
            if (extensions.contains("zicbop")) {
                fdt.propertyU32("riscv,cbop-block-size", CACHE_BLOCK_SIZE);
            }
            fdt.propertyPhandle(cpu[h]);
            fdt.beginNode("interrupt-controller");
            fdt.propertyU32("#address-cells", 0);
            fdt.propertyU32("#interrupt-cells", 1);
            fdt.propertyEmpty("interrupt-controller");
            fdt.propertyString("compatible", "riscv,cpu-intc");
            fdt.propertyPhandle(intc[h]);
            fdt.endNode();
            fdt.endNode();
        }
        fdt.beginNode("cpu-map");
        fdt.beginNode("cluster0");
        for (int h = 0; h < spec.harts(); h++) {
            fdt.beginNode("core" + h);
            fdt.propertyU32("cpu", cpu[h]);
            fdt.endNode();
        }
        fdt.endNode();
        fdt.endNode();
        fdt.endNode();
    }

    private static void soc(final Fdt fdt, final Spec spec, final int[] intc, final int plic, final int test) {
        fdt.beginNode("soc");
        fdt.propertyU32("#address-cells", 2);
        fdt.propertyU32("#size-cells", 2);
        fdt.propertyString("compatible", "simple-bus");
        fdt.propertyEmpty("ranges");

        if (spec.rtc()) {
            device(fdt, "rtc", RTC_BASE, RTC_SIZE, plic, RTC_IRQ, "google,goldfish-rtc");
        }
        if (spec.vmGenId()) {
            device(fdt, "vmgenid", VMGENID_BASE, VMGENID_SIZE, plic, VMGENID_IRQ, "microsoft,vmgenid");
        }

        fdt.beginNode(unitName("serial", UART0_BASE));
        fdt.propertyString("compatible", "ns16550a");
        fdt.propertyCells("reg", reg(UART0_BASE, UART0_SIZE));
        fdt.propertyU32("clock-frequency", UART0_CLOCK_HZ);
        fdt.propertyU32("interrupt-parent", plic);
        fdt.propertyU32("interrupts", UART0_IRQ);
        fdt.endNode();

        if (spec.testDevice()) {
            fdt.beginNode(unitName("test", TEST_BASE));
            fdt.propertyStrings("compatible", "sifive,test1", "sifive,test0", "syscon");
            fdt.propertyCells("reg", reg(TEST_BASE, TEST_SIZE));
            fdt.propertyPhandle(test);
            fdt.endNode();
        }

        for (int n = spec.virtioSlots() - 1; n >= 0; n--) {
            device(fdt, "virtio_mmio", VIRTIO_BASE + n * VIRTIO_SIZE, VIRTIO_SIZE, plic, VIRTIO_IRQ + n,
                "virtio,mmio");
        }

        final int[] plicContexts = new int[spec.harts() * 4];
        final int[] clintInterrupts = new int[spec.harts() * 4];
        for (int h = 0; h < spec.harts(); h++) {
            plicContexts[4 * h] = intc[h];
            plicContexts[4 * h + 1] = IRQ_M_EXT;
            plicContexts[4 * h + 2] = intc[h];
            plicContexts[4 * h + 3] = IRQ_S_EXT;
            clintInterrupts[4 * h] = intc[h];
            clintInterrupts[4 * h + 1] = IRQ_M_SOFT;
            clintInterrupts[4 * h + 2] = intc[h];
            clintInterrupts[4 * h + 3] = IRQ_M_TIMER;
        }

        fdt.beginNode(unitName("plic", PLIC_BASE));
        fdt.propertyStrings("compatible", "sifive,plic-1.0.0", "riscv,plic0");
        fdt.propertyU32("#address-cells", 0);
        fdt.propertyU32("#interrupt-cells", 1);
        fdt.propertyEmpty("interrupt-controller");
        fdt.propertyCells("interrupts-extended", plicContexts);
        fdt.propertyCells("reg", reg(PLIC_BASE, PLIC_SIZE));
        fdt.propertyU32("riscv,ndev", PLIC_NDEV);
        fdt.propertyPhandle(plic);
        fdt.endNode();

        fdt.beginNode(unitName("clint", CLINT_BASE));
        fdt.propertyStrings("compatible", "sifive,clint0", "riscv,clint0");
        fdt.propertyCells("interrupts-extended", clintInterrupts);
        fdt.propertyCells("reg", reg(CLINT_BASE, CLINT_SIZE));
        fdt.endNode();

        fdt.endNode();
    }

    private static void device(final Fdt fdt, final String name, final long base, final long size, final int plic,
                               final int irq, final String compatible) {
        fdt.beginNode(unitName(name, base));
        fdt.propertyString("compatible", compatible);
        fdt.propertyCells("reg", reg(base, size));
        fdt.propertyU32("interrupt-parent", plic);
        fdt.propertyU32("interrupts", irq);
        fdt.endNode();
    }

    private static String unitName(final String name, final long base) {
        return name + "@" + Long.toHexString(base);
    }

    /** A {@code reg} entry with two address cells and two size cells. */
    private static int[] reg(final long base, final long size) {
        return new int[] {(int) (base >>> 32), (int) base, (int) (size >>> 32), (int) size};
    }

    /**
     * The {@code riscv,isa} string: the base's "rv64"/"rv32", the single-letter extensions in canonical order,
     * then each multi-letter extension after an underscore (Z by category then name, then S, then X), e.g.
     * {@code rv64imafdc_zicntr_zicsr_zifencei_zba_zbb_sstc}.
     */
    public static String isaString(final String isaBase, final List<String> isaExtensions) {
        final StringBuilder sb = new StringBuilder(isaBase.substring(0, 4));
        for (final String e : canonicalOrder(isaExtensions)) {
            if (e.length() > 1) {
                sb.append('_');
            }
            sb.append(e);
        }
        return sb.toString();
    }

    /**
     * Extensions in the ISA manual's naming order: single letters in canonical order, then Z extensions by the
     * canonical position of their category letter and then alphabetically, then S, then X extensions,
     * alphabetically.
     */
    public static List<String> canonicalOrder(final List<String> isaExtensions) {
        final List<String> sorted = new ArrayList<>(isaExtensions);
        sorted.sort(Comparator.comparingInt(VirtDeviceTree::group).thenComparingInt(VirtDeviceTree::category)
            .thenComparing(Comparator.naturalOrder()));
        return List.copyOf(sorted);
    }

    private static int group(final String e) {
        if (e.length() == 1) {
            return 0;
        }
        switch (e.charAt(0)) {
            case 'z':
                return 1;
            case 's':
                return 2;
            default:
                return 3;
        }
    }

    private static int category(final String e) {
        final char c = e.length() == 1 ? e.charAt(0) : e.charAt(0) == 'z' ? e.charAt(1) : 0;
        final int i = SINGLE_LETTERS.indexOf(c);
        return i < 0 ? SINGLE_LETTERS.length() : i;
    }

    private static List<String> checkExtensions(final List<String> extensions) {
        if (extensions == null || extensions.isEmpty()) {
            throw new IllegalArgumentException("ISA extensions are empty; list at least \"i\"");
        }
        final Set<String> seen = new HashSet<>();
        for (final String e : extensions) {
            if (e == null || !e.matches("[a-z][a-z0-9]*")) {
                throw new IllegalArgumentException("ISA extension '" + e + "' is not a lower-case extension name");
            }
            if (e.equals("g")) {
                throw new IllegalArgumentException("ISA extension 'g' is an abbreviation: list i, m, a, f, d, "
                    + "zicsr and zifencei instead");
            }
            if (e.length() == 1 && SINGLE_LETTERS.indexOf(e.charAt(0)) < 0) {
                throw new IllegalArgumentException("ISA extension '" + e + "' is not a single-letter extension "
                    + "Linux knows (" + SINGLE_LETTERS + ")");
            }
            if (e.length() > 1 && "zsx".indexOf(e.charAt(0)) < 0) {
                throw new IllegalArgumentException("ISA extension '" + e + "': multi-letter extension names begin "
                    + "with z, s or x");
            }
            if (!seen.add(e)) {
                throw new IllegalArgumentException("ISA extension '" + e + "' is listed twice");
            }
        }
        if (!seen.contains("i")) {
            throw new IllegalArgumentException("ISA extensions " + extensions + " do not include the base \"i\"");
        }
        return List.copyOf(extensions);
    }
}
