package io.sublet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sublet.api.ApiServer;
import io.sublet.api.ApiToken;
import io.sublet.vmm.Host;
import io.sublet.vmm.HostResources;
import io.sublet.vmm.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sublet vm} and {@code sublet serve --print-token} in-process against a real daemon (no guest boots here;
 * HostBootTest boots them): what is printed, {@code --output json}, and the exit statuses listed in --help.
 */
class VmCommandTest {
    @TempDir
    static Path home;
    static Host host;
    static ApiServer api;
    static String socket;

    @BeforeAll
    static void start() throws Exception {
        host = Host.open(home, new HostResources(4096, 2, 1.0), ServeCommand.launcher());
        api = ApiServer.start(host, home.resolve("api.sock"), null, ApiToken.load(home.resolve("api.token")));
        socket = home.resolve("api.sock").toString();
    }

    @AfterAll
    static void stop() throws Exception {
        api.close();
        host.close();
    }

    record Result(int status, String out, String err) { }

    private static Result vm(final String... args) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final String[] full = new String[args.length + 3];
        full[0] = "vm";
        System.arraycopy(args, 0, full, 1, args.length);
        full[args.length + 1] = "--socket";
        full[args.length + 2] = socket;
        final int status = Main.run(new PrintStream(out, true), new PrintStream(err, true), full);
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void defineListInfoDeleteWithTextAndJson() throws Exception {
        final Result d = vm("define", "cli1", "--mem", "128M", "--cpu-weight", "200");
        assertEquals(0, d.status(), d.err());
        assertEquals("cli1: defined (128 MiB)\n", d.out());
        final Result ls = vm("ls");
        assertTrue(ls.out().matches("(?s)NAME +STATE.*\ncli1 +defined +128M +- +defined\n.*"), ls.out());
        final JsonNode info = Json.MAPPER.readTree(vm("info", "cli1", "--output", "json").out());
        assertEquals(200, info.path("config").path("cpu_weight").asInt());
        assertEquals("defined", info.path("state").asText());
        assertEquals(0, vm("delete", "cli1").status());
        assertEquals(4, vm("info", "cli1").status());
    }

    @Test
    void exitStatusesNameTheProblem() {
        final Result missing = vm("start", "ghost");
        assertEquals(VmCommand.NOT_FOUND, missing.status());
        assertEquals("sublet: no VM named ghost\n", missing.err());
        assertEquals(0, vm("define", "cli2", "--mem", "64M").status());
        final Result illegal = vm("pause", "cli2");
        assertEquals(VmCommand.CONFLICT, illegal.status());
        assertTrue(illegal.err().contains("cannot pause VM cli2: it is defined"), illegal.err());
        final Result dup = vm("define", "cli2");
        assertEquals(VmCommand.CONFLICT, dup.status());
        final Result bad = vm("define", "cli3", "--mem", "8M");
        assertEquals(ExitCodes.BAD_INPUT, bad.status());
        assertTrue(bad.err().contains("memory_mib 8 is out of range"), bad.err());
        final Result json = vm("pause", "cli2", "-o", "json");
        assertEquals(VmCommand.CONFLICT, json.status());
        assertTrue(json.out().contains("\"status\":409"), "with --output json the problem is printed as it came");
        assertEquals(0, vm("delete", "cli2").status());
    }

    @Test
    void noDaemonIsExitSix() {
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int status = Main.run(new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true), "vm",
                "ls", "--socket", home.resolve("nobody.sock").toString());
        assertEquals(VmCommand.UNREACHABLE, status);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("cannot reach the Sublet daemon"), err.toString());
    }

    @Test
    void printTokenPrintsTheStoredToken() throws Exception {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, Main.run(new PrintStream(out, true), System.err, "serve", "--print-token", "--home",
                home.toString()));
        assertEquals(ApiToken.load(home.resolve("api.token")).value() + "\n", out.toString(StandardCharsets.UTF_8));
    }
}
