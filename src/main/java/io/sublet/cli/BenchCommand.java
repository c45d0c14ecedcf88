package io.sublet.cli;

import io.sublet.boot.BadImageException;
import io.sublet.boot.ElfImage;
import io.sublet.machine.BareMetalRunner;
import io.sublet.machine.Machine;
import io.sublet.machine.MachineConfig;
import java.io.ByteArrayOutputStream;
import java.util.List;
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
    @ParentCommand
    private Main main;

    @Parameters(arity = "0..*", paramLabel = "WORKLOAD",
            description = "cpu (default), boot, host, snapshot, or a benchmark name")
    private List<String> workloads = List.of("cpu");

    @Option(names = "--rounds", paramLabel = "N", description = "runs of each workload (default: 5 for cpu, 1 for boot)")
    private Integer roundsOption;

    @Option(names = "--scale", paramLabel = "N", description = "work multiplier written to bench_scale (default: 1)")
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
            return new BootBench(main.out, main.err).run(rounds);
        }
        if (workloads.equals(List.of("snapshot"))) {
            return new SnapshotBench(main.out, main.err).run();
        }
        long totalInstructions = 0;
        long totalNanos = 0;
        for (String w : workloads) {
            final String[] programs = w.equals("cpu") ? GuestPrograms.BENCHMARKS : new String[] {w};
            for (String name : programs) {
                try {
                    final ElfImage elf = GuestPrograms.load(name);
                    BareMetalRunner.Outcome best = null;
                    for (int r = 1; r <= rounds; r++) {
                        final ByteArrayOutputStream console = new ByteArrayOutputStream();
                        final Machine machine = new Machine(MachineConfig.defaults());
                        final BareMetalRunner runner = new BareMetalRunner(machine, elf, console);
                        setScale(elf, machine);
                        final BareMetalRunner.Outcome o = runner.run(Long.MAX_VALUE, null);
                        if (o.status() != BareMetalRunner.Status.PASSED) {
                            main.err.printf("sublet: %s failed: %s%s%n", name, o.status(),
                                    o.fatal() != null ? " " + o.fatal().describe() : "");
                            main.err.print(console);
                            return ExitCodes.GUEST_FAILED;
                        }
                        main.out.printf("%-14s round %d: %,13d instructions in %7.3f s = %7.1f MIPS%n",
                                name, r, o.instructions(), o.nanos() / 1e9, o.mips());
                        if (best == null || o.mips() > best.mips()) {
                            best = o;
                        }
                    }
                    main.out.printf("%-14s best: %.1f MIPS%n", name, best.mips());
                    totalInstructions += best.instructions();
                    totalNanos += best.nanos();
                } catch (BadImageException e) {
                    main.err.println("sublet: " + e.getMessage());
                    return ExitCodes.BAD_INPUT;
                }
            }
        }
        main.out.printf("overall (best rounds): %,d instructions in %.3f s = %.1f MIPS%n",
                totalInstructions, totalNanos / 1e9, totalInstructions * 1e3 / totalNanos);
        return ExitCodes.OK;
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
