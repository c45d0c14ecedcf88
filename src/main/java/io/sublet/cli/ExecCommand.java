package io.sublet.cli;

import io.sublet.boot.BadImageException;
import io.sublet.boot.ElfImage;
import io.sublet.jit.Translator;
import io.sublet.machine.BareMetalRunner;
import io.sublet.machine.EngineKind;
import io.sublet.machine.Machine;
import io.sublet.machine.MachineConfig;
import io.sublet.machine.Tracer;
import io.sublet.mem.Ram;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code sublet exec}: runs a bare-metal ELF program with the HTIF exit-status contract of the RISC-V test suites. */
@Command(name = "exec", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run a bare-metal RISC-V ELF program (RV64, linked at 0x80000000) in M mode.",
            "It exits by writing its status to the 'tohost' symbol: 1 means pass, (n << 1) | 1 means test n failed."},
        exitCodeListHeading = "%nExit status:%n", exitCodeList = {
            "0:the program passed (tohost == 1)",
            "1:the program failed (test number printed), or stopped on an unhandled trap in M mode",
            "2:bad input: options, missing/corrupt/non-RV64 ELF, segment outside RAM, no tohost symbol",
            "3:--max-instructions reached before the program exited",
            "70:internal error in Sublet"})
public final class ExecCommand implements Callable<Integer> {
    @ParentCommand
    private Main main;

    @Parameters(index = "0", paramLabel = "FILE.elf", description = "the program to run")
    private Path file;

    @Option(names = "--max-instructions", paramLabel = "N", description = "stop after N instructions (default: no limit)")
    private long maxInstructions = Long.MAX_VALUE;

    @Option(names = "--mem", paramLabel = "SIZE", converter = SizeConverter.class,
            description = "RAM size, e.g. 256M or 1G (default: ${DEFAULT-VALUE} bytes)")
    private long mem = MachineConfig.DEFAULT_RAM;

    @Option(names = "--trace", paramLabel = "FILE",
            description = "write each executed instruction, disassembled, with the registers it wrote")
    private Path trace;

    @Option(names = "--engine", paramLabel = "ENGINE", converter = EngineConverter.class,
            description = "interp (the reference interpreter) or jit (the translator); default: jit")
    private EngineKind engine; // null: not given, the default

    @Option(names = "--jit-threshold", paramLabel = "N",
            description = "with --engine jit: translate a page after N interpreted instructions (default: ${DEFAULT-VALUE})")
    private int jitThreshold = Translator.DEFAULT_HOT;

    @Option(names = "--signature", paramLabel = "FILE",
            description = "on exit, write memory between begin_signature and end_signature, one 8-byte word per line")
    private Path signature;

    @Override
    public Integer call() {
        if (jitThreshold < 1) {
            main.err.println("sublet: --jit-threshold must be positive, got " + jitThreshold);
            return ExitCodes.BAD_INPUT;
        }
        if (maxInstructions <= 0) {
            main.err.println("sublet: --max-instructions must be positive, got " + maxInstructions);
            return ExitCodes.BAD_INPUT;
        }
        final Machine machine;
        try {
            machine = new Machine(MachineConfig.defaults().withRamSize(mem));
        } catch (IllegalArgumentException e) {
            main.err.println("sublet: --mem: " + e.getMessage());
            return ExitCodes.BAD_INPUT;
        }
        try {
            final ElfImage elf = ElfImage.read(file);
            final long[] sig = signatureRange(elf, machine.ram());
            final BareMetalRunner runner = new BareMetalRunner(machine, elf, main.out);
            if (trace != null && engine == EngineKind.JIT) { // asked for explicitly
                main.err.println("sublet: --trace steps one instruction at a time, which the interpreter does; "
                        + "the trace shows the interpreter's run");
            }
            // exact: the same instruction counts as the interpreter's, and translation at fixed points
            machine.useEngine(trace != null ? EngineKind.INTERP : engine != null ? engine : EngineKind.DEFAULT, true,
                    jitThreshold);
            if (!runner.hasHtif()) {
                if (maxInstructions == Long.MAX_VALUE) {
                    main.err.println("sublet: " + file + ": no tohost symbol, so the program cannot exit; "
                            + "give --max-instructions N to run it anyway");
                    return ExitCodes.BAD_INPUT;
                }
                main.err.println("sublet: " + file + ": no tohost symbol; running for " + maxInstructions + " instructions");
            }
            final BareMetalRunner.Outcome outcome = runTraced(runner);
            main.out.flush();
            if (sig != null) {
                writeSignature(machine.ram(), sig[0], sig[1]);
            }
            return report(outcome, runner.hasHtif());
        } catch (BadImageException e) {
            main.err.println("sublet: " + e.getMessage());
            return ExitCodes.BAD_INPUT;
        } catch (IOException e) {
            main.err.println("sublet: " + IoErrors.describe(e));
            return ExitCodes.BAD_INPUT;
        }
    }

    private BareMetalRunner.Outcome runTraced(BareMetalRunner runner) throws IOException {
        if (trace == null) {
            return runner.run(maxInstructions, null);
        }
        try (BufferedWriter w = Files.newBufferedWriter(trace, StandardCharsets.UTF_8);
             PrintWriter pw = new PrintWriter(w)) {
            final Tracer tracer = new Tracer(pw);
            final BareMetalRunner.Outcome outcome = runner.run(maxInstructions, tracer);
            tracer.flush();
            return outcome;
        }
    }

    private long[] signatureRange(ElfImage elf, Ram ram) throws BadImageException {
        if (signature == null) {
            return null;
        }
        final Long begin = elf.symbol("begin_signature").orElse(null);
        final Long end = elf.symbol("end_signature").orElse(null);
        if (begin == null || end == null) {
            throw new BadImageException(file + ": --signature needs the begin_signature and end_signature symbols");
        }
        if (Long.compareUnsigned(begin, end) > 0 || !ram.contains(begin, (int) Math.min(end - begin, Integer.MAX_VALUE))) {
            throw new BadImageException(String.format("%s: signature range [0x%x, 0x%x) is not in RAM", file, begin, end));
        }
        return new long[] {begin, end};
    }

    private void writeSignature(Ram ram, long begin, long end) throws IOException {
        final StringBuilder sb = new StringBuilder();
        for (long a = begin; a < end; a += 8) {
            final int avail = (int) Math.min(8, end - a);
            long v = 0;
            for (int k = 0; k < avail; k++) {
                v |= (ram.load((int) (a + k - ram.base()), 1) & 0xffL) << (8 * k);
            }
            sb.append(String.format("%016x%n", v));
        }
        Files.writeString(signature, sb.toString(), StandardCharsets.US_ASCII);
    }

    private int report(BareMetalRunner.Outcome o, boolean htif) {
        switch (o.status()) {
            case PASSED:
                return ExitCodes.OK;
            case FAILED:
                main.err.println("sublet: " + file + ": test " + o.exitCode() + " failed (exit status " + o.exitCode()
                        + ", after " + o.instructions() + " instructions)");
                return ExitCodes.GUEST_FAILED;
            case FATAL:
                main.err.println("sublet: " + file + ": " + o.fatal().describe());
                return ExitCodes.GUEST_FAILED;
            default:
                if (!htif) {
                    main.err.println("sublet: " + file + ": stopped after " + o.instructions()
                            + " instructions; without a tohost symbol the program has no way to exit");
                    return ExitCodes.BAD_INPUT;
                }
                main.err.println("sublet: " + file + ": stopped after " + o.instructions()
                        + " instructions (--max-instructions) before the program exited");
                return ExitCodes.LIMIT;
        }
    }
}
