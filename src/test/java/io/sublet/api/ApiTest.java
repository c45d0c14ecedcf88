package io.sublet.api;

import static io.sublet.api.ContractClient.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sublet.vmm.HostResources;
import io.sublet.vmm.Json;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API without booting a guest: definitions, persistence, the error shape, and every refusal the issue lists,
 * each checked for its status, its message and that nothing changed. Every request and response is checked
 * against openapi.yaml ({@link ContractClient}). The host here has 1000 MiB of RAM and admits 0.2 of it.
 */
class ApiTest {
    @TempDir
    static Path home;
    static TestDaemon daemon;
    static ContractClient api;
    static Path kernel;

    @BeforeAll
    static void start() throws Exception {
        daemon = new TestDaemon(home, new HostResources(1000, 2, 0.2), true);
        api = daemon.unixClient();
        kernel = Files.writeString(home.resolve("Image"), "not booted by these tests");
    }

    @AfterAll
    static void stop() throws Exception {
        api.close();
        daemon.close();
    }

    private static JsonNode define(final String json) throws Exception {
        return expect(201, api.call("POST", "/v1/vms", json));
    }

    private static boolean exists(final String name) throws Exception {
        return api.call("GET", "/v1/vms/" + name, null).status() == 200;
    }

    /** A refusal: the status, a problem body naming the field and saying {@code words}, and no VM defined. */
    private static void refused(final int status, final String field, final String words, final String name,
                                final ApiClient.Reply r) throws Exception {
        final JsonNode p = expect(status, r);
        assertEquals("application/problem+json", r.contentType());
        assertEquals(status, p.path("status").asInt());
        assertTrue(p.path("detail").asText().contains(words), p.toString());
        if (field != null) {
            assertEquals(field, p.path("field").asText(), p.toString());
        }
        if (name != null) {
            assertFalse(exists(name), "a refused definition must leave nothing behind");
        }
    }

    private static byte[] utf8(final String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void definesListsAndKeepsAVmAcrossARestart() throws Exception {
        final JsonNode vm = define("{\"name\":\"keep\",\"memory_mib\":64}");
        assertEquals("defined", vm.path("state").asText());
        assertEquals(64, vm.path("config").path("memory_mib").asInt());
        assertEquals(100, vm.path("config").path("cpu_weight").asInt(), "defaults are filled in");
        daemon.restart();
        api.close();
        api = daemon.unixClient();
        final JsonNode again = expect(200, api.call("GET", "/v1/vms/keep", null));
        assertEquals("defined", again.path("state").asText());
        assertEquals(vm.path("config"), again.path("config"));
        boolean listed = false;
        for (JsonNode v : expect(200, api.call("GET", "/v1/vms", null)).path("vms")) {
            listed |= v.path("name").asText().equals("keep");
        }
        assertTrue(listed);
        expect(204, api.call("DELETE", "/v1/vms/keep", null));
        assertFalse(exists("keep"));
        assertFalse(Files.exists(home.resolve("vms/keep")), "delete removes the VM's directory");
    }

    @Test
    void socketIsOwnerOnlyAndTheHostDescribesItself() throws Exception {
        assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                Files.getPosixFilePermissions(daemon.socket));
        assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                Files.getPosixFilePermissions(home.resolve("api.token")));
        final JsonNode h = expect(200, api.call("GET", "/v1/host", null));
        assertEquals(200, h.path("admitted_memory_mib").asInt());
        final ApiClient.Reply m = api.call("GET", "/v1/metrics", null);
        assertTrue(m.text().contains("# TYPE sublet_host_vms gauge"), m.text());
        assertTrue(m.text().contains("sublet_host_admitted_memory_bytes " + (200L << 20)), m.text());
        assertTrue(api.call("GET", "/v1/openapi.yaml", null).text().startsWith("openapi: 3.1.0"));
    }

    @Test
    void unknownVmAndTaskAre404() throws Exception {
        refused(404, null, "no VM named nope", null, api.call("GET", "/v1/vms/nope", null));
        refused(404, null, "no VM named nope", null, api.call("POST", "/v1/vms/nope/start", null));
        refused(404, null, "no VM named nope", null, api.call("POST", "/v1/vms/nope/pause", null));
        refused(404, null, "no VM named nope", null, api.call("DELETE", "/v1/vms/nope", null));
        refused(404, null, "no task task-999", null, api.call("GET", "/v1/tasks/task-999", null));
    }

    @Test
    void illegalTransitionsAre409AndChangeNothing() throws Exception {
        define("{\"name\":\"idle\",\"memory_mib\":64}");
        refused(409, null, "cannot pause VM idle: it is defined", null, api.call("POST", "/v1/vms/idle/pause", null));
        refused(409, null, "cannot resume VM idle: it is defined", null,
                api.call("POST", "/v1/vms/idle/resume", null));
        refused(409, null, "cannot force-stop VM idle: it is defined", null,
                api.call("POST", "/v1/vms/idle/stop", "{\"force\":true}"));
        refused(409, null, "cannot type into VM idle: it is defined", null,
                api.bytes("POST", "/v1/vms/idle/console", utf8("ls\n")));
        assertEquals("defined", expect(200, api.call("GET", "/v1/vms/idle", null)).path("state").asText());
        expect(204, api.call("DELETE", "/v1/vms/idle", null));
    }

    @Test
    void duplicateNameIs409() throws Exception {
        define("{\"name\":\"twin\",\"memory_mib\":64}");
        final JsonNode p = expect(409, api.call("POST", "/v1/vms", "{\"name\":\"twin\",\"memory_mib\":128}"));
        assertTrue(p.path("detail").asText().contains("a VM named twin is already defined"), p.toString());
        assertEquals(64, expect(200, api.call("GET", "/v1/vms/twin", null)).path("config").path("memory_mib").asInt(),
                "the first definition is unchanged");
        expect(204, api.call("DELETE", "/v1/vms/twin", null));
    }

    @Test
    void moreMemoryThanTheHostAdmitsIs422WithTheNumbers() throws Exception {
        refused(422, "memory_mib", "memory_mib 256 is more than this host admits: 200 MiB (1000 MiB of RAM times the"
                + " overcommit ratio 0.2)", "big", api.call("POST", "/v1/vms", "{\"name\":\"big\",\"memory_mib\":256}"));
    }

    @Test
    void aDiskUsedByAnotherVmIs409() throws Exception {
        final Path disk = Files.write(home.resolve("shared.img"), new byte[4096]);
        define("{\"name\":\"owner\",\"memory_mib\":64,\"disks\":[{\"path\":\"" + disk + "\"}]}");
        refused(409, "disks[0].path", "disk " + disk + " is already used by VM owner", "thief",
                api.call("POST", "/v1/vms", "{\"name\":\"thief\",\"memory_mib\":64,\"disks\":[{\"path\":\"" + disk
                        + "\",\"read_only\":true}]}"));
        expect(204, api.call("DELETE", "/v1/vms/owner", null));
    }

    @Test
    void eachBadFieldIs400NamingIt() throws Exception {
        // refused by openapi.yaml as well as by the server
        final String[][] schemaInvalid = {
            {"{\"name\":\"Bad Name\"}", "name", "must be 1 to 63"},
            {"{\"name\":\"v\",\"vcpus\":2}", "vcpus", "vcpus 2 is out of range"},
            {"{\"name\":\"v\",\"memory_mib\":8}", "memory_mib", "memory_mib 8 is out of range 64..2047"},
            {"{\"name\":\"v\",\"memory_mib\":4096}", "memory_mib", "memory_mib 4096 is out of range"},
            {"{\"name\":\"v\",\"memory_mib\":\"lots\"}", "memory_mib", "memory_mib: wrong type"},
            {"{\"name\":\"v\",\"append\":\"" + "x".repeat(1025) + "\"}", "append", "at most 1024"},
            {"{\"name\":\"v\",\"cpu_weight\":0}", "cpu_weight", "cpu_weight 0 is out of range 1..10000"},
            {"{\"name\":\"v\",\"cpu_quota_percent\":500}", "cpu_quota_percent", "cpu_quota_percent 500 is out"},
            {"{\"name\":\"v\",\"console_log_kib\":1}", "console_log_kib", "console_log_kib 1 is out of range"},
            {"{\"name\":\"v\",\"rng\":\"yes\"}", "rng", "rng: wrong type"},
            {"{\"name\":\"v\",\"disks\":[{}]}", "disks[0].path", "disks[0].path is required"},
            {"{\"name\":\"v\",\"colour\":\"blue\"}", "colour", "unknown field \"colour\""},
            {"{\"memory_mib\":64}", "name", "name is required"},
        };
        for (String[] c : schemaInvalid) {
            refused(400, c[1], c[2], "v", api.invalid("POST", "/v1/vms", "application/json", utf8(c[0])));
        }
        // allowed by the schema, refused by what the daemon finds on the host
        final String[][] hostInvalid = {
            {"{\"name\":\"v\",\"kernel\":\"Image\"}", "kernel", "must be an absolute path"},
            {"{\"name\":\"v\",\"kernel\":\"/nonexistent/Image\"}", "kernel", "/nonexistent/Image: no such file"},
            {"{\"name\":\"v\",\"kernel\":\"" + home + "\"}", "kernel", "is not a regular file"},
            {"{\"name\":\"v\",\"initrd\":\"" + kernel + "\"}", "initrd", "an initrd needs a kernel"},
            {"{\"name\":\"v\",\"kernel\":\"" + kernel + "\",\"initrd\":\"/no/initrd\"}", "initrd", "no such file"},
            {"{\"name\":\"v\",\"disks\":[{\"path\":\"/no/disk.img\"}]}", "disks[0].path", "no such file"},
            {"{\"name\":\"v\",\"disks\":[{\"path\":\"" + kernel + "\"},{\"path\":\"" + kernel + "\"}]}",
                "disks[1].path", "is attached twice"},
        };
        for (String[] c : hostInvalid) {
            refused(400, c[1], c[2], "v", api.call("POST", "/v1/vms", c[0]));
        }
    }

    @Test
    void malformedOversizedAndMistypedBodiesAreRefused() throws Exception {
        refused(400, null, "malformed JSON", "m", api.invalid("POST", "/v1/vms", "application/json",
                utf8("{\"name\":\"m\",")));
        refused(400, null, "malformed JSON", "m", api.invalid("POST", "/v1/vms", "application/json",
                utf8("{\"name\":\"m\"} trailing")));
        refused(400, null, "a JSON body is required", null, api.invalid("POST", "/v1/vms", "application/json",
                new byte[0]));
        final byte[] huge = utf8("{\"name\":\"m\",\"append\":\"" + "y".repeat(Exchange.MAX_BODY) + "\"}");
        refused(413, null, "larger than the limit of " + Exchange.MAX_BODY, "m",
                api.invalid("POST", "/v1/vms", "application/json", huge));
        refused(415, null, "must be application/json", "m", api.invalid("POST", "/v1/vms", "text/plain",
                utf8("{\"name\":\"m\"}")));
        define("{\"name\":\"s\",\"memory_mib\":64}");
        refused(400, "grace_seconds", "grace_seconds", null, api.invalid("POST", "/v1/vms/s/stop",
                "application/json", utf8("{\"grace_seconds\":-1}")));
        refused(400, "wait", "wait must be a number", null, api.invalid("GET", "/v1/tasks/task-1?wait=soon", null,
                null));
        expect(204, api.call("DELETE", "/v1/vms/s", null));
    }

    @Test
    void tcpNeedsTheBearerToken() throws Exception {
        try (ContractClient none = daemon.tcpClient(null);
             ContractClient wrong = daemon.tcpClient("0".repeat(64));
             ContractClient right = daemon.tcpClient(daemon.token.value())) {
            refused(401, null, "needs Authorization: Bearer", "tcp1",
                    none.call("POST", "/v1/vms", "{\"name\":\"tcp1\"}"));
            refused(401, null, "the bearer token is wrong", "tcp1",
                    wrong.call("POST", "/v1/vms", "{\"name\":\"tcp1\"}"));
            refused(401, null, "needs Authorization", null, none.call("GET", "/v1/vms", null));
            expect(200, right.call("GET", "/v1/host", null));
            expect(201, right.call("POST", "/v1/vms", "{\"name\":\"tcp2\",\"memory_mib\":64}"));
            expect(204, right.call("DELETE", "/v1/vms/tcp2", null));
        }
    }

    @Test
    void eventsStreamTellsDefinitionsAndDeletions() throws Exception {
        final long after = 0;
        define("{\"name\":\"ev\",\"memory_mib\":64}");
        expect(204, api.call("DELETE", "/v1/vms/ev", null));
        try (ApiClient.Stream s = api.open("/v1/events?after=" + after)) {
            assertEquals("text/event-stream", s.contentType());
            final BufferedReader in = new BufferedReader(new InputStreamReader(s.body(), StandardCharsets.UTF_8));
            boolean defined = false;
            boolean deleted = false;
            String line;
            while (!(defined && deleted) && (line = in.readLine()) != null) {
                if (!line.startsWith("data: ")) {
                    continue;
                }
                final JsonNode e = Json.MAPPER.readTree(line.substring(6));
                assertTrue(ContractClient.CONTRACT.componentErrors("Event", e).isEmpty(), e.toString());
                if (e.path("vm").asText().equals("ev")) {
                    defined |= e.path("to").asText().equals("defined");
                    deleted |= e.path("to").asText().equals("deleted") && e.path("from").asText().equals("defined");
                }
            }
            assertTrue(defined && deleted);
        }
    }

    @Test
    void unknownRoutesAndMethodsGetTheSameProblemShape() throws Exception {
        // openapi.yaml describes neither, so they go around the contract client; the body still is a Problem
        try (ApiClient raw = ApiClient.unix(daemon.socket)) {
            for (String[] c : new String[][] {{"GET", "/v1/vms/x/start", "405", "method GET is not allowed here"},
                {"GET", "/v2/vms", "404", "no such resource: /v2/vms"}}) {
                final ApiClient.Reply r = raw.send(c[0], c[1], null, null);
                assertEquals(Integer.parseInt(c[2]), r.status());
                final JsonNode p = Json.MAPPER.readTree(r.body());
                assertTrue(ContractClient.CONTRACT.componentErrors("Problem", p).isEmpty(), p.toString());
                assertTrue(p.path("detail").asText().contains(c[3]), p.toString());
            }
        }
    }

    @Test
    void aWorkerThatCannotBootItsKernelLeavesTheVmCrashedWithTheReason() throws Exception {
        // the file exists (so the definition is valid) but is no kernel: the worker process refuses it and exits
        define("{\"name\":\"junk\",\"memory_mib\":64,\"kernel\":\"" + kernel + "\"}");
        JsonNode t = expect(202, api.call("POST", "/v1/vms/junk/start", null));
        t = expect(200, api.call("GET", "/v1/tasks/" + t.path("id").asText() + "?wait=120", null));
        assertEquals("failed", t.path("state").asText(), t.toString());
        final JsonNode vm = expect(200, api.call("GET", "/v1/vms/junk", null));
        assertEquals("crashed", vm.path("state").asText());
        assertTrue(vm.path("reason").asText().contains(kernel.toString()), vm.toString());
        assertTrue(t.path("error").asText().contains(vm.path("reason").asText()), t.toString());
        expect(204, api.call("DELETE", "/v1/vms/junk", null));
    }
}
