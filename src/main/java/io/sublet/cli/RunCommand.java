package io.sublet.cli;

import io.sublet.boot.BadImageException;
import io.sublet.boot.image.ConsoleProgress;
import io.sublet.boot.image.DebianImage;
import io.sublet.boot.image.GuestImage;
import io.sublet.boot.image.ImageException;
import io.sublet.machine.DiskSpec;
import io.sublet.machine.EngineKind;
import io.sublet.machine.ExitReason;
import io.sublet.machine.MachineConfig;
import io.sublet.machine.VirtConfig;
import io.sublet.machine.VirtMachine;
import io.sublet.machine.snapshot.SnapshotException;
import io.sublet.net.NetSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code sublet run}: boots a Linux kernel on the virt board on this terminal, QEMU-style: the
 * terminal is in raw mode, {@code Ctrl-A x} quits, {@code Ctrl-A c} toggles the monitor.
 */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Boot a guest on the virt board, with this terminal as its serial console.",
            "Ctrl-A x quits, Ctrl-A c toggles the monitor, Ctrl-A h helps."},
        exitCodeListHeading = "%nExit status:%n", exitCodeList = {
            "0:the guest powered off (or you quit with Ctrl-A x)",
            "1:the guest rebooted (a kernel panic with panic=-1 does), failed, or stopped on a fatal trap",
            "2:bad input: options, a missing or malformed kernel/initrd/firmware, an initrd larger than RAM, a network that cannot start (passt missing, address in use)",
            "70:internal error"})
public final class RunCommand implements Callable<Integer> {
    @ParentCommand
    private Main main;

    @Option(names = "--kernel", paramLabel = "FILE",
            description = "RISC-V Linux Image (default: Debian's kernel, pulled into the cache on first use)")
    private Path kernel;

    @Option(names = "--initrd", paramLabel = "FILE",
            description = "initial RAM disk (default with the Debian kernel: Sublet's busybox initramfs)")
    private Path initrd;

    @Option(names = "--append", paramLabel = "CMDLINE",
            description = "kernel command line (default: " + VirtConfig.DEFAULT_APPEND + ")")
    private String append;

    @Option(names = "--bios", paramLabel = "FILE",
            description = "M-mode firmware: a file (OpenSBI fw_jump.bin/fw_dynamic.bin), or 'opensbi' for the pulled "
                    + "image's fw_dynamic.bin; default: Sublet's built-in SBI")
    private String bios;

    @Option(names = "--mem", paramLabel = "SIZE", converter = SizeConverter.class,
            description = "RAM size, e.g. 512M or 1G (default: 512M)")
    private long mem = 512L << 20;

    @Option(names = "--disk", paramLabel = "FILE[,ro]",
            description = "attach a raw disk image with virtio-blk (repeatable; the first is /dev/vda); ro: read-only")
    private List<String> disks = new ArrayList<>();

    @Option(names = "--net", paramLabel = "SPEC", description = {
        "a virtio-net card (repeatable; the first is eth0). Default: user. SPEC is one of",
        "  user[,hostfwd=[tcp|udp]:[hostaddr]:hostport-:guestport]...  user-mode networking through passt "
            + "(DHCP, DNS, outbound TCP/UDP; the host's loopback is the router's address)",
        "  stream,connect=HOST:PORT|unix:PATH   QEMU -netdev stream client",
        "  stream,listen=[HOST]:PORT|unix:PATH  QEMU -netdev stream server",
        "  network=NAME[,rate=SIZE]             a named switch shared by the VMs of this process",
        "  none                                 no network card",
        "each takes mac=52:54:00:12:34:56"})
    private List<String> nets = new ArrayList<>();

    @Option(names = "--no-rng", description = "leave out the virtio entropy device")
    private boolean noRng;

    @Option(names = "--dtb-out", paramLabel = "FILE", description = "write the generated device tree blob here")
    private Path dtbOut;

    @Option(names = "--deterministic", description = "time from the instruction count instead of the host clock")
    private boolean deterministic;

    @Option(names = "--engine", paramLabel = "ENGINE", converter = EngineConverter.class,
            description = "interp (the reference interpreter) or jit (the translator); default: ${DEFAULT-VALUE}")
    private EngineKind engine = EngineKind.DEFAULT;

    @Option(names = "--restore", paramLabel = "FILE",
            description = "resume the machine saved in FILE (monitor 'savevm'); its memory is mapped copy-on-write")
    private Path restore;

    @Option(names = "--force", description = "with --restore: resume even if a disk changed since the snapshot")
    private boolean force;

    @Override
    public Integer call() {
        VirtMachine machine;
        if (restore != null) {
            if (kernel != null || initrd != null || append != null || bios != null || !disks.isEmpty() || noRng
                    || dtbOut != null || deterministic) {
                main.err.println("sublet: --restore resumes the machine as saved; leave out the options that build one");
                return ExitCodes.BAD_INPUT;
            }
            try {
                machine = VirtMachine.restore(restore, main.out, force, true);
                machine.useEngine(engine);
            } catch (SnapshotException e) {
                main.err.println("sublet: " + e.getMessage());
                return ExitCodes.BAD_INPUT;
            }
            return runOnTerminal(machine);
        }
        if (force) {
            main.err.println("sublet: --force goes with --restore");
            return ExitCodes.BAD_INPUT;
        }
        try {
            MachineConfig.defaults().withRamSize(mem).validate();
            Path k = kernel;
            Path i = initrd;
            Path firmware = bios == null || bios.equals("opensbi") ? null : Path.of(bios);
            if (k == null || "opensbi".equals(bios)) {
                final GuestImage image = DebianImage.ensure(DebianImage.defaultHome(), new ConsoleProgress(main.err, main.err));
                if (k == null) {
                    k = image.kernel();
                    i = i == null ? image.initrd() : i;
                }
                if ("opensbi".equals(bios)) {
                    firmware = image.fwDynamic();
                }
            }
            final List<DiskSpec> attached = new ArrayList<>();
            for (String d : disks) {
                attached.add(DiskSpec.parse(d));
            }
            final List<NetSpec> cards = nets.isEmpty() ? List.of(NetSpec.user()) : NetSpec.parseAll(nets);
            machine = new VirtMachine(new VirtConfig(mem, k, i, append, firmware, dtbOut, deterministic)
                    .withDisks(attached).withRng(!noRng).withNets(cards), main.out);
            machine.useEngine(engine);
        } catch (ImageException e) {
            main.err.println("sublet: " + e.getMessage());
            return ExitCodes.BAD_INPUT;
        } catch (IllegalArgumentException e) {
            main.err.println("sublet: " + e.getMessage());
            return ExitCodes.BAD_INPUT;
        } catch (BadImageException e) {
            main.err.println("sublet: " + e.getMessage());
            return ExitCodes.BAD_INPUT;
        }
        return runOnTerminal(machine);
    }

    private int runOnTerminal(VirtMachine first) {
        ExitReason reason;
        final AtomicReference<VirtMachine> current = new AtomicReference<>(first);
        final RawTerminal terminal = RawTerminal.enter(); // null when stdin is not a terminal
        try {
            final Monitor monitor = startConsoleInput(current, System.in);
            for (;;) {
                reason = current.get().run();
                final VirtMachine next = current.get().successor(); // the monitor's loadvm replaced it
                if (next == null) {
                    break;
                }
                current.set(next);
                monitor.attach(next);
            }
        } finally {
            if (terminal != null) {
                terminal.close();
            }
        }
        main.out.flush();
        if (reason.status() != 0 || reason.kind() != ExitReason.Kind.POWER_OFF) {
            main.err.println("\r\nsublet: " + reason.message());
        }
        return reason.status();
    }

    /** Reads the terminal on a daemon thread: guest input to the UART, Ctrl-A escapes to us. */
    private Monitor startConsoleInput(AtomicReference<VirtMachine> current, InputStream in) {
        final Monitor monitor = new Monitor(current.get(), main.out);
        final Thread t = new Thread(() -> {
            final EscapeFilter filter = new EscapeFilter();
            boolean inMonitor = false;
            try {
                int b;
                while ((b = in.read()) >= 0) {
                    switch (filter.feed(b)) {
                        case FORWARD:
                            if (inMonitor) {
                                monitor.feed(filter.lastByte());
                            } else {
                                current.get().consoleInput(new byte[] {(byte) filter.lastByte()});
                            }
                            break;
                        case QUIT:
                            current.get().requestStop(ExitReason.quit());
                            return;
                        case MONITOR:
                            inMonitor = !inMonitor;
                            if (inMonitor) {
                                monitor.open();
                            } else {
                                main.out.print("\r\n");
                                main.out.flush();
                            }
                            break;
                        case HELP:
                            main.out.print("\r\n" + EscapeFilter.help());
                            main.out.flush();
                            break;
                        default:
                            break;
                    }
                }
            } catch (IOException e) {
                // the terminal went away: the guest keeps running without input
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "sublet-console-input");
        t.setDaemon(true);
        t.start();
        return monitor;
    }
}
