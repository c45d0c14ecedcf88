package io.sublet.cli;

import io.sublet.boot.BadImageException;
import io.sublet.boot.ElfImage;
import io.sublet.machine.BareMetalRunner;
import io.sublet.machine.Machine;
import io.sublet.machine.MachineConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code sublet demo}: runs Sublet's own bare-metal demo program (guest/demo.c) through HTIF. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run Sublet's built-in bare-metal demo program (no operating system).",
        exitCodeListHeading = "%nExit status:%n", exitCodeList = {
            "0:the guest exited with status 0", "1:the guest failed", "2:bad input", "70:internal error"})
public final class DemoCommand implements Callable<Integer> {
    @ParentCommand
    private Main main;

    @Option(names = "--mem", paramLabel = "SIZE", converter = SizeConverter.class,
            description = "RAM size, e.g. 256M or 1G (default: 256M)")
    private long mem = MachineConfig.DEFAULT_RAM;

    @Override
    public Integer call() {
        try {
            final Machine machine = new Machine(MachineConfig.defaults().withRamSize(mem));
            final ElfImage demo = GuestPrograms.load(GuestPrograms.DEMO);
            final BareMetalRunner.Outcome o = new BareMetalRunner(machine, demo, main.out).run(Long.MAX_VALUE, null);
            main.out.flush();
            switch (o.status()) {
                case PASSED:
                    return ExitCodes.OK;
                case FATAL:
                    main.err.println("sublet: demo: " + o.fatal().describe());
                    return ExitCodes.GUEST_FAILED;
                default:
                    main.err.println("sublet: demo exited with status " + o.exitCode());
                    return ExitCodes.GUEST_FAILED;
            }
        } catch (BadImageException e) {
            main.err.println("sublet: " + e.getMessage());
            return ExitCodes.BAD_INPUT;
        } catch (IllegalArgumentException e) {
            main.err.println("sublet: --mem: " + e.getMessage());
            return ExitCodes.BAD_INPUT;
        }
    }
}
