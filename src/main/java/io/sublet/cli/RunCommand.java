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
import io.sublet.machine.StopDeadline;
import io.sublet.machine.VirtConfig;
import io.sublet.machine.VirtMachine;
import io.sublet.machine.snapshot.SnapshotException;
import io.sublet.net.NetSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code sublet run}: boots a Linux kernel on the virt board on this terminal, QEMU-style: the
 * terminal is in raw mode, {@code Ctrl-A x} quits, {@code Ctrl-A c} toggles the monitor.
 *
 * <p>The operator always wins. {@code Ctrl-A x}, the monitor's {@code quit}, SIGINT and SIGTERM are stop
 * requests to the machine's one stop path ({@link StopDeadline} over the machine's stop), handled on their
 * own threads, never behind guest input or output. From the first request the process has
 * {@link #STOP_MILLIS} to end; then, or at a second request, it restores the terminal and halts. A guest
 * that powers off gets {@link #EXIT_MILLIS} for its last output to reach a slow terminal.
 */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Boot a guest on the virt board, with this terminal as its serial console.",
            "Ctrl-A x quits, Ctrl-A c toggles the monitor, Ctrl-A h helps."},
        exitCodeListHeading = "%nExit status:%n", exitCodeList = {
            "0:the guest powered off (or you quit with Ctrl-A x)",
            "1:the guest rebooted (a kernel panic with panic=-1 does), failed, or stopped on a fatal trap",
            "2:bad input: options, a missing or malformed kernel/initrd/firmware, an initrd larger than RAM, a network that cannot start (passt missing, address in use)",
            "70:internal error",
            "130:stopped by SIGINT (a second one forces the exit at once)",
            "143:stopped by SIGTERM (likewise)"})
public final class RunCommand implements Callable<Integer> {
    /** From a stop request to the end of the process, at most (the promise is one second). */
    static final long STOP_MILLIS = 800;
    /** From the guest's own power-off or reboot to the end of the process, at most. */
    static final long EXIT_MILLIS = 3000;
    /** Of a stop's time, how long the guest's last output may take to reach the terminal. */
    static final long STOP_DRAIN_MILLIS = 300;
    /** A terminal that took nothing for this long is not draining: the last output is given up. */
    static final long DRAIN_STALL_MILLIS = 100;

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
        final ConsoleChannels channels = new ConsoleChannels();
        // The real terminal's stdout as a channel, so that a writer blocked on it can be woken at exit;
        // in-process callers (tests) keep their own stream, and their stdin and stdout stay open.
        final boolean ownTerminal = main.out == System.out;
        final OutputStream console = ownTerminal ? channels.output() : main.out;
        VirtMachine machine;
        if (restore != null) {
            if (kernel != null || initrd != null || append != null || bios != null || !disks.isEmpty() || noRng
                    || dtbOut != null || deterministic) {
                main.err.println("sublet: --restore resumes the machine as saved; leave out the options that build one");
                return ExitCodes.BAD_INPUT;
            }
            try {
                machine = VirtMachine.restore(restore, console, force, true);
                machine.useEngine(engine);
            } catch (SnapshotException e) {
                main.err.println("sublet: " + e.getMessage());
                return ExitCodes.BAD_INPUT;
            }
            return runOnTerminal(machine, channels, ownTerminal);
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
                    .withDisks(attached).withRng(!noRng).withNets(cards), console);
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
        return runOnTerminal(machine, channels, ownTerminal);
    }

    /** @param ownTerminal whether stdin and stdout are this process's to close at the end (not in-process) */
    private int runOnTerminal(VirtMachine first, ConsoleChannels channels, boolean ownTerminal) {
        ExitReason reason;
        final AtomicReference<VirtMachine> current = new AtomicReference<>(first);
        final RawTerminal terminal = RawTerminal.enter(); // null when stdin is not a terminal
        final StopDeadline stop = new StopDeadline(() -> current.get().stop(), STOP_MILLIS, TimeUnit.MILLISECONDS,
                why -> forceExit(terminal, ownTerminal ? channels : null, why));
        StopSignals.install(stop);
        final Monitor monitor = startConsoleInput(current, channels, stop);
        try {
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
            stop.arm(EXIT_MILLIS, TimeUnit.MILLISECONDS); // whatever happens now, the process ends in time
        }
        final boolean asked = reason.kind() == ExitReason.Kind.QUIT || reason.kind() == ExitReason.Kind.SIGNAL;
        current.get().consoleOutput().awaitDrained(asked ? STOP_DRAIN_MILLIS : EXIT_MILLIS / 2, DRAIN_STALL_MILLIS,
                TimeUnit.MILLISECONDS);
        if (terminal != null) {
            terminal.close();
        }
        if (ownTerminal) {
            channels.close(); // wakes the console threads, so that the JVM's exit need not wait for them
        }
        if (reason.status() != 0 || reason.kind() != ExitReason.Kind.POWER_OFF) {
            main.err.println("\r\nsublet: " + reason.message());
        }
        return reason.status();
    }

    /** The process could not end in time, or was told twice: the terminal back, then out, now. */
    private static void forceExit(RawTerminal terminal, ConsoleChannels channels, ExitReason why) {
        if (terminal != null) {
            terminal.restore(); // before stdin closes: stty reaches the terminal through it
        }
        if (channels != null) {
            channels.close();
        }
        Runtime.getRuntime().halt(why.status());
    }

    /**
     * Reads the terminal on a daemon thread: Ctrl-A escapes are handled here, before anything is queued
     * for the guest, and guest input is queued without waiting (what the guest does not read is dropped,
     * see {@link VirtMachine#consoleInput}). Keeps reading after a quit, so that a second one forces.
     * Ends when the terminal does, or when the exit closes {@code channels}.
     */
    private Monitor startConsoleInput(AtomicReference<VirtMachine> current, ConsoleChannels channels,
                                      StopDeadline stop) {
        final Monitor monitor = new Monitor(current.get(), stop);
        final Thread t = new Thread(() -> {
            final EscapeFilter filter = new EscapeFilter();
            final byte[] read = new byte[4096];
            final ByteBuffer buffer = ByteBuffer.wrap(read);
            final byte[] guest = new byte[read.length];
            boolean inMonitor = false;
            for (;;) {
                buffer.clear();
                final int n = channels.read(buffer);
                if (n < 0) {
                    return; // the terminal went away: the guest keeps running without input
                }
                int pending = 0;
                for (int i = 0; i < n; i++) {
                    final EscapeFilter.Action action = filter.feed(read[i] & 0xff);
                    if (action == EscapeFilter.Action.FORWARD) {
                        if (inMonitor) {
                            monitor.feed(filter.lastByte());
                        } else {
                            guest[pending++] = (byte) filter.lastByte();
                        }
                        continue;
                    }
                    if (action == EscapeFilter.Action.NONE) {
                        continue;
                    }
                    current.get().consoleInput(guest, 0, pending); // what came before the escape goes first
                    pending = 0;
                    switch (action) {
                        case QUIT:
                            stop.request(ExitReason.quit());
                            break;
                        case MONITOR:
                            inMonitor = !inMonitor;
                            if (inMonitor) {
                                monitor.open();
                            } else {
                                monitor.print("\r\n");
                            }
                            break;
                        case HELP:
                            monitor.print("\r\n" + EscapeFilter.help());
                            break;
                        default:
                            break;
                    }
                }
                current.get().consoleInput(guest, 0, pending);
            }
        }, "sublet-console-input");
        t.setDaemon(true);
        t.start();
        return monitor;
    }
}
