package io.sublet.cli;

import io.sublet.boot.BadImageException;
import io.sublet.boot.ElfImage;
import io.sublet.machine.BareMetalRunner;
import io.sublet.machine.EngineKind;
import io.sublet.machine.Machine;
import io.sublet.machine.MachineConfig;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code sublet bench}: runs Sublet's CPU-bound bare-metal benchmarks and prints guest MIPS. Each
 * program is run several times on a fresh machine in the same JVM; the first rounds include HotSpot's
 * warm-up, so the best round is the steady-state figure.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Run the standard guest workloads and print guest MIPS (instructions retired / wall time).",
            "Workloads: cpu (every CPU benchmark) or one of them by name; boot (Debian to a shell prompt, vs QEMU);",
            "host (the daemon: start and boot times, memory and CPU per idle VM, API latency, force-stop);",
            "snapshot (snapshot, restore and clone of a booted Debian guest: times and sizes)."},
        exitCodeListHeading = "%nExit status:%n", exitCodeList = {
            "0:every workload ran and verified its result", "1:a workload failed its self-check",
            "2:bad input", "70:internal error"})
public final class BenchCommand implements Callable<Integer> {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    @ParentCommand
    private Main main;

    @Parameters(arity = "0..*", paramLabel = "WORKLOAD",
            description = "cpu (default), boot, host, snapshot, or a benchmark name")
    private List<String> workloads = List.of("cpu");

    @Option(names = "--rounds", paramLabel = "N", description = "runs of each workload (default: 5 for cpu, 1 for boot)")
    private Integer roundsOption;

    @Option(names = "--engine", paramLabel = "ENGINE", split = ",", converter = EngineConverter.class,
            description = "interp, jit, or both as interp,jit (default: both)")
    private List<EngineKind> engines = List.of(EngineKind.INTERP, EngineKind.JIT);

    @Option(names = "--scale", paramLabel = "N", description = "work multiplier written to bench_scale (default: 1); "
            + "for net, transfers of N x 32 MiB")
    private long scale = 1;

    @Option(names = "--guests", paramLabel = "N", description = "host: how many 128 MiB guests (default: 3)")
    private int guests = 3;

    @Option(names = "--clients", paramLabel = "N", description = "host: concurrent API clients (default: 50)")
    private int clients = 50;

    @Override
    public Integer call() throws Exception {
        if (workloads.equals(List.of("host"))) {
            if (guests < 1 || clients < 1) {
                main.err.println("sublet: --guests and --clients must be positive");
                return ExitCodes.BAD_INPUT;
            }
            return new HostBench(main.out, main.err).run(guests, clients, 40);
        }
        final boolean boot = workloads.equals(List.of("boot"));
        final int rounds = roundsOption != null ? roundsOption : boot ? 1 : 5;
        if (rounds < 1 || scale < 1) {
            main.err.println("sublet: --rounds and --scale must be positive");
            return ExitCodes.BAD_INPUT;
        }
        main.out.printf("JVM: %s %s (%s)%n", System.getProperty("java.vm.name"), System.getProperty("java.version"),
                System.getProperty("java.home"));
        if (boot) {
            return new BootBench(main.out, main.err).run(rounds, engines);
        }
        if (workloads.equals(List.of("net"))) {
            if (scale > 16) {
                main.err.println("sublet: --scale for net is at most 16 (512 MiB transfers)");
                return ExitCodes.BAD_INPUT;
            }
            return new NetBench(main.out, main.err, (int) (32 * scale), 200).run();
        }
        if (workloads.equals(List.of("snapshot"))) {
            return new SnapshotBench(main.out, main.err).run();
        }
        final Map<EngineKind, long[]> totals = new EnumMap<>(EngineKind.class);
        final List<String> summary = new ArrayList<>();
        for (String w : workloads) {
            final String[] programs = w.equals("cpu") ? GuestPrograms.BENCHMARKS : new String[] {w};
            for (String name : programs) {
                final StringBuilder line = new StringBuilder(String.format("%-14s", name));
                final Map<EngineKind, Double> mips = new EnumMap<>(EngineKind.class);
                for (EngineKind engine : engines) {
                    final BareMetalRunner.Outcome best;
                    try {
                        best = bestOf(name, engine, rounds);
                    } catch (BadImageException e) {
                        main.err.println("sublet: " + e.getMessage());
                        return ExitCodes.BAD_INPUT;
                    }
                    if (best == null) {
                        return ExitCodes.GUEST_FAILED;
                    }
                    final long[] t = totals.computeIfAbsent(engine, k -> new long[2]);
                    t[0] += best.instructions();
                    t[1] += best.nanos();
                    mips.put(engine, best.mips());
                    line.append(String.format("  %s %8.1f MIPS", engine, best.mips()));
                }
                ratio(line, mips.get(EngineKind.INTERP), mips.get(EngineKind.JIT));
                summary.add(line.toString());
            }
        }
        main.out.println("best rounds:");
        summary.forEach(main.out::println);
        final StringBuilder overall = new StringBuilder(String.format("%-14s", "overall"));
        final Map<EngineKind, Double> mips = new EnumMap<>(EngineKind.class);
        for (Map.Entry<EngineKind, long[]> e : totals.entrySet()) {
            final double m = e.getValue()[0] * 1e3 / e.getValue()[1];
            mips.put(e.getKey(), m);
            overall.append(String.format("  %s %8.1f MIPS", e.getKey(), m));
        }
        ratio(overall, mips.get(EngineKind.INTERP), mips.get(EngineKind.JIT));
        main.out.println(overall);
        return ExitCodes.OK;
    }

    private static void ratio(StringBuilder line, Double interp, Double jit) {
        if (interp != null && jit != null) {
            line.append(String.format("  jit/interp %.2fx", jit / interp));
        }
    }

    /** Runs a benchmark {@code rounds} times on fresh machines; the best round, or null after a failure (reported). */
    private BareMetalRunner.Outcome bestOf(String name, EngineKind engine, int rounds) throws BadImageException {
        final ElfImage elf = GuestPrograms.load(name);
        BareMetalRunner.Outcome best = null;
        for (int r = 1; r <= rounds; r++) {
            final ByteArrayOutputStream console = new ByteArrayOutputStream();
            final Machine machine = new Machine(MachineConfig.defaults());
            final BareMetalRunner runner = new BareMetalRunner(machine, elf, console);
            machine.useEngine(engine, false);
            setScale(elf, machine);
            final long cpu0 = THREADS.getCurrentThreadCpuTime();
            final BareMetalRunner.Outcome o = runner.run(Long.MAX_VALUE, null);
            final long cpu = THREADS.getCurrentThreadCpuTime() - cpu0;
            if (o.status() != BareMetalRunner.Status.PASSED) {
                main.err.printf("sublet: %s (%s) failed: %s%s%n", name, engine, o.status(),
                        o.fatal() != null ? " " + o.fatal().describe() : "");
                main.err.print(console);
                return null;
            }
            final String report = machine.engineReport();
            main.out.printf("%-14s %-6s round %d: %,13d instructions in %7.3f s = %7.1f MIPS (%.1f per CPU-second of "
                    + "the hart's thread)%n", name, engine, r, o.instructions(), o.nanos() / 1e9, o.mips(),
                    o.instructions() * 1e3 / cpu);
            if (report != null) {
                main.out.println("    " + report);
            }
            if (best == null || o.mips() > best.mips()) {
                best = o;
            }
        }
        return best;
    }

    private void setScale(ElfImage elf, Machine machine) throws BadImageException {
        if (scale == 1) {
            return;
        }
        final long addr = elf.symbol("bench_scale").orElseThrow(
                () -> new BadImageException(elf.name() + " has no bench_scale symbol; --scale is not supported"));
        machine.ram().store((int) (addr - machine.ram().base()), 8, scale);
    }
}
