package io.sublet.vmm.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sublet.boot.BadImageException;
import io.sublet.boot.image.DebianImage;
import io.sublet.boot.image.GuestImage;
import io.sublet.boot.image.ImageException;
import io.sublet.boot.image.Progress;
import io.sublet.machine.DiskSpec;
import io.sublet.machine.ExitReason;
import io.sublet.machine.VirtConfig;
import io.sublet.machine.VirtMachine;
import io.sublet.vmm.Json;
import io.sublet.vmm.VmConfig;
import io.sublet.vmm.VmDir;
import java.io.IOException;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * The worker process of one VM (the QEMU/Firecracker model): it boots the VM's definition from its directory on
 * the main thread and serves the daemon on a UNIX socket ({@link WorkerProtocol}). Whatever the guest or the
 * emulator does, the worst outcome is this process ending: the daemon and the other VMs are other processes.
 */
public final class WorkerMain {
    /** How long a pause may take to reach an instruction boundary before the worker reports failure. */
    static final long PAUSE_TIMEOUT_MS = 5000;
    /** How long each SysRq step of a graceful stop may take before the next is sent anyway. */
    static final long SYSRQ_STEP_MS = 5000;

    private final VmDir dir;
    private final PrintStream log;
    private final long startNanos = System.nanoTime();
    private VirtMachine machine;
    private ConsoleHub console;

    private WorkerMain(final VmDir dir, final PrintStream log) {
        this.dir = dir;
        this.log = log;
    }

    /** Runs the VM in {@code dir} until its guest stops; returns the process exit status. */
    public static int run(final Path dir, final PrintStream log) {
        return new WorkerMain(new VmDir(dir), log).run();
    }

    private int run() {
        try {
            Files.deleteIfExists(dir.exit());
        } catch (IOException e) {
            log.println("worker: cannot clear " + dir.exit() + ": " + e.getMessage());
            return 2;
        }
        final VmConfig config;
        try {
            config = Json.read(dir.config(), VmConfig.class).withDefaults();
            console = new ConsoleHub(new ConsoleLog(dir.consoleLog(), (long) config.consoleLogKib() << 10));
            machine = new VirtMachine(virtConfig(config), console);
            System.gc(); // once: the kernel and initrd images are in guest RAM now; give their heap back
        } catch (IOException | ImageException | BadImageException | IllegalArgumentException e) {
            return exit(new WorkerExit("bad_config", e.getMessage()), 2);
        }
        final ServerSocketChannel server;
        try {
            server = listen();
        } catch (IOException e) {
            return exit(new WorkerExit("error", "cannot listen on " + dir.socket() + ": " + e.getMessage()), 1);
        }
        final Thread acceptor = new Thread(() -> accept(server), "worker-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        log.println("worker: " + config.name() + " running, pid " + ProcessHandle.current().pid());
        WorkerExit result;
        try {
            final ExitReason r = machine.run();
            result = new WorkerExit(r.kind().name().toLowerCase(Locale.ROOT), r.message());
        } catch (Throwable t) { // an emulator bug or an OutOfMemoryError ends this VM only, with the reason
            result = new WorkerExit("error", "emulator error: " + t);
            t.printStackTrace(log);
        }
        try {
            server.close();
            Files.deleteIfExists(dir.socket());
        } catch (IOException e) {
            // the daemon notices the process has gone either way
        }
        return exit(result, result.clean() ? 0 : 1);
    }

    private int exit(final WorkerExit why, final int status) {
        log.println("worker: " + why.kind() + ": " + why.message());
        try {
            if (console != null) {
                console.close();
            }
            Json.write(dir.exit(), why);
        } catch (IOException e) {
            log.println("worker: cannot write " + dir.exit() + ": " + e.getMessage());
        }
        return status;
    }

    static VirtConfig virtConfig(final VmConfig c) throws ImageException {
        Path kernel = c.kernel() == null ? null : Path.of(c.kernel());
        Path initrd = c.initrd() == null ? null : Path.of(c.initrd());
        if (kernel == null) {
            final GuestImage image = DebianImage.ensure(DebianImage.defaultHome(), Progress.SILENT);
            kernel = image.kernel();
            initrd = image.initrd();
        }
        final List<DiskSpec> disks = new ArrayList<>();
        for (VmConfig.Disk d : c.disks()) {
            disks.add(new DiskSpec(Path.of(d.path()), d.ro()));
        }
        return new VirtConfig(c.memoryBytes(), kernel, initrd, c.append(), null, null, false).withDisks(disks)
                .withRng(c.rng());
    }

    private ServerSocketChannel listen() throws IOException {
        Files.deleteIfExists(dir.socket());
        final ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        s.bind(UnixDomainSocketAddress.of(dir.socket()));
        Files.setPosixFilePermissions(dir.socket(), PosixFilePermissions.fromString("rw-------"));
        return s;
    }

    private void accept(final ServerSocketChannel server) {
        while (server.isOpen()) {
            final SocketChannel c;
            try {
                c = server.accept();
            } catch (IOException e) {
                return; // closed: the guest has stopped
            }
            final Thread t = new Thread(() -> serve(c), "worker-conn");
            t.setDaemon(true);
            t.start();
        }
    }

    private void serve(final SocketChannel c) {
        try (c) {
            final String line = WorkerProtocol.readLine(c);
            if (line == null) {
                return;
            }
            final JsonNode request = Json.MAPPER.readTree(line);
            final String op = request.path("op").asText();
            if (op.equals(WorkerProtocol.CONSOLE)) {
                console(c);
                return;
            }
            WorkerProtocol.writeLine(c, Json.MAPPER.writeValueAsString(handle(op, request)));
        } catch (IOException e) {
            // the daemon went away mid-request; it will ask again
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private ObjectNode handle(final String op, final JsonNode request) throws InterruptedException {
        final ObjectNode reply = Json.MAPPER.createObjectNode();
        reply.put("ok", true);
        switch (op) {
            case WorkerProtocol.STATUS:
                break;
            case WorkerProtocol.PAUSE:
                if (!machine.pause(PAUSE_TIMEOUT_MS)) {
                    reply.put("ok", false).put("error", "the guest did not reach an instruction boundary within "
                            + PAUSE_TIMEOUT_MS + " ms");
                }
                break;
            case WorkerProtocol.RESUME:
                machine.resume();
                break;
            case WorkerProtocol.POWERDOWN:
                final Thread t = new Thread(this::sysrqPowerOff, "worker-powerdown");
                t.setDaemon(true);
                t.start();
                break;
            case WorkerProtocol.INPUT:
                final byte[] data;
                try {
                    data = Base64.getDecoder().decode(request.path("data").asText());
                } catch (IllegalArgumentException e) {
                    return reply.put("ok", false).put("error", "input data is not base64");
                }
                machine.consoleInput(data);
                break;
            default:
                return reply.put("ok", false).put("error", "unknown operation " + op);
        }
        reply.put("paused", machine.paused());
        reply.put("instructions", machine.retired());
        reply.put("traps", machine.traps());
        reply.put("uptime_ms", (System.nanoTime() - startNanos) / 1_000_000L);
        reply.put("console_bytes", console.bytesWritten());
        reply.put("console_dropped", console.bytesDropped());
        return reply;
    }

    /**
     * Asks the guest's kernel to power off through Magic SysRq on its serial console: a BREAK, then s (sync), u
     * (remount read-only), o (power off). Debian's kernel enables exactly these (kernel.sysrq = 0x1b6), and it
     * needs no agent in the guest. Each break must reach the UART before its key, or the key is plain input; the
     * kernel does sync and remount in the background, so the next key waits until it reports them done (or
     * {@link #SYSRQ_STEP_MS} passes).
     */
    private void sysrqPowerOff() {
        final String[][] steps = {{"s", "Emergency Sync complete"}, {"u", "Emergency Remount complete"}, {"o", ""}};
        try {
            for (String[] step : steps) {
                machine.uart().sendBreak();
                while (machine.uart().breakPending()) {
                    Thread.sleep(10);
                }
                final long mark = console.bytesWritten();
                machine.uart().receive(step[0].getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                final long until = System.nanoTime() + SYSRQ_STEP_MS * 1_000_000L;
                while (!step[1].isEmpty() && !console.printedSince(mark, step[1]) && System.nanoTime() < until) {
                    Thread.sleep(20);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void console(final SocketChannel c) throws IOException, InterruptedException {
        console.attach(c);
        try {
            final ByteBuffer in = ByteBuffer.allocate(4096);
            while (c.read(in) >= 0) {
                in.flip();
                final byte[] bytes = new byte[in.remaining()];
                in.get(bytes);
                in.clear();
                machine.consoleInput(bytes);
            }
        } finally {
            console.detach(c);
        }
    }
}
