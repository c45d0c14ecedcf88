package io.sublet.cli;

import io.sublet.boot.BadImageException;
import io.sublet.boot.image.ConsoleProgress;
import io.sublet.boot.image.DebianImage;
import io.sublet.boot.image.GuestImage;
import io.sublet.boot.image.ImageException;
import io.sublet.machine.ExitReason;
import io.sublet.machine.PromptWatcher;
import io.sublet.machine.VirtConfig;
import io.sublet.machine.VirtMachine;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import io.sublet.machine.EngineKind;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code sublet bench boot}: wall time from start to the first shell prompt of the Debian guest, and
 * the same for QEMU ({@code -machine virt -accel tcg,thread=single -smp 1}) on the same kernel and
 * initramfs when {@code qemu-system-riscv64} is installed.
 */
final class BootBench {
    static final long MEM = 512L << 20;
    static final long TIMEOUT_SECONDS = 300;

    private final PrintStream out;
    private final PrintStream err;

    BootBench(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int run(int rounds, List<EngineKind> engines) {
        final GuestImage image;
        try {
            image = DebianImage.ensure(DebianImage.defaultHome(), new ConsoleProgress(err, err));
        } catch (ImageException e) {
            err.println("sublet: " + e.getMessage());
            return ExitCodes.BAD_INPUT;
        }
        out.printf("guest: %s, kernel %s, %d MiB RAM, 1 hart%n", image.name(), image.kernelVersion(), MEM >> 20);
        final Map<EngineKind, Double> best = new EnumMap<>(EngineKind.class);
        for (EngineKind engine : engines) {
            for (int r = 1; r <= rounds; r++) {
                final double s = sublet(image, engine);
                if (s < 0) {
                    return ExitCodes.GUEST_FAILED;
                }
                out.printf("sublet %-6s round %d: %.2f s to the shell prompt%n", engine, r, s);
                best.merge(engine, s, Math::min);
            }
            out.printf("sublet %-6s best: %.2f s%n", engine, best.get(engine));
        }
        final String qemu = findQemu();
        if (qemu == null) {
            out.println("qemu-system-riscv64 is not installed: no comparison (apt-get install qemu-system-misc)");
            return ExitCodes.OK;
        }
        final double q = qemu(qemu, image);
        if (q < 0) {
            out.println("QEMU did not reach a shell prompt; no comparison");
            return ExitCodes.OK;
        }
        out.printf("qemu: %.2f s to the shell prompt (%s)%n", q, qemu);
        for (Map.Entry<EngineKind, Double> e : best.entrySet()) {
            out.printf("ratio sublet %s/qemu: %.2f%n", e.getKey(), e.getValue() / q);
        }
        return ExitCodes.OK;
    }

    private double sublet(GuestImage image, EngineKind engine) {
        final long start = System.nanoTime();
        final PromptWatcher console = new PromptWatcher();
        final VirtMachine machine;
        try {
            machine = new VirtMachine(new VirtConfig(MEM, image.kernel(), image.initrd(), null, null, null, false), console);
        } catch (BadImageException e) {
            err.println("sublet: " + e.getMessage());
            return -1;
        }
        machine.useEngine(engine);
        final Thread runner = new Thread(machine::run, "sublet-bench-boot");
        runner.start();
        try {
            final long at = console.await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            machine.requestStop(ExitReason.quit());
            runner.join();
            if (machine.translatorStats() != null) {
                out.println("  translator: " + machine.translatorStats().describe());
            }
            if (at < 0) {
                err.println("sublet: no shell prompt within " + TIMEOUT_SECONDS + " s; console:\n" + console.tail());
                return -1;
            }
            return (at - start) / 1e9;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static String findQemu() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            final Path p = Path.of(dir, "qemu-system-riscv64");
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return null;
    }

    private double qemu(String qemu, GuestImage image) {
        final List<String> cmd = List.of(qemu, "-machine", "virt", "-accel", "tcg,thread=single", "-smp", "1",
                "-m", (MEM >> 20) + "M", "-nographic", "-kernel", image.kernel().toString(),
                "-initrd", image.initrd().toString(), "-append", VirtConfig.DEFAULT_APPEND);
        final long start = System.nanoTime();
        try {
            final Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            final PromptWatcher console = new PromptWatcher();
            final Thread pump = new Thread(() -> {
                try (InputStream in = p.getInputStream()) {
                    in.transferTo(console);
                } catch (IOException e) {
                    // QEMU was stopped
                }
            }, "sublet-bench-qemu");
            pump.setDaemon(true);
            pump.start();
            final long at = console.await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            p.destroyForcibly().waitFor();
            return at < 0 ? -1 : (at - start) / 1e9;
        } catch (IOException e) {
            err.println("sublet: cannot start QEMU: " + e.getMessage());
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
