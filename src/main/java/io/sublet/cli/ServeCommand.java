package io.sublet.cli;

import io.sublet.api.ApiServer;
import io.sublet.api.ApiToken;
import io.sublet.vmm.Host;
import io.sublet.vmm.HostResources;
import io.sublet.vmm.WorkerLauncher;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code sublet serve}: the host daemon. Its VMs run in worker processes of their own and outlive it: stopping or
 * restarting the daemon leaves them running, and the next daemon finds them again.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run the host daemon: the HTTP API for many VMs, each in a worker process of its own.",
            "Listens on a UNIX socket (mode 0600); with --listen also on TCP, where requests need the bearer token."},
        exitCodeListHeading = "%nExit status:%n", exitCodeList = {
            "0:it started in the background, or --print-token", "143:the foreground daemon stopped on SIGTERM (its VMs keep running)",
            "2:bad input (options), or the socket is taken by a running daemon", "70:internal error"})
public final class ServeCommand implements Callable<Integer> {
    @ParentCommand
    private Main main;

    @Option(names = "--home", paramLabel = "DIR", description = "state directory (default: $SUBLET_HOME, else "
            + "~/.cache/sublet); VMs are kept in DIR/vms")
    private Path home;

    @Option(names = "--socket", paramLabel = "PATH", description = "the API's UNIX socket (default: "
            + "$XDG_RUNTIME_DIR/sublet/api.sock, else HOME/api.sock)")
    private Path socket;

    @Option(names = "--listen", paramLabel = "HOST:PORT", description = "also serve on TCP; every request needs "
            + "Authorization: Bearer TOKEN")
    private String listen;

    @Option(names = "--print-token", description = "print the bearer token (made on first use) and exit")
    private boolean printToken;

    @Option(names = "--foreground", description = "stay in the foreground (for systemd units and tests)")
    private boolean foreground;

    @Option(names = "--overcommit", paramLabel = "RATIO", description = "guest memory admitted, as a multiple "
            + "of physical RAM (default: ${DEFAULT-VALUE})")
    private double overcommit = HostResources.DEFAULT_OVERCOMMIT;

    @Override
    public Integer call() throws Exception {
        final Path h = HostPaths.home(home);
        final Path sock = HostPaths.socket(socket, h);
        final ApiToken token = ApiToken.load(HostPaths.token(h));
        if (printToken) {
            main.out.println(token.value());
            return ExitCodes.OK;
        }
        if (!(overcommit > 0) || overcommit > 100) {
            main.err.println("sublet: --overcommit " + overcommit + " is out of range (0, 100]");
            return ExitCodes.BAD_INPUT;
        }
        if (Files.exists(sock) && answers(sock)) {
            main.err.println("sublet: a daemon already serves " + sock);
            return ExitCodes.BAD_INPUT;
        }
        if (!foreground) {
            return background(h, sock);
        }
        final Host host = Host.open(h, HostResources.probe(overcommit), launcher());
        final ApiServer api;
        try {
            api = ApiServer.start(host, sock, listen, token);
        } catch (IllegalArgumentException e) {
            host.close();
            main.err.println("sublet: " + e.getMessage());
            return ExitCodes.BAD_INPUT;
        }
        main.out.println("sublet serve: " + sock + (listen == null ? "" : " and tcp port " + api.tcpPort())
                + "; VMs in " + h.resolve("vms"));
        main.out.flush();
        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> { // SIGTERM, SIGINT: the VMs keep running
            try {
                api.close();
            } catch (Exception e) {
                // stopping anyway
            }
            host.close();
            stopped.countDown();
        }, "serve-shutdown"));
        api.join();
        stopped.await();
        return ExitCodes.OK;
    }

    /** The worker command line: this same build's main class, plus any options in $SUBLET_WORKER_JAVA_OPTS. */
    static WorkerLauncher launcher() {
        final String extra = System.getenv("SUBLET_WORKER_JAVA_OPTS");
        return new WorkerLauncher(Main.class.getName(), extra == null || extra.isBlank() ? List.of()
                : List.of(extra.trim().split("\\s+")));
    }

    private static boolean answers(final Path sock) {
        try (io.sublet.api.ApiClient c = io.sublet.api.ApiClient.unix(sock)) {
            return c.get("/v1/host").status() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    /** Starts a foreground daemon in a session of its own, its output in HOME/serve.log, and waits for its socket. */
    private int background(final Path h, final Path sock) throws IOException, InterruptedException {
        final List<String> cmd = new ArrayList<>();
        if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
            cmd.add("/usr/bin/setsid");
        }
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        cmd.addAll(List.of("serve", "--foreground", "--home", h.toString(), "--socket", sock.toString(),
                "--overcommit", Double.toString(overcommit)));
        if (listen != null) {
            cmd.addAll(List.of("--listen", listen));
        }
        Files.createDirectories(h);
        final Path log = h.resolve("serve.log");
        final Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        for (int i = 0; i < 600 && p.isAlive(); i++) {
            if (Files.exists(sock) && answers(sock)) {
                main.out.println("sublet serve: running as pid " + p.pid() + " on " + sock + "; log in " + log);
                return ExitCodes.OK;
            }
            Thread.sleep(50);
        }
        main.err.println("sublet: the daemon did not come up; see " + log);
        return ExitCodes.INTERNAL;
    }
}
