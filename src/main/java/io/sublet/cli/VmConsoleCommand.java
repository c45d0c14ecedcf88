package io.sublet.cli;

import io.sublet.api.ApiClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code sublet vm console NAME}: this terminal on a running VM's serial console, through the daemon. Output is
 * streamed (several clients may watch at once); what is typed goes to the guest. Ctrl-A x detaches and leaves the
 * VM running.
 */
@Command(name = "console", mixinStandardHelpOptions = true,
        description = {"Attach this terminal to a running VM's serial console.",
            "Ctrl-A x detaches (the VM keeps running). Several clients may watch at once."})
public final class VmConsoleCommand implements Callable<Integer> {
    @ParentCommand
    private VmCommand vm;

    @Mixin
    private VmCommand.Client client;

    @Parameters(index = "0", paramLabel = "NAME", description = "the VM")
    private String name;

    private volatile long lastOutputNanos = System.nanoTime();

    /** Quiet time after which a scripted session (input from a pipe, now at its end) detaches. */
    static final long QUIET_NANOS = 1_000_000_000L;
    static final long MAX_LINGER_NANOS = 30_000_000_000L;

    @Override
    public Integer call() {
        try (ApiClient c = client.open()) {
            final InputStream output;
            try {
                output = c.stream("/v1/vms/" + name + "/console");
            } catch (IOException e) {
                vm.main.err.println("sublet: " + e.getMessage());
                return e.getMessage().startsWith("HTTP 404") ? VmCommand.NOT_FOUND
                        : e.getMessage().startsWith("HTTP 409") ? VmCommand.CONFLICT : VmCommand.UNREACHABLE;
            }
            final Thread pump = new Thread(() -> {
                final byte[] b = new byte[4096];
                try {
                    int n;
                    while ((n = output.read(b)) >= 0) {
                        vm.main.out.write(b, 0, n);
                        vm.main.out.flush();
                        lastOutputNanos = System.nanoTime();
                    }
                } catch (IOException e) {
                    // the VM stopped or the daemon went away
                }
            }, "console-output");
            pump.setDaemon(true);
            pump.start();
            final RawTerminal terminal = RawTerminal.enter();
            try {
                vm.main.err.print("sublet: attached to " + name + "; Ctrl-A x detaches\r\n");
                typeInto(c, pump);
                if (terminal == null) {
                    lingerWhileOutputFlows(pump);
                }
            } finally {
                if (terminal != null) {
                    terminal.close();
                }
                output.close();
            }
            vm.main.err.println("\r\nsublet: detached from " + name);
            return ExitCodes.OK;
        } catch (IOException e) {
            vm.main.err.println("sublet: " + e.getMessage());
            return VmCommand.UNREACHABLE;
        }
    }

    /**
     * Input came from a pipe or file and has ended: show the guest's answer before detaching, until the console
     * has been quiet for a second (at most 30 s), so {@code echo cmd | sublet vm console NAME} works in scripts.
     */
    private void lingerWhileOutputFlows(final Thread pump) {
        final long until = System.nanoTime() + MAX_LINGER_NANOS;
        lastOutputNanos = System.nanoTime();
        try {
            while (pump.isAlive() && System.nanoTime() < until && System.nanoTime() - lastOutputNanos < QUIET_NANOS) {
                Thread.sleep(50);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Sends what is typed, a chunk per read, until Ctrl-A x, end of input, or the console closes. */
    private void typeInto(final ApiClient c, final Thread pump) throws IOException {
        final EscapeFilter filter = new EscapeFilter();
        final byte[] b = new byte[256];
        int n;
        while (pump.isAlive() && (n = System.in.read(b)) >= 0) {
            final ByteArrayOutputStream chunk = new ByteArrayOutputStream();
            for (int i = 0; i < n; i++) {
                switch (filter.feed(b[i] & 0xff)) {
                    case FORWARD:
                        chunk.write(filter.lastByte());
                        break;
                    case QUIT:
                        send(c, chunk);
                        return;
                    default:
                        break; // the monitor and help escapes belong to sublet run
                }
            }
            send(c, chunk);
        }
    }

    private void send(final ApiClient c, final ByteArrayOutputStream chunk) throws IOException {
        if (chunk.size() > 0) {
            final ApiClient.Reply r = c.send("POST", "/v1/vms/" + name + "/console", "application/octet-stream",
                    chunk.toByteArray());
            if (r.status() >= 300) {
                throw new IOException("the console refused input: " + r.text());
            }
        }
    }
}
