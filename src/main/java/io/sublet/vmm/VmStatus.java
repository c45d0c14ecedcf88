package io.sublet.vmm;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A VM's lifecycle position as the daemon records it in {@code status.json}: enough for a restarted daemon to find
 * the worker again (its pid and start time, which together survive pid reuse).
 *
 * @param state the state's wire name
 * @param since when it entered that state (ISO-8601)
 * @param reason why, in words
 * @param pid the worker's pid while one runs
 * @param workerStarted the worker's start time as the kernel reports it, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VmStatus(@JsonProperty("state") String state, @JsonProperty("since") String since,
                       @JsonProperty("reason") String reason, @JsonProperty("pid") Long pid,
                       @JsonProperty("worker_started") String workerStarted) { }
