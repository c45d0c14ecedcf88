package io.sublet.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code sublet} command. Only {@link #main} calls System.exit; everything else returns a status. */
@Command(name = "sublet", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Sublet: a virtual machine monitor for RISC-V (RV64), in pure Java.",
        subcommands = {RunCommand.class, ServeCommand.class, VmCommand.class, WorkerCommand.class, ExecCommand.class, DemoCommand.class, BenchCommand.class, ImageCommand.class, DiskCommand.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit status:%n", exitCodeList = {
            "0:success", "1:the guest failed", "2:bad input (options, missing or malformed image)",
            "3:instruction limit reached", "70:internal error"})
public final class Main implements Runnable {
    final PrintStream out;
    final PrintStream err;

    Main(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public void run() {
        CommandLine.usage(this, out);
    }

    public static void main(String[] args) {
        System.exit(run(System.out, System.err, args));
    }

    /** Runs a command line in-process and returns its exit status. */
    public static int run(PrintStream out, PrintStream err, String... args) {
        final CommandLine cl = new CommandLine(new Main(out, err));
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        cl.setParameterExceptionHandler((ex, a) -> {
            err.println("sublet: " + ex.getMessage());
            err.println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help' for more information.");
            return ExitCodes.BAD_INPUT;
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            err.println("sublet: internal error: " + ex);
            ex.printStackTrace(err);
            return ExitCodes.INTERNAL;
        });
        return cl.execute(args);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            final String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"sublet " + (v == null ? "development build" : v),
                "JVM: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version")};
        }
    }
}
