package io.sublet.vmm;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A VM as the API and {@code sublet vm info} show it: definition, state, and what it uses now.
 *
 * @param metrics null unless a worker runs
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VmInfo(@JsonProperty("name") String name, @JsonProperty("state") String state,
                     @JsonProperty("since") String since, @JsonProperty("reason") String reason,
                     @JsonProperty("pid") Long pid, @JsonProperty("config") VmConfig config,
                     @JsonProperty("metrics") Metrics metrics) {

    /**
     * @param instructions guest instructions retired (as of the worker's last slice boundary)
     * @param cpuSeconds the worker's CPU time, as the kernel accounts it
     * @param rssBytes the worker's resident memory
     * @param consoleBytes bytes the guest wrote to its console
     * @param uptimeSeconds since the worker started
     * @param traps exceptions and interrupts the guest took (its "exits" to trap handlers)
     * @param diskReadBytes storage reads of the worker, as the kernel accounts them
     * @param diskWriteBytes storage writes of the worker
     */
    public record Metrics(@JsonProperty("instructions") long instructions, @JsonProperty("cpu_seconds") double cpuSeconds,
                          @JsonProperty("rss_bytes") long rssBytes, @JsonProperty("console_bytes") long consoleBytes,
                          @JsonProperty("uptime_seconds") double uptimeSeconds, @JsonProperty("traps") long traps,
                          @JsonProperty("disk_read_bytes") long diskReadBytes,
                          @JsonProperty("disk_write_bytes") long diskWriteBytes) { }
}
