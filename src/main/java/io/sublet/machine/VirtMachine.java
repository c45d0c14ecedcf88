package io.sublet.machine;

import io.sublet.boot.BadImageException;
import io.sublet.boot.BootRom;
import io.sublet.boot.LinuxImage;
import io.sublet.boot.Sbi;
import io.sublet.boot.SbiPlatform;
import io.sublet.cpu.Cause;
import io.sublet.cpu.CodeCache;
import io.sublet.cpu.Hart;
import io.sublet.cpu.IsaExtensions;
import io.sublet.dev.Clint;
import io.sublet.dev.GoldfishRtc;
import io.sublet.dev.HostOutput;
import io.sublet.dev.IrqLine;
import io.sublet.dev.Plic;
import io.sublet.dev.PowerListener;
import io.sublet.dev.TestDevice;
import io.sublet.dev.Uart16550;
import io.sublet.dev.VmGenId;
import io.sublet.dev.virtio.BlockBackend;
import io.sublet.dev.virtio.DiskImages;
import io.sublet.dev.virtio.GuestMemory;
import io.sublet.dev.virtio.VirtioBlk;
import io.sublet.dev.virtio.VirtioConsole;
import io.sublet.dev.virtio.VirtioDevice;
import io.sublet.dev.virtio.VirtioMmio;
import io.sublet.dev.virtio.VirtioNet;
import io.sublet.dev.virtio.VirtioRng;
import io.sublet.jit.JitEngine;
import io.sublet.jit.Translator;
import io.sublet.machine.snapshot.SnapshotException;
import io.sublet.machine.snapshot.SnapshotFile;
import io.sublet.mem.Bus;
import io.sublet.mem.Ram;
import io.sublet.mem.Rom;
import io.sublet.net.NetBackend;
import io.sublet.net.NetSpec;
import io.sublet.net.SwitchNetworks;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.locks.LockSupport;

/**
 * QEMU's {@code virt} board with one hart: boot ROM, test/syscon, goldfish RTC, CLINT, PLIC and a
 * 16550 UART at QEMU's addresses (see {@link VirtDeviceTree}), RAM at 0x8000_0000, and the device
 * tree generated from the configuration. Runs on the calling thread until the guest powers off,
 * reboots, stops on a fatal trap, or {@link #requestStop} is called: all of these go through the
 * machine's {@link MachineStop}, which the run loop checks between slices of {@link #SLICE} instructions.
 *
 * <p>The console: the UART, the virtio console and the SBI debug console all write into one
 * {@link HostOutput} ({@link #consoleOutput()}), drained into the given stream by a writer thread that
 * {@link #run} starts, so the hart never waits for the host's terminal; host input reaches them through
 * their own bounded queues ({@link #consoleInput}), which never wait for the guest.
 */
public final class VirtMachine implements SbiPlatform, PowerListener {
    static final long ROM_BASE = BootRom.BASE;
    /** Instructions per slice between device updates and stop checks. */
    static final int SLICE = 1 << 14;
    /** Longest sleep of an idle hart before it re-checks devices and stop requests. */
    static final long MAX_IDLE_NANOS = 10_000_000L;
    static final long NANOS_PER_TICK = 1_000_000_000L / VirtDeviceTree.DEFAULT_TIMEBASE_HZ;

    /** What the machine was built from; its disks change when a fork moves this machine onto overlays. */
    private volatile VirtConfig config;
    private final Ram ram;
    private final Bus bus;
    private final Hart hart;
    private final CodeCache code;
    private Translator translator;
    private EngineKind engine = EngineKind.DEFAULT;
    private JitEngine jit;
    private final Clint clint;
    private final Plic plic;
    private final Uart16550 uart;
    private final GoldfishRtc rtc;
    private final VmGenId genId;
    private final Sbi sbi;
    private final VirtioMmio[] virtio = new VirtioMmio[VirtDeviceTree.VIRTIO_MAX_SLOTS];
    private final List<BlockBackend> disks = new ArrayList<>();
    private final List<VirtioNet> nics = new ArrayList<>();
    private final SwitchNetworks networks;
    private final VirtioConsole virtioConsole;
    private final long startNanos = System.nanoTime();
    private final VirtDeviceTree.Dtb dtb;
    private final byte[] rom;
    /** The host stream the console output goes to (a loadvm's successor writes there too). */
    private final OutputStream consoleStream;
    private final HostOutput console;
    private final MachineStop stop = new MachineStop();
    private volatile Thread runner;
    private final PauseGate pauseGate = new PauseGate();
    /** Instructions retired, published once per slice for other threads (the hart's own counter is not). */
    private volatile long retiredPublished;
    private volatile long trapsPublished;
    /** Work for the run loop's thread between slices (snapshots); guarded by {@link #lifecycle}. */
    private final ArrayDeque<FutureTask<?>> commands = new ArrayDeque<>();
    private final Object lifecycle = new Object();
    private boolean looping;
    /** The machine a loadvm built from a snapshot to take over from this one (with its disks). */
    private volatile VirtMachine successor;
    /** Disks this machine did not open but took over from the one it replaced; not closed on a failed restore. */
    private final Set<BlockBackend> inherited = new HashSet<>();

    public VirtMachine(VirtConfig config, OutputStream console) throws BadImageException {
        this(config, console, new SwitchNetworks());
    }

    /** @param networks the named networks {@code --net network=NAME} cards join (shared by the VMs of a process) */
    public VirtMachine(VirtConfig config, OutputStream console, SwitchNetworks networks) throws BadImageException {
        this(config, console, new Ram(MachineConfig.RAM_BASE,
                MachineConfig.defaults().withRamSize(config.ramSize()).validate().ramSize()), null, Map.of(), networks);
    }

    /** With {@code saved}, builds the board for a restore: nothing is loaded, RAM already holds the guest. */
    VirtMachine(VirtConfig config, OutputStream console, Ram ram, MachineState saved,
                        Map<Path, BlockBackend> reuse) throws BadImageException {
        this(config, console, ram, saved, reuse, new SwitchNetworks());
    }

    private VirtMachine(VirtConfig config, OutputStream console, Ram ram, MachineState saved,
                        Map<Path, BlockBackend> reuse, SwitchNetworks networks) throws BadImageException {
        this.config = config;
        this.networks = networks;
        this.consoleStream = console;
        this.console = new HostOutput(console);
        this.console.setRoomListener(this::unparkRunner);
        this.ram = ram;
        this.bus = new Bus(ram);
        this.code = new CodeCache(ram);
        this.hart = new Hart(0, bus, code);
        final boolean builtInSbi = config.bios() == null;

        final Hart h = hart;
        final IrqLine msip = level -> h.setInterruptLine(Cause.MSI, level);
        // With the built-in SBI there is no M-mode firmware to turn the machine timer into the
        // supervisor one: the CLINT's comparator drives STIP directly (always on the hart's thread).
        final IrqLine mtip = builtInSbi ? level -> h.setSoftwarePending(Cause.STI, level)
                : level -> h.setInterruptLine(Cause.MTI, level);
        this.clint = new Clint(this::mtime, new IrqLine[] {msip}, new IrqLine[] {mtip});
        this.plic = new Plic(new IrqLine[] {
            level -> wake(() -> h.setInterruptLine(Cause.MEI, level)),
            level -> wake(() -> h.setInterruptLine(Cause.SEI, level)),
        });
        this.uart = new Uart16550(this.console, plic.source(VirtDeviceTree.UART0_IRQ));
        uart.setInputListener(this::unparkRunner);
        this.rtc = new GoldfishRtc(() -> System.currentTimeMillis() * 1_000_000L, plic.source(VirtDeviceTree.RTC_IRQ));
        if (config.deterministic()) {
            hart.setTimeSource(() -> hart.retiredTotal() / 10);
        } else {
            hart.setTimeSource(clint::mtime);
        }

        bus.map(VirtDeviceTree.TEST_BASE, VirtDeviceTree.TEST_SIZE, new TestDevice(this), "test");
        bus.map(VirtDeviceTree.RTC_BASE, VirtDeviceTree.RTC_SIZE, rtc, "rtc");
        bus.map(VirtDeviceTree.CLINT_BASE, VirtDeviceTree.CLINT_SIZE, clint, "clint");
        bus.map(VirtDeviceTree.PLIC_BASE, VirtDeviceTree.PLIC_SIZE, plic, "plic");
        bus.map(VirtDeviceTree.UART0_BASE, VirtDeviceTree.UART0_SIZE, uart, "uart0");
        this.genId = new VmGenId(config.deterministic() ? nextGeneration(new byte[VmGenId.ID_BYTES])
                : randomGeneration(), plic.source(VirtDeviceTree.VMGENID_IRQ));
        bus.map(VirtDeviceTree.VMGENID_BASE, VirtDeviceTree.VMGENID_SIZE, genId, "vmgenid");

        this.virtioConsole = new VirtioConsole(this.console);
        virtioConsole.setInputListener(this::unparkRunner);
        attachVirtio(config, code, reuse);
        if (builtInSbi) {
            this.sbi = new Sbi(this);
            hart.setEcallHandler(sbi);
        } else {
            this.sbi = null;
        }
        if (saved == null) {
            final Boot loaded;
            try {
                loaded = loadGuest(builtInSbi);
            } catch (BadImageException | RuntimeException e) {
                closeNics(); // no passt child or socket outlives a machine that could not be built
                throw e;
            }
            this.rom = loaded.rom();
            this.dtb = loaded.dtb();
        } else {
            this.rom = saved.rom();
            this.dtb = new VirtDeviceTree.Dtb(saved.dtb(), saved.dtbAddress());
        }
        bus.map(ROM_BASE, BootRom.SIZE, new Rom(rom), "rom");
        code.invalidateAll();
        hart.pc = ROM_BASE;
        stop.onRequest(() -> {
            h.requestExit();
            unparkRunner();
        });
    }

    /** The boot ROM's contents and the device tree a guest was loaded with. */
    private record Boot(byte[] rom, VirtDeviceTree.Dtb dtb) { }

    /** Loads kernel, initrd, device tree (and firmware) into RAM; returns the boot ROM and the tree. */
    private Boot loadGuest(boolean builtInSbi) throws BadImageException {
        final LinuxImage kernel = LinuxImage.read(config.kernel());
        final long kernelBase = ram.base() + kernel.textOffset();
        final long kernelEnd = kernelBase + kernel.imageSize();
        if (kernelEnd > ram.base() + ram.size()) {
            throw new BadImageException(String.format("%s: the kernel needs %d MiB from 0x%x; RAM is only %d MiB (use --mem)",
                    kernel.name(), kernel.imageSize() >> 20, kernelBase, ram.size() >> 20));
        }
        ram.write(kernelBase, kernel.bytes(), 0, kernel.bytes().length);

        long initrdStart = 0;
        long initrdEnd = 0;
        if (config.initrd() != null) {
            final byte[] initrd = readFile(config.initrd(), "initrd");
            // QEMU's rule: 128 MiB into RAM when there is at least 256 MiB, else halfway, and above the kernel.
            initrdStart = Math.max(ram.base() + Math.min(ram.size() / 2, 128L << 20), (kernelEnd + 0xfffff) & ~0xfffffL);
            initrdEnd = initrdStart + initrd.length;
            if (initrdEnd > ram.base() + ram.size() - (2L << 20)) {
                throw new BadImageException(String.format("%s: initrd of %d MiB does not fit in %d MiB of RAM above the "
                        + "kernel; use --mem", config.initrd(), initrd.length >> 20, ram.size() >> 20));
            }
            ram.write(initrdStart, initrd, 0, initrd.length);
        }

        final VirtDeviceTree.Spec spec = VirtDeviceTree.Spec.of(1, ram.size(), IsaExtensions.implemented(),
                IsaExtensions.mmuType()).withBootargs(config.append()).withInitrd(initrdStart, initrdEnd)
                .withVirtioSlots(VirtDeviceTree.VIRTIO_MAX_SLOTS).withVmGenId(true);
        final VirtDeviceTree.Dtb dtb;
        try {
            dtb = VirtDeviceTree.build(spec);
        } catch (IllegalArgumentException e) {
            throw new BadImageException(e.getMessage());
        }
        ram.write(dtb.loadAddress(), dtb.bytes(), 0, dtb.size());
        if (config.dtbOut() != null) {
            try {
                Files.write(config.dtbOut(), dtb.bytes());
            } catch (IOException e) {
                throw new BadImageException(config.dtbOut() + ": cannot write the device tree: " + e.getMessage());
            }
        }

        final byte[] rom;
        if (builtInSbi) {
            rom = BootRom.forKernel(kernelBase, dtb.loadAddress());
        } else {
            final byte[] firmware = readFile(config.bios(), "firmware");
            if (ram.base() + firmware.length > kernelBase) {
                throw new BadImageException(config.bios() + ": firmware of " + firmware.length
                        + " bytes overlaps the kernel at 0x" + Long.toHexString(kernelBase));
            }
            ram.write(ram.base(), firmware, 0, firmware.length);
            rom = BootRom.forFirmware(ram.base(), dtb.loadAddress(), kernelBase);
        }
        return new Boot(rom, dtb);
    }

    /**
     * Puts the virtio devices on the bus: disks in the order given, then the console, then the entropy
     * source. They fill the slots from the top down, as QEMU does: Linux probes the tree's virtio nodes
     * from the highest slot, so the first disk becomes vda. Empty slots answer with device id 0.
     */
    private void attachVirtio(VirtConfig config, CodeCache code, Map<Path, BlockBackend> reuse) throws BadImageException {
        final List<VirtioDevice> devices = new ArrayList<>();
        for (DiskSpec d : config.disks()) {
            final BlockBackend taken = reuse.get(d.path().toAbsolutePath().normalize());
            if (taken != null && taken.readOnly() == d.readOnly()) {
                inherited.add(taken);
                disks.add(taken);
                devices.add(new VirtioBlk(taken));
                continue;
            }
            try {
                final BlockBackend disk = DiskImages.open(d.path(), d.readOnly()); // raw or qcow2
                disks.add(disk);
                devices.add(new VirtioBlk(disk));
            } catch (java.nio.file.NoSuchFileException e) {
                closeDisks();
                throw new BadImageException(d.path() + ": no such disk image (sublet disk create makes one)");
            } catch (IOException e) {
                closeDisks();
                throw new BadImageException(e.getMessage()); // FileDisk's messages name the file and the problem
            }
        }
        for (NetSpec n : config.nets()) {
            try {
                final NetBackend backend = n.open(networks);
                final VirtioNet nic = new VirtioNet(backend, n.macFor(nics.size(), backend));
                backend.setListener(this::unparkRunner);
                nics.add(nic);
                devices.add(nic);
            } catch (IOException | IllegalArgumentException e) {
                closeNics();
                closeDisks();
                throw new BadImageException("--net: " + e.getMessage());
            }
        }
        devices.add(virtioConsole);
        if (config.rng()) {
            devices.add(new VirtioRng(new SecureRandom()));
        }
        if (devices.size() > virtio.length) {
            closeNics();
            closeDisks();
            throw new BadImageException("too many virtio devices: " + devices.size() + " for " + virtio.length + " slots");
        }
        // Device DMA into RAM must drop decoded instructions of the pages it writes, as a guest store would.
        final GuestMemory memory = new GuestMemory(ram, code::invalidate);
        for (int slot = 0; slot < virtio.length; slot++) {
            final int index = virtio.length - 1 - slot;
            virtio[slot] = index < devices.size()
                    ? new VirtioMmio(devices.get(index), memory, plic.source(VirtDeviceTree.VIRTIO_IRQ + slot))
                    : VirtioMmio.empty();
            bus.map(VirtDeviceTree.VIRTIO_BASE + slot * VirtDeviceTree.VIRTIO_SIZE, VirtDeviceTree.VIRTIO_SIZE,
                    virtio[slot], "virtio" + slot);
        }
    }

    /** Stops the network backends (passt children, sockets, switch ports); the cards keep their counters. */
    void closeNics() {
        for (VirtioNet n : nics) {
            n.backend().close();
        }
    }

    /** The network cards, eth0 first. */
    public List<VirtioNet> nics() {
        return List.copyOf(nics);
    }

    void closeDisks() {
        for (BlockBackend d : disks) {
            if (inherited.contains(d) && successor == null && !stop.requested()) {
                continue; // a failed restore: the machine it would have replaced keeps its disks
            }
            try {
                d.close();
            } catch (IOException e) {
                // closing releases the lock; the data was flushed when the guest asked for it
            }
        }
        disks.clear();
    }

    /**
     * Host keyboard input for the guest's console: the virtio console when the kernel uses hvc0, else the
     * UART. Never waits: returns how many bytes were queued; the rest were dropped, because the guest has
     * not been reading (the UART reports that as an overrun). Any thread.
     */
    public int consoleInput(byte[] bytes, int offset, int length) {
        return config.virtioConsoleIsPrimary() ? virtioConsole.receive(bytes, offset, length)
                : uart.receive(bytes, offset, length);
    }

    /** {@link #consoleInput(byte[], int, int)} of all of {@code bytes}. */
    public int consoleInput(byte[] bytes) {
        return consoleInput(bytes, 0, bytes.length);
    }

    /** The guest's console output on its way to the host; the monitor writes the operator's text here too. */
    public HostOutput consoleOutput() {
        return console;
    }

    /** The machine's one stop path: request a stop, or wait for the run loop to end. */
    public MachineStop stop() {
        return stop;
    }

    private static byte[] readFile(Path path, String what) throws BadImageException {
        try {
            if (Files.isDirectory(path)) {
                throw new BadImageException(path + ": is a directory, not a " + what);
            }
            return Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new BadImageException(path + ": no such file (" + what + ")");
        } catch (IOException e) {
            throw new BadImageException(path + ": cannot read " + what + ": " + e.getMessage());
        } catch (OutOfMemoryError e) {
            throw new BadImageException(path + ": " + what + " is too large");
        }
    }

    public Hart hart() {
        return hart;
    }

    /**
     * Selects the execution engine before {@link #run}. The translator works in the background, unless the
     * machine is deterministic: then it translates at fixed points of the run, so the run is the same every time.
     */
    public void useEngine(EngineKind kind) {
        engine = kind;
        if (kind == EngineKind.JIT) {
            translator = new Translator(code, config.deterministic());
            jit = new JitEngine(hart, code, translator, config.deterministic());
            hart.setEngine(jit);
        } else {
            translator = null;
            jit = null;
            hart.setEngine(null);
        }
    }

    /** The translator's figures, or null under the interpreter. */
    public Translator.Stats translatorStats() {
        return translator == null ? null : translator.stats();
    }

    /** How much of the run was translated and what the translator made, or null under the interpreter. */
    public String engineReport() {
        return jit == null ? null : jit.describe() + "; " + translator.stats().describe();
    }

    public Uart16550 uart() {
        return uart;
    }

    public byte[] deviceTree() {
        return dtb.bytes().clone();
    }

    /** mtime: 10 MHz from the host's monotonic clock. */
    private long mtime() {
        return (System.nanoTime() - startNanos) / NANOS_PER_TICK;
    }

    /**
     * Runs the guest until a stop is requested; returns why. The
     * console writer keeps draining what the guest wrote after this returns (see {@link HostOutput#awaitDrained}).
     */
    public ExitReason run() {
        runner = Thread.currentThread();
        console.startWriter("sublet-console-output");
        try {
            synchronized (lifecycle) {
                looping = !stop.requested();
            }
            while (!stop.requested()) {
                final int n = hart.run(SLICE);
                retiredPublished = hart.retiredTotal();
                trapsPublished = hart.trapCount();
                pauseGate.parkIfRequested(() -> {
                    runCommands(); // a paused guest can still be snapshotted: the parked loop runs the command
                    return stop.requested();
                });
                clint.update();
                uart.update();
                rtc.update();
                for (VirtioMmio v : virtio) {
                    v.update();
                }
                if (hart.fatal() != null) {
                    stop.request(ExitReason.fatal(hart.fatal().describe()));
                } else if (n == 0 && hart.waitingForInterrupt()) {
                    idle();
                }
                runCommands();
            }
            uart.update(); // the last bytes the guest wrote, as far as the host output takes them
        } finally {
            synchronized (lifecycle) {
                looping = false;
                runCommands(); // posted while the loop was ending: done here, before the disks close
            }
            closeNics();
            closeDisks();
            console.finish();
            stop.markStopped();
        }
        return stop.reason();
    }

    /**
     * Stops the guest at an instruction boundary and waits until it is parked there (up to {@code timeoutMillis});
     * returns whether it is. Time keeps running for the guest (mtime follows the host clock), as on QEMU's stop.
     */
    public boolean pause(long timeoutMillis) throws InterruptedException {
        return pauseGate.pause(() -> {
            hart.requestExit();
            unparkRunner();
        }, stop::requested, timeoutMillis);
    }

    /** Lets a paused guest run again. */
    public void resume() {
        pauseGate.resume(this::unparkRunner);
    }

    public boolean paused() {
        return pauseGate.parked();
    }

    /** Traps (exceptions and interrupts) taken so far, as of the last slice boundary; any thread. */
    public long traps() {
        return trapsPublished;
    }

    /** Instructions retired so far, as of the last slice boundary; any thread. */
    public long retired() {
        return retiredPublished;
    }

    private void runCommands() {
        for (;;) {
            final FutureTask<?> task;
            synchronized (lifecycle) {
                task = commands.poll();
            }
            if (task == null) {
                return;
            }
            task.run();
        }
    }

    /**
     * Runs {@code work} with the guest paused at an instruction boundary: on the run loop's thread between
     * two slices while the machine runs (every device request is complete then: virtio requests are
     * handled before the notifying store returns), else on the calling thread. Waits for it.
     */
    private <T> T whilePaused(Callable<T> work) throws Exception {
        final FutureTask<T> task = new FutureTask<>(work);
        synchronized (lifecycle) {
            if (!looping || Thread.currentThread() == runner) {
                task.run();
            } else {
                commands.add(task);
            }
        }
        hart.requestExit();
        unparkRunner();
        try {
            return task.get();
        } catch (ExecutionException e) {
            final Throwable cause = e.getCause();
            if (cause instanceof Exception) {
                throw (Exception) cause;
            }
            throw (Error) cause;
        }
    }

    // ---- snapshots ----

    /**
     * Writes a snapshot of the whole machine to {@code file} (see {@link SnapshotFile}): the guest pauses
     * for it and then goes on. Disks are flushed first and identified in the snapshot. Callable from any
     * thread; IOException says why nothing was written (the previous file at that path is intact).
     */
    public SnapshotFile.Written saveSnapshot(Path file) throws IOException {
        try {
            return whilePaused(() -> SnapshotFile.write(file, MachineStateCodec.encode(capture()), ram.bytes(), ram.base()));
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(file + ": snapshot interrupted", e);
        }
    }

    MachineState capture() throws IOException {
        return capture(config.disks());
    }

    /** The machine's state, naming {@code diskSpecs} as its disks (a fork's clone gets its own overlays). */
    MachineState capture(List<DiskSpec> diskSpecs) throws IOException {
        uart.update(); // the guest's output so far reaches the terminal before the pause ends
        final List<DiskIdentity> ids = new ArrayList<>();
        final List<DiskSpec> absolute = new ArrayList<>();
        for (int i = 0; i < disks.size(); i++) {
            final DiskSpec spec = diskSpecs.get(i);
            if (!disks.get(i).readOnly()) {
                disks.get(i).flush();
            }
            absolute.add(new DiskSpec(spec.path().toAbsolutePath().normalize(), spec.readOnly()));
            ids.add(DiskIdentity.of(spec.path(), spec.readOnly()));
        }
        final VirtioMmio.State[] slots = new VirtioMmio.State[virtio.length];
        for (int i = 0; i < virtio.length; i++) {
            slots[i] = virtio[i].save();
        }
        return new MachineState(config.withDisks(absolute), rom, dtb.bytes(), dtb.loadAddress(), hart.save(),
                clint.save(), plic.save(), uart.save(), rtc.save(), genId.save(), slots, ids);
    }

    /**
     * Builds a fresh machine from a snapshot that resumes exactly where it was taken. The file is checked
     * as untrusted input before anything starts: a truncated, corrupt or hostile snapshot, or a disk that
     * changed since (unless {@code force}), is a SnapshotException naming the problem, and no machine
     * exists afterwards. With {@code lazy} the memory section is mapped copy-on-write instead of read, so
     * restoring costs the same whatever the RAM size; the stored pages' CRC is then not checked
     * ({@link SnapshotFile#verifyMemory} does it on request).
     */
    public static VirtMachine restore(Path file, OutputStream console, boolean force, boolean lazy)
            throws SnapshotException {
        return MachineRestore.restore(file, console, force, lazy, Map.of(), true);
    }

    /** Puts every part back; devices drive their interrupt lines again as they go. */
    void restoreParts(MachineState s) {
        if (s.virtio().length != virtio.length) {
            throw new IllegalArgumentException("the snapshot has " + s.virtio().length + " virtio slots, the board "
                    + virtio.length);
        }
        hart.restore(s.hart());
        clint.restore(s.clint());
        plic.restore(s.plic());
        uart.restore(s.uart());
        rtc.restore(s.rtc());
        genId.restore(s.vmGenId());
        for (int i = 0; i < virtio.length; i++) {
            virtio[i].restore(s.virtio()[i]);
        }
    }

    /**
     * The monitor's loadvm: builds a machine from {@code file} that takes over this one's disks and
     * terminal, then ends this one (its {@link #run} returns; {@link #successor} is the new machine, which
     * the caller runs). On any problem this machine goes on untouched and SnapshotException says why.
     */
    public VirtMachine loadSnapshot(Path file, boolean force) throws SnapshotException {
        try {
            return whilePaused(() -> {
                final Map<Path, BlockBackend> mine = new java.util.HashMap<>();
                for (int i = 0; i < disks.size(); i++) {
                    mine.put(config.disks().get(i).path().toAbsolutePath().normalize(), disks.get(i));
                }
                final VirtMachine next = MachineRestore.restore(file, consoleStream, force, true, mine, true);
                next.useEngine(engine);
                disks.removeIf(next.inherited::contains); // handed over: closed by the new machine, not this one
                successor = next;
                requestStop(new ExitReason(ExitReason.Kind.QUIT, 0, "replaced by the snapshot " + file));
                return next;
            });
        } catch (SnapshotException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new SnapshotException(file + ": restore interrupted", e);
        }
    }

    /**
     * Forks this machine (a clone): pauses it, moves each of its writable disks onto a copy-on-write overlay
     * and gives the clone another overlay over the same image, writes the memory to a snapshot that the
     * clone maps copy-on-write, and returns the clone, ready to {@link #run}; this machine then goes on. The
     * clone is the same guest with a new identity where the guest can see it: its disks' serial numbers come
     * from its overlays' names. Files go into {@code dir}: {@code NAME.snap} (the clone's memory, which must
     * stay while the clone runs), {@code NAME-diskI.qcow2} (the clone's disks) and
     * {@code NAME-parent-diskI.qcow2} (this machine's disks from now on). On failure nothing changes here.
     */
    public VirtMachine fork(Path dir, String name, OutputStream cloneConsole) throws IOException, SnapshotException {
        try {
            return whilePaused(() -> {
                final VirtMachine clone = MachineFork.fork(this, dir, name, cloneConsole);
                clone.useEngine(engine);
                return clone;
            });
        } catch (IOException | SnapshotException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(dir.resolve(name) + ": clone interrupted", e);
        }
    }

    /** Runs a migration's paused part ({@link Migration}) on the run loop, as snapshots do. */
    Migration.Report migrateOut(Callable<Migration.Report> work) throws IOException, SnapshotException {
        try {
            return whilePaused(work);
        } catch (IOException | SnapshotException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("migration interrupted", e);
        }
    }

    /** Flushes and closes the writable disks so that a migration target can open them; paused. */
    void releaseDisks() throws IOException {
        for (int i = 0; i < disks.size(); i++) {
            if (!disks.get(i).readOnly()) {
                disks.get(i).flush();
                disks.get(i).close();
            }
        }
    }

    /**
     * Opens the writable disks again after a migration that did not complete. When one cannot be opened (the
     * target holds it: it may be running), the machine stops instead of running the disk twice.
     */
    void reclaimDisks(IOException cause) {
        final List<DiskSpec> specs = config.disks();
        for (int i = 0; i < specs.size(); i++) {
            if (specs.get(i).readOnly()) {
                continue;
            }
            try {
                replaceDisk(i, DiskImages.open(specs.get(i).path(), false), specs.get(i));
            } catch (IOException e) {
                cause.addSuppressed(e);
                requestStop(ExitReason.fatal("migration outcome unknown and " + specs.get(i).path()
                        + " is held elsewhere (" + e.getMessage() + "); stopped rather than run it twice"));
                return;
            }
        }
    }

    // ---- for MachineFork, on the run loop's thread with the guest paused ----

    VirtConfig config() {
        return config;
    }

    java.nio.ByteBuffer ramBytes() {
        return ram.bytes();
    }

    List<BlockBackend> openDisks() {
        return disks;
    }

    /** Moves disk {@code index} onto {@code backend} at {@code path} (same size and contents, as the guest sees). */
    void replaceDisk(int index, BlockBackend backend, DiskSpec spec) {
        ((VirtioBlk) virtio[virtio.length - 1 - index].device()).replaceBackend(backend);
        disks.set(index, backend);
        final List<DiskSpec> specs = new ArrayList<>(config.disks());
        specs.set(index, spec);
        config = config.withDisks(specs);
    }

    /** The disk backends in the order of --disk (the first is vda). */
    public List<BlockBackend> disks() {
        return List.copyOf(disks);
    }

    /**
     * Tells the guest it is a new copy (restored or cloned): a new generation ID and its interrupt, so Linux
     * reseeds its random number generator. Deterministic machines derive the new ID from the old one.
     */
    void newGeneration() {
        genId.newGeneration(config.deterministic() ? nextGeneration(genId.id()) : randomGeneration());
    }

    private static byte[] randomGeneration() {
        final byte[] id = new byte[VmGenId.ID_BYTES];
        new SecureRandom().nextBytes(id);
        return id;
    }

    private static byte[] nextGeneration(byte[] previous) {
        try {
            return java.util.Arrays.copyOf(java.security.MessageDigest.getInstance("SHA-256").digest(previous),
                    VmGenId.ID_BYTES);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** The machine that replaced this one through {@link #loadSnapshot}, or null. */
    public VirtMachine successor() {
        return successor;
    }

    /** Sleeps while the hart waits for an interrupt: until the next timer deadline, a device wakes it, or a stop. */
    private void idle() {
        final long deadline = clint.nextDeadline();
        long nanos = MAX_IDLE_NANOS;
        if (deadline != -1) {
            nanos = Math.min(nanos, Math.max(0, (deadline - mtime()) * NANOS_PER_TICK));
        }
        if (nanos > 0 && !hart.interruptPending() && !stop.requested()) {
            LockSupport.parkNanos(this, nanos);
        }
    }

    private void wake(Runnable change) {
        change.run();
        unparkRunner();
    }

    private void unparkRunner() {
        final Thread t = runner;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /** Stops the machine from any thread, never waiting (see {@link MachineStop#request}). */
    public void requestStop(ExitReason reason) {
        stop.request(reason);
    }

    // ---- PowerListener: the test/syscon device ----

    @Override
    public void powerOff() {
        requestStop(ExitReason.powerOff());
    }

    @Override
    public void reset() {
        requestStop(ExitReason.reboot());
    }

    @Override
    public void fail(int code) {
        requestStop(ExitReason.failure(code));
    }

    // ---- SbiPlatform: the built-in SBI ----

    @Override
    public void setTimer(int hartId, long stime) {
        clint.setMtimecmp(hartId, stime);
        clint.update();
    }

    @Override
    public void sendIpi(long hartMask, long hartMaskBase) {
        if (hartMaskBase == -1 || (hartMaskBase == 0 && (hartMask & 1) != 0)) {
            hart.setSoftwarePending(Cause.SSI, true);
        }
    }

    @Override
    public void remoteFence(long hartMask, long hartMaskBase, boolean tlb) {
        if (tlb) {
            hart.mmu().flush();
        }
    }

    @Override
    public int hartCount() {
        return 1;
    }

    @Override
    public int consoleWrite(byte[] bytes, int length) {
        return console.write(bytes, 0, length);
    }

    @Override
    public int consoleRead(byte[] into, int max) {
        return 0;
    }

    @Override
    public void systemReset(int type, int reason) {
        if (type == 0) {
            powerOff();
        } else if (reason == 1) {
            fail(1);
        } else {
            reset();
        }
    }

    @Override
    public boolean readPhysical(long paddr, byte[] into, int length) {
        if (!ram.contains(paddr, length)) {
            return false;
        }
        ram.read(paddr, into, 0, length);
        return true;
    }

    @Override
    public boolean writePhysical(long paddr, byte[] from, int length) {
        if (!ram.contains(paddr, length)) {
            return false;
        }
        ram.write(paddr, from, 0, length);
        return true;
    }

    private static String virtioName(VirtioMmio transport) {
        final VirtioDevice d = transport.device();
        if (d == null || d.deviceId() == 0) {
            return "empty";
        }
        return d.getClass().getSimpleName();
    }

    /** Devices in the order of the memory map, for the monitor. */
    public List<String> describe() {
        final List<String> out = new ArrayList<>(List.of("rom 0x1000", "test 0x100000", "rtc 0x101000",
                "vmgenid 0x102000", "clint 0x2000000", "plic 0xc000000"));
        out.add(String.format("uart0 0x10000000: ns16550a, in %d, out %d, overrun %d (input dropped), "
                + "transmit lost %d", uart.bytesIn(), uart.bytesOut(), uart.overruns(), uart.transmitLost()));
        for (int slot = 0; slot < virtio.length; slot++) {
            final String counters = virtio[slot].device() != virtioConsole ? ""
                    : String.format(", input dropped %d, transmit lost %d", virtioConsole.inputDropped(),
                            virtioConsole.transmitLost());
            out.add(String.format("virtio%d 0x%x: %s%s", slot, VirtDeviceTree.VIRTIO_BASE + slot * VirtDeviceTree.VIRTIO_SIZE,
                    virtioName(virtio[slot]), counters));
        }
        out.add(String.format("console output: %d of %d bytes waiting for the host terminal, %d lost to its errors",
                console.size(), console.capacity(), console.errors()));
        out.add(String.format("ram 0x%x (%d MiB)", ram.base(), ram.size() >> 20));
        out.add(String.format("dtb 0x%x (%d bytes)", dtb.loadAddress(), dtb.size()));
        return out;
    }
}
