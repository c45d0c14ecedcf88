package io.sublet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.sublet.api.ApiClient;
import io.sublet.api.ApiServer;
import io.sublet.api.ApiToken;
import io.sublet.boot.image.ConsoleProgress;
import io.sublet.boot.image.DebianImage;
import io.sublet.boot.image.ImageException;
import io.sublet.machine.PromptWatcher;
import io.sublet.vmm.Host;
import io.sublet.vmm.HostResources;
import io.sublet.vmm.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * {@code sublet bench host}: a daemon in this process with its own temporary home, N Debian guests of 128 MiB
 * booted one after the other through the API, then: time from {@code start} to the guest running (its first
 * instruction) and to its shell prompt; each idle worker's RSS minus guest RAM; host CPU while they idle; API
 * latency under concurrent clients; force-stop time. Everything is torn down at the end.
 */
final class HostBench {
    static final int GUEST_MIB = 128;
    static final long IDLE_SECONDS = 10;
    private final PrintStream out;
    private final PrintStream err;

    HostBench(final PrintStream out, final PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int run(final int guests, final int clients, final int requestsPerClient) throws Exception {
        try {
            DebianImage.ensure(DebianImage.defaultHome(), new ConsoleProgress(err, err));
        } catch (ImageException e) {
            err.println("sublet: " + e.getMessage());
            return ExitCodes.BAD_INPUT;
        }
        final Path home = Files.createTempDirectory("sublet-bench-host");
        final Host host = Host.open(home, HostResources.probe(1.0), ServeCommand.launcher());
        final Path sock = home.resolve("api.sock");
        final ApiServer api = ApiServer.start(host, sock, null, ApiToken.load(home.resolve("api.token")));
        final List<String> names = new ArrayList<>();
        try (ApiClient c = ApiClient.unix(sock)) {
            out.printf("host: %d cores, %d MiB RAM; %d guests of %d MiB (Debian kernel + busybox), one at a time%n",
                    host.resources().cores(), host.resources().physicalMib(), guests, GUEST_MIB);
            for (int i = 0; i < guests; i++) {
                final String name = "bench" + i;
                names.add(name);
                check(c.postJson("/v1/vms", "{\"name\":\"" + name + "\",\"memory_mib\":" + GUEST_MIB + "}"), 201);
                if (!boot(c, name)) {
                    return ExitCodes.GUEST_FAILED;
                }
            }
            Thread.sleep(3000); // let the shells settle before measuring idle
            final double cpuBefore = cpu(c, names);
            final long t0 = System.nanoTime();
            Thread.sleep(IDLE_SECONDS * 1000);
            final double idleCpu = (cpu(c, names) - cpuBefore) / ((System.nanoTime() - t0) / 1e9);
            long overhead = 0;
            for (String n : names) {
                final JsonNode v = Json.MAPPER.readTree(c.get("/v1/vms/" + n).body());
                final long rss = v.path("metrics").path("rss_bytes").asLong();
                overhead += rss - ((long) GUEST_MIB << 20);
                out.printf("%s idle: RSS %d MiB, RSS minus guest RAM %d MiB%n", n, rss >> 20,
                        (rss - ((long) GUEST_MIB << 20)) >> 20);
            }
            out.printf("host memory overhead per idle VM: %d MiB (RSS minus guest RAM, mean of %d)%n",
                    overhead / guests >> 20, guests);
            out.printf("host CPU while %d guests idle: %.1f %% of one core in total (%.1f %% per guest)%n", guests,
                    idleCpu * 100, idleCpu * 100 / guests);
            latency(sock, names.get(0), clients, requestsPerClient);
            for (String n : names) {
                final long s = System.nanoTime();
                final JsonNode t = Json.MAPPER.readTree(c.postJson("/v1/vms/" + n + "/stop", "{\"force\":true}").body());
                c.get("/v1/tasks/" + t.path("id").asText() + "?wait=60");
                out.printf("%s force-stop: %.0f ms to stopped%n", n, (System.nanoTime() - s) / 1e6);
            }
            return ExitCodes.OK;
        } finally {
            for (String n : names) {
                try (ApiClient c = ApiClient.unix(sock)) {
                    c.postJson("/v1/vms/" + n + "/stop", "{\"force\":true}");
                } catch (IOException e) {
                    // already stopped
                }
            }
            Thread.sleep(500);
            api.close();
            host.close();
            deleteTree(home);
        }
    }

    /** The bench's temporary home: definitions, console logs, the socket. */
    private static void deleteTree(final Path dir) {
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a leftover temporary directory is harmless; say where it is
            System.err.println("sublet: cannot remove " + dir + ": " + e.getMessage());
        }
    }

    private boolean boot(final ApiClient c, final String name) throws Exception {
        final long start = System.nanoTime();
        final JsonNode task = Json.MAPPER.readTree(check(c.postJson("/v1/vms/" + name + "/start", null), 202).body());
        final JsonNode done = Json.MAPPER.readTree(c.get("/v1/tasks/" + task.path("id").asText() + "?wait=120").body());
        final double running = (System.nanoTime() - start) / 1e9;
        if (!done.path("state").asText().equals("succeeded")) {
            err.println("sublet: " + name + " did not start: " + done.path("error").asText());
            return false;
        }
        final PromptWatcher prompt = new PromptWatcher();
        final InputStream console = c.stream("/v1/vms/" + name + "/console");
        final Thread pump = new Thread(() -> {
            try {
                console.transferTo(prompt);
            } catch (IOException e) {
                // closed below
            }
        }, "bench-console");
        pump.setDaemon(true);
        pump.start();
        final long at = prompt.await(300, TimeUnit.SECONDS);
        console.close();
        if (at < 0) {
            err.println("sublet: " + name + " showed no shell prompt within 300 s; console tail:\n" + prompt.tail());
            return false;
        }
        out.printf("%s: start -> running (first instruction) %.2f s, -> shell prompt %.2f s%n", name, running,
                (at - start) / 1e9);
        return true;
    }

    private static double cpu(final ApiClient c, final List<String> names) throws IOException {
        double sum = 0;
        for (String n : names) {
            sum += Json.MAPPER.readTree(c.get("/v1/vms/" + n).body()).path("metrics").path("cpu_seconds").asDouble();
        }
        return sum;
    }

    /** {@code clients} threads, each with its own connection, each sending GET /v1/vms/NAME (a worker call too). */
    private void latency(final Path sock, final String name, final int clients, final int each) throws Exception {
        final ExecutorService pool = Executors.newFixedThreadPool(clients);
        final List<Future<long[]>> results = new ArrayList<>();
        final long start = System.nanoTime();
        for (int i = 0; i < clients; i++) {
            results.add(pool.submit(() -> {
                final long[] nanos = new long[each];
                try (ApiClient c = ApiClient.unix(sock)) {
                    for (int r = 0; r < each; r++) {
                        final long s = System.nanoTime();
                        check(c.get("/v1/vms/" + name), 200);
                        nanos[r] = System.nanoTime() - s;
                    }
                }
                return nanos;
            }));
        }
        final List<Long> all = new ArrayList<>();
        for (Future<long[]> f : results) {
            Arrays.stream(f.get()).forEach(all::add);
        }
        final double wall = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        all.sort(Comparator.naturalOrder());
        out.printf("API GET /v1/vms/NAME, %d concurrent clients x %d requests: p50 %.2f ms, p99 %.2f ms, %.0f"
                + " requests/s%n", clients, each, all.get(all.size() / 2) / 1e6, all.get(all.size() * 99 / 100) / 1e6,
                all.size() / wall);
    }

    private static ApiClient.Reply check(final ApiClient.Reply r, final int status) throws IOException {
        if (r.status() != status) {
            throw new IOException("expected HTTP " + status + ", got " + r.status() + ": " + r.text());
        }
        return r;
    }
}
