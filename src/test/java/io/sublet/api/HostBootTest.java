package io.sublet.api;

import static io.sublet.api.ContractClient.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sublet.boot.image.DebianImage;
import io.sublet.boot.image.ImageException;
import io.sublet.boot.image.Progress;
import io.sublet.vmm.HostResources;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three Debian guests (128 MiB each) under one daemon in the test, each in its own worker process, driven only
 * through the API: a command through each console; pause stops the instruction count and resume restarts it; a
 * daemon restart keeps them running and answering; kill -9 of one worker crashes that VM alone, with the reason;
 * a force-stop ends a guest spinning in the kernel; a graceful stop powers a guest off; the other VMs keep
 * running throughout. One boot per guest for the whole class. Deadlines guard against hangs; they time nothing.
 */
class HostBootTest {
    private static final Duration BOOT = Duration.ofMinutes(6);
    private static final Duration COMMAND = Duration.ofMinutes(2);
    private static final List<String> NAMES = List.of("alpha", "beta", "gamma");

    @TempDir
    static Path home;
    static TestDaemon daemon;
    static ContractClient api;
    static final Map<String, ConsoleWatch> consoles = new HashMap<>();

    @BeforeAll
    static void boot() throws Exception {
        try {
            DebianImage.ensure(DebianImage.defaultHome(), Progress.SILENT);
        } catch (ImageException e) {
            Assumptions.abort("the Debian image cannot be pulled here (" + e.getMessage() + ")");
        }
        // admits the three guests and 64 MiB more: a fourth start must be refused
        daemon = new TestDaemon(home, new HostResources(3 * 128 + 64, 2, 1.0), false);
        api = daemon.unixClient();
        final Map<String, String> tasks = new HashMap<>();
        for (String n : NAMES) {
            expect(201, api.call("POST", "/v1/vms", "{\"name\":\"" + n + "\",\"memory_mib\":128}"));
            final JsonNode t = expect(202, api.call("POST", "/v1/vms/" + n + "/start", null));
            assertEquals("start", t.path("kind").asText());
            tasks.put(n, t.path("id").asText());
        }
        for (String n : NAMES) {
            final JsonNode t = expect(200, api.call("GET", "/v1/tasks/" + tasks.get(n) + "?wait=120", null));
            assertEquals("succeeded", t.path("state").asText(), t.toString());
            assertEquals("running", state(n));
            consoles.put(n, new ConsoleWatch(api.open("/v1/vms/" + n + "/console")));
        }
        for (String n : NAMES) {
            consoles.get(n).waitFor("# ", BOOT);
        }
    }

    @AfterAll
    static void shutDown() throws Exception {
        for (ConsoleWatch c : consoles.values()) {
            c.close();
        }
        if (api != null) {
            api.close();
            daemon.close();
        }
    }

    private static String state(final String n) throws Exception {
        return expect(200, api.call("GET", "/v1/vms/" + n, null)).path("state").asText();
    }

    private static long instructions(final String n) throws Exception {
        return expect(200, api.call("GET", "/v1/vms/" + n, null)).path("metrics").path("instructions").asLong();
    }

    /** Types a command whose output is computed by the guest's shell, so the echo alone cannot match. */
    private static void answers(final String n, final String tag) throws Exception {
        expect(204, api.bytes("POST", "/v1/vms/" + n + "/console",
                ("echo " + tag + "-$((6*7))\n").getBytes(StandardCharsets.US_ASCII)));
        consoles.get(n).waitFor(tag + "-42", COMMAND);
    }

    private static JsonNode awaitTask(final JsonNode task) throws Exception {
        JsonNode t = task;
        while (t.path("state").asText().equals("running")) {
            t = expect(200, api.call("GET", "/v1/tasks/" + t.path("id").asText() + "?wait=60", null));
        }
        return t;
    }

    @Test
    void threeGuestsThroughTheirWholeLives() throws Exception {
        for (String n : NAMES) {
            answers(n, "hello-" + n);
        }
        // a second client watching alpha's console sees what the first one typed, and its answer
        try (ConsoleWatch second = new ConsoleWatch(api.open("/v1/vms/alpha/console"))) {
            answers("alpha", "two-watchers");
            second.waitFor("two-watchers-42", COMMAND);
        }
        final JsonNode usage = expect(200, api.call("GET", "/v1/vms/beta", null)).path("metrics");
        assertTrue(usage.path("traps").asLong() > 0 && usage.path("cpu_seconds").asDouble() > 0
                && usage.path("rss_bytes").asLong() > 128L << 20, usage.toString());
        final String metrics = api.call("GET", "/v1/metrics", null).text();
        assertTrue(metrics.matches("(?s).*\nsublet_vm_instructions_total\\{vm=\"beta\"\\} [1-9][0-9]*\n.*"), metrics);
        assertTrue(metrics.contains("sublet_vm_up{vm=\"gamma\",state=\"running\"} 1"), metrics);
        expect(201, api.call("POST", "/v1/vms", "{\"name\":\"delta\",\"memory_mib\":128}"));
        final JsonNode over = expect(422, api.call("POST", "/v1/vms/delta/start", null));
        assertTrue(over.path("detail").asText().contains("its 128 MiB and the 384 MiB of running VMs exceed the 448"
                + " MiB this host admits"), over.toString());
        assertEquals("defined", state("delta"));

        // pause: the count stops at an instruction boundary and stays; resume: it moves again
        final JsonNode paused = expect(200, api.call("POST", "/v1/vms/alpha/pause", null));
        assertEquals("paused", paused.path("state").asText());
        final long atPause = paused.path("metrics").path("instructions").asLong();
        Thread.sleep(1500);
        assertEquals(atPause, instructions("alpha"), "a paused guest retires nothing");
        expect(409, api.call("POST", "/v1/vms/alpha/pause", null));
        answers("beta", "while-alpha-paused");
        expect(200, api.call("POST", "/v1/vms/alpha/resume", null));
        answers("alpha", "resumed");
        assertTrue(instructions("alpha") > atPause);

        // a daemon restart: the workers keep running, the new daemon finds them, they still answer
        final Map<String, Long> pids = new HashMap<>();
        for (String n : NAMES) {
            pids.put(n, expect(200, api.call("GET", "/v1/vms/" + n, null)).path("pid").asLong());
        }
        for (ConsoleWatch c : consoles.values()) {
            c.close();
        }
        api.close();
        daemon.restart();
        api = daemon.unixClient();
        for (String n : NAMES) {
            final JsonNode v = expect(200, api.call("GET", "/v1/vms/" + n, null));
            assertEquals("running", v.path("state").asText(), v.toString());
            assertEquals((long) pids.get(n), v.path("pid").asLong(), "the same worker, found again");
            consoles.put(n, new ConsoleWatch(api.open("/v1/vms/" + n + "/console")));
            answers(n, "after-restart-" + n);
        }

        // kill -9 of gamma's worker: gamma alone crashes, with the reason
        ProcessHandle.of(pids.get("gamma")).orElseThrow().destroyForcibly();
        JsonNode g;
        do {
            Thread.sleep(50);
            g = expect(200, api.call("GET", "/v1/vms/gamma", null));
        } while (!g.path("state").asText().equals("crashed"));
        assertTrue(g.path("reason").asText().startsWith("the worker process died"), g.toString());
        assertEquals("running", state("alpha"));
        assertEquals("running", state("beta"));
        answers("alpha", "gamma-crashed");

        // force-stop beta while it spins in the kernel (reading /dev/zero into /dev/null is all kernel time)
        expect(204, api.bytes("POST", "/v1/vms/beta/console",
                "cat /dev/zero > /dev/null\n".getBytes(StandardCharsets.US_ASCII)));
        Thread.sleep(1000);
        final long forceStart = System.nanoTime();
        final JsonNode forced = awaitTask(expect(202, api.call("POST", "/v1/vms/beta/stop", "{\"force\":true}")));
        final double forceMs = (System.nanoTime() - forceStart) / 1e6;
        assertEquals("succeeded", forced.path("state").asText(), forced.toString());
        final JsonNode b = expect(200, api.call("GET", "/v1/vms/beta", null));
        assertEquals("stopped", b.path("state").asText());
        assertTrue(b.path("reason").asText().contains("SIGKILL"), b.toString());
        assertTrue(forceMs < 30_000, "force-stop hung: " + forceMs + " ms"); // a hang guard, not a speed check
        System.out.printf("force-stop of a spinning guest took %.0f ms through the API%n", forceMs);
        answers("alpha", "beta-stopped");

        // graceful stop: the guest powers itself off (Magic SysRq s, u, o), well within its grace period
        final JsonNode graceful = awaitTask(expect(202, api.call("POST", "/v1/vms/alpha/stop",
                "{\"grace_seconds\":120}")));
        assertEquals("succeeded", graceful.path("state").asText(), graceful.toString());
        final JsonNode a = expect(200, api.call("GET", "/v1/vms/alpha", null));
        assertEquals("stopped", a.path("state").asText());
        assertEquals("the guest powered off", a.path("reason").asText());
        final String log = api.call("GET", "/v1/vms/alpha/log", null).text();
        assertTrue(log.contains("sysrq: Power Off"), "the console log has the guest's last words");

        // the crashed VM can be deleted; its files go with it
        expect(204, api.call("DELETE", "/v1/vms/gamma", null));
        assertTrue(!Files.exists(home.resolve("vms/gamma")));
    }
}
