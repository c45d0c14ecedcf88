package io.sublet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.sublet.api.ApiClient;
import io.sublet.vmm.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code sublet vm events}: follows the host's lifecycle events (the API's server-sent event stream). */
@Command(name = "events", mixinStandardHelpOptions = true,
        description = "Print lifecycle events as they happen (with --output json, one JSON object a line).")
public final class VmEventsCommand implements Callable<Integer> {
    @ParentCommand
    private VmCommand vm;

    @Mixin
    private VmCommand.Client client;

    @Option(names = "--after", paramLabel = "SEQ", description = "start after this event number (default 0: the "
            + "recent ones first)")
    private long after;

    @Option(names = "--count", paramLabel = "N", description = "stop after N events")
    private long count = Long.MAX_VALUE;

    @Override
    public Integer call() {
        try (ApiClient c = client.open();
             BufferedReader in = new BufferedReader(new InputStreamReader(c.stream("/v1/events?after=" + after),
                     StandardCharsets.UTF_8))) {
            String line;
            long seen = 0;
            while (seen < count && (line = in.readLine()) != null) {
                if (!line.startsWith("data: ")) {
                    continue;
                }
                final String data = line.substring("data: ".length());
                if (client.json()) {
                    vm.main.out.println(data);
                } else {
                    final JsonNode e = Json.MAPPER.readTree(data);
                    vm.main.out.println(e.path("time").asText() + "  " + e.path("vm").asText() + "  "
                            + e.path("from").asText("-") + " -> " + e.path("to").asText() + "  "
                            + e.path("reason").asText());
                }
                vm.main.out.flush();
                seen++;
            }
            return ExitCodes.OK;
        } catch (IOException e) {
            vm.main.err.println("sublet: " + e.getMessage());
            return VmCommand.UNREACHABLE;
        }
    }
}
