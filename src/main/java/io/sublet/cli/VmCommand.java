package io.sublet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sublet.api.ApiClient;
import io.sublet.vmm.Json;
import java.io.IOException;

import java.io.PrintStream;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code sublet vm ...}: virsh-like commands on the daemon's API. Each subcommand is one request (or a request and
 * a wait on its task); {@code --output json} prints the API's JSON as it is, for scripts.
 */
@Command(name = "vm", mixinStandardHelpOptions = true,
        description = "Define, start, watch, pause, stop and delete VMs on the host daemon (sublet serve).",
        subcommands = {VmCommand.Define.class, VmCommand.Start.class, VmCommand.Stop.class, VmCommand.Pause.class,
            VmCommand.Resume.class, VmCommand.Delete.class, VmCommand.Ls.class, VmCommand.Info.class,
            VmConsoleCommand.class, VmCommand.Logs.class, VmEventsCommand.class},
        exitCodeListHeading = "%nExit status:%n", exitCodeList = {
            "0:done", "1:the operation failed (a start or stop task failed, a daemon error)",
            "2:bad input or refused: a bad option or configuration, more than the host admits",
            "4:no such VM or task", "5:not allowed in the VM's state (a stopped VM cannot pause), or a duplicate",
            "6:no daemon answers, or the token is missing or wrong"})
public final class VmCommand implements Runnable {
    static final int NOT_FOUND = ExitCodes.NOT_FOUND;
    static final int CONFLICT = ExitCodes.CONFLICT;
    static final int UNREACHABLE = ExitCodes.UNREACHABLE;

    @ParentCommand
    Main main;

    @Override
    public void run() {
        picocli.CommandLine.usage(this, main.out);
    }

    /** Where the daemon is and how to print; shared by every vm subcommand. */
    static final class Client {
        @Option(names = "--socket", paramLabel = "PATH", description = "the daemon's UNIX socket")
        Path socket;

        @Option(names = "--connect", paramLabel = "HOST:PORT", description = "talk to the daemon over TCP")
        String connect;

        @Option(names = "--token-file", paramLabel = "FILE", description = "bearer token for --connect (default: "
                + "HOME/api.token)")
        Path tokenFile;

        @Option(names = "--home", paramLabel = "DIR", description = "the daemon's state directory, for the defaults")
        Path home;

        @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "text (default) or json")
        String output = "text";

        boolean json() {
            return output.equalsIgnoreCase("json");
        }

        ApiClient open() throws IOException {
            final Path h = HostPaths.home(home);
            if (connect != null) {
                final Path t = tokenFile != null ? tokenFile : HostPaths.token(h);
                final String token = Files.exists(t) ? Files.readString(t).trim() : null;
                return ApiClient.tcp(connect, token);
            }
            return ApiClient.unix(HostPaths.socket(socket, h));
        }
    }

    /** The exit status of an API reply, in one place. */
    static int exitFor(final int status) {
        if (status < 300) {
            return ExitCodes.OK;
        }
        return switch (status) {
            case 400, 405, 413, 415, 422 -> ExitCodes.BAD_INPUT;
            case 401 -> UNREACHABLE;
            case 404 -> NOT_FOUND;
            case 409 -> CONFLICT;
            default -> ExitCodes.GUEST_FAILED;
        };
    }

    /** Runs one exchange: prints the reply (JSON or text) or the problem's detail; returns the exit status. */
    abstract static class Base implements Callable<Integer> {
        @ParentCommand
        VmCommand vm;

        @Mixin
        Client client;

        PrintStream out() {
            return vm.main.out;
        }

        PrintStream err() {
            return vm.main.err;
        }

        @Override
        public final Integer call() {
            try (ApiClient c = client.open()) {
                return exchange(c);
            } catch (IOException e) {
                err().println("sublet: " + e.getMessage());
                return UNREACHABLE;
            }
        }

        abstract int exchange(ApiClient c) throws IOException;

        /** Prints a reply; a problem goes to stderr as "sublet: detail". */
        int report(final ApiClient.Reply r, final java.util.function.Consumer<JsonNode> text) throws IOException {
            if (r.status() >= 300) {
                if (client.json()) {
                    out().println(r.text());
                } else {
                    String detail = r.text();
                    try {
                        detail = Json.MAPPER.readTree(r.body()).path("detail").asText(detail);
                    } catch (IOException e) {
                        // not a problem body: print it as it came
                    }
                    err().println("sublet: " + detail);
                }
                return exitFor(r.status());
            }
            if (client.json()) {
                out().println(r.text());
            } else if (r.body().length > 0) {
                text.accept(Json.MAPPER.readTree(r.body()));
            }
            return ExitCodes.OK;
        }

        /** Waits for a task to finish and reports how it went. */
        int awaitTask(final ApiClient c, final ApiClient.Reply accepted, final String name) throws IOException {
            if (accepted.status() != 202) {
                return report(accepted, j -> { });
            }
            final String id = Json.MAPPER.readTree(accepted.body()).path("id").asText();
            JsonNode t;
            do {
                final ApiClient.Reply r = c.get("/v1/tasks/" + id + "?wait=60");
                if (r.status() != 200) {
                    return report(r, j -> { });
                }
                t = Json.MAPPER.readTree(r.body());
            } while (t.path("state").asText().equals("running"));
            if (client.json()) {
                out().println(Json.MAPPER.writeValueAsString(t));
            } else if (t.path("state").asText().equals("failed")) {
                err().println("sublet: " + t.path("error").asText());
            } else {
                final JsonNode info = Json.MAPPER.readTree(c.get("/v1/vms/" + name).body());
                out().println(name + ": " + info.path("state").asText() + " (" + info.path("reason").asText() + ")");
            }
            return t.path("state").asText().equals("failed") ? ExitCodes.GUEST_FAILED : ExitCodes.OK;
        }
    }

    @Command(name = "define", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Define a VM (it stays defined across daemon restarts). Without --kernel it boots the "
                    + "default Debian image.")
    static final class Define extends Base {
        @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "the VM's name")
        String name;

        @Option(names = "--file", paramLabel = "FILE", description = "the whole definition as JSON (API format)")
        Path file;

        @Option(names = "--mem", paramLabel = "SIZE", converter = SizeConverter.class,
                description = "guest RAM, e.g. 256M (default 256M)")
        Long mem;

        @Option(names = "--vcpus", paramLabel = "N", description = "harts (default 1)")
        Integer vcpus;

        @Option(names = "--kernel", paramLabel = "FILE", description = "a RISC-V Linux Image")
        Path kernel;

        @Option(names = "--initrd", paramLabel = "FILE", description = "an initramfs")
        Path initrd;

        @Option(names = "--append", paramLabel = "CMDLINE", description = "the kernel command line")
        String append;

        @Option(names = "--disk", paramLabel = "FILE[,ro]", description = "a raw disk image (repeatable)")
        List<String> disks = new ArrayList<>();

        @Option(names = "--cpu-weight", paramLabel = "N", description = "CPU share against other VMs, 1..10000 "
                + "(default 100)")
        Integer cpuWeight;

        @Option(names = "--cpu-quota", paramLabel = "PERCENT", description = "hard CPU cap, percent of one core")
        Integer cpuQuota;

        @Override
        int exchange(final ApiClient c) throws IOException {
            final ObjectNode def = file != null ? (ObjectNode) Json.MAPPER.readTree(file.toFile())
                    : Json.MAPPER.createObjectNode();
            if (name != null) {
                def.put("name", name);
            }
            if (mem != null) {
                if (mem % (1 << 20) != 0) {
                    err().println("sublet: --mem must be a whole number of MiB");
                    return ExitCodes.BAD_INPUT;
                }
                def.put("memory_mib", mem >> 20);
            }
            if (vcpus != null) {
                def.put("vcpus", vcpus);
            }
            if (kernel != null) {
                def.put("kernel", kernel.toAbsolutePath().toString());
            }
            if (initrd != null) {
                def.put("initrd", initrd.toAbsolutePath().toString());
            }
            if (append != null) {
                def.put("append", append);
            }
            if (!disks.isEmpty()) {
                final ArrayNode a = def.putArray("disks");
                for (String d : disks) {
                    final boolean ro = d.endsWith(",ro");
                    final String p = ro ? d.substring(0, d.length() - 3) : d;
                    a.addObject().put("path", Path.of(p).toAbsolutePath().toString()).put("read_only", ro);
                }
            }
            if (cpuWeight != null) {
                def.put("cpu_weight", cpuWeight);
            }
            if (cpuQuota != null) {
                def.put("cpu_quota_percent", cpuQuota);
            }
            return report(c.postJson("/v1/vms", Json.MAPPER.writeValueAsString(def)),
                    j -> out().println(j.path("name").asText() + ": defined (" + j.path("config").path("memory_mib")
                            .asInt() + " MiB)"));
        }
    }

    /** Commands that name one VM. */
    abstract static class Named extends Base {
        @Parameters(index = "0", paramLabel = "NAME", description = "the VM")
        String name;
    }

    @Command(name = "start", mixinStandardHelpOptions = true, description = "Start a VM; waits until it runs.")
    static final class Start extends Named {
        @Option(names = "--no-wait", description = "print the task and return at once")
        boolean noWait;

        @Override
        int exchange(final ApiClient c) throws IOException {
            final ApiClient.Reply r = c.postJson("/v1/vms/" + name + "/start", null);
            return noWait ? report(r, j -> out().println(j.path("id").asText())) : awaitTask(c, r, name);
        }
    }

    @Command(name = "stop", mixinStandardHelpOptions = true,
            description = {"Stop a VM: ask the guest to power off (Magic SysRq s-u-o on its serial console), wait the "
                + "grace period, then force.", "--force kills the VM's worker at once (SIGKILL), which cannot hang."})
    static final class Stop extends Named {
        @Option(names = "--force", description = "stop at once, without asking the guest")
        boolean force;

        @Option(names = "--grace", paramLabel = "SECONDS", description = "how long the guest has (default 30)")
        Integer grace;

        @Option(names = "--no-wait", description = "print the task and return at once")
        boolean noWait;

        @Override
        int exchange(final ApiClient c) throws IOException {
            final ObjectNode body = Json.MAPPER.createObjectNode().put("force", force);
            if (grace != null) {
                body.put("grace_seconds", grace);
            }
            final ApiClient.Reply r = c.postJson("/v1/vms/" + name + "/stop", Json.MAPPER.writeValueAsString(body));
            return noWait ? report(r, j -> out().println(j.path("id").asText())) : awaitTask(c, r, name);
        }
    }

    @Command(name = "pause", mixinStandardHelpOptions = true, description = "Pause a running VM at an instruction "
            + "boundary.")
    static final class Pause extends Named {
        @Override
        int exchange(final ApiClient c) throws IOException {
            return report(c.postJson("/v1/vms/" + name + "/pause", null), Info.print0(out()));
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true, description = "Resume a paused VM.")
    static final class Resume extends Named {
        @Override
        int exchange(final ApiClient c) throws IOException {
            return report(c.postJson("/v1/vms/" + name + "/resume", null), Info.print0(out()));
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a VM that is not running "
            + "(its disk images stay).")
    static final class Delete extends Named {
        @Override
        int exchange(final ApiClient c) throws IOException {
            final ApiClient.Reply r = c.send("DELETE", "/v1/vms/" + name, null, null);
            final int status = report(r, j -> { });
            if (status == ExitCodes.OK && !client.json()) {
                out().println(name + ": deleted");
            }
            return status;
        }
    }

    @Command(name = "ls", mixinStandardHelpOptions = true, description = "List the VMs.")
    static final class Ls extends Base {
        @Override
        int exchange(final ApiClient c) throws IOException {
            return report(c.get("/v1/vms"), j -> {
                out().printf(Locale.ROOT, "%-20s %-9s %6s %8s  %s%n", "NAME", "STATE", "MEM", "PID", "REASON");
                for (JsonNode v : j.path("vms")) {
                    out().printf(Locale.ROOT, "%-20s %-9s %5dM %8s  %s%n", v.path("name").asText(),
                            v.path("state").asText(), v.path("config").path("memory_mib").asInt(),
                            v.has("pid") ? v.path("pid").asText() : "-", v.path("reason").asText());
                }
            });
        }
    }

    @Command(name = "info", mixinStandardHelpOptions = true, description = "Show a VM: state, definition, usage.")
    static final class Info extends Named {
        @Override
        int exchange(final ApiClient c) throws IOException {
            return report(c.get("/v1/vms/" + name), print0(out()));
        }

        static java.util.function.Consumer<JsonNode> print0(final PrintStream out) {
            return j -> {
                out.println("name:     " + j.path("name").asText());
                out.println("state:    " + j.path("state").asText() + " since " + j.path("since").asText() + " ("
                        + j.path("reason").asText() + ")");
                final JsonNode cfg = j.path("config");
                out.println("memory:   " + cfg.path("memory_mib").asInt() + " MiB, vcpus " + cfg.path("vcpus").asInt()
                        + ", cpu weight " + cfg.path("cpu_weight").asInt());
                if (j.has("pid")) {
                    out.println("worker:   pid " + j.path("pid").asLong());
                }
                final JsonNode m = j.path("metrics");
                if (!m.isMissingNode()) {
                    out.printf(Locale.ROOT, "usage:    %d instructions, %.1f s CPU, %d MiB RSS, %d console bytes%n",
                            m.path("instructions").asLong(), m.path("cpu_seconds").asDouble(),
                            m.path("rss_bytes").asLong() >> 20, m.path("console_bytes").asLong());
                }
            };
        }
    }

    @Command(name = "logs", mixinStandardHelpOptions = true, description = "Print a VM's console log.")
    static final class Logs extends Named {
        @Override
        int exchange(final ApiClient c) throws IOException {
            final ApiClient.Reply r = c.get("/v1/vms/" + name + "/log");
            if (r.status() != 200) {
                return report(r, j -> { });
            }
            out().write(r.body(), 0, r.body().length);
            out().flush();
            return ExitCodes.OK;
        }
    }

}
