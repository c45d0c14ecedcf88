package io.sublet.api;

import io.sublet.vmm.Host;
import io.sublet.vmm.HostResources;
import io.sublet.vmm.Json;
import io.sublet.vmm.VmStatus;
import io.sublet.vmm.WorkerLauncher;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A real daemon inside the test: a {@link Host} in a fresh home and the API on a UNIX socket (and TCP on port 0
 * when asked), as {@code sublet serve --foreground} runs them. {@link #restart} stops both and opens new ones on
 * the same home, as a daemon restart does; {@link #close} also kills every worker left, so no test leaves a VM
 * running.
 */
final class TestDaemon implements AutoCloseable {
    final Path home;
    final Path socket;
    private final HostResources resources;
    private final boolean tcp;
    Host host;
    ApiServer api;
    ApiToken token;

    TestDaemon(final Path home, final HostResources resources, final boolean tcp) throws Exception {
        this.home = home;
        this.socket = home.resolve("api.sock");
        this.resources = resources;
        this.tcp = tcp;
        open();
    }

    private void open() throws Exception {
        token = ApiToken.load(home.resolve("api.token"));
        host = Host.open(home, resources, new WorkerLauncher("io.sublet.cli.Main", List.of()));
        api = ApiServer.start(host, socket, tcp ? "127.0.0.1:0" : null, token);
    }

    void restart() throws Exception {
        api.close();
        host.close();
        open();
    }

    ContractClient unixClient() throws IOException {
        return new ContractClient(ApiClient.unix(socket));
    }

    ContractClient tcpClient(final String bearer) throws IOException {
        return new ContractClient(ApiClient.tcp("127.0.0.1:" + api.tcpPort(), bearer));
    }

    @Override
    public void close() throws Exception {
        api.close();
        host.close();
        final Path vms = home.resolve("vms");
        if (!Files.isDirectory(vms)) {
            return;
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(vms)) {
            for (Path d : dirs) {
                final Path status = d.resolve("status.json");
                if (Files.exists(status)) {
                    final VmStatus s = Json.read(status, VmStatus.class);
                    if (s.pid() != null) {
                        ProcessHandle.of(s.pid()).ifPresent(ProcessHandle::destroyForcibly);
                    }
                }
            }
        }
    }
}
