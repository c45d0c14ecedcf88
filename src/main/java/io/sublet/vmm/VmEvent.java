package io.sublet.vmm;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One lifecycle transition, as the event stream reports it.
 *
 * @param seq increasing over the daemon's life, so a client can tell whether it missed events
 * @param time when it happened (ISO-8601, UTC)
 * @param vm the VM's name
 * @param from the state before, or null when the VM was just defined
 * @param to the state after, or "deleted"
 * @param reason why, in words
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VmEvent(@JsonProperty("seq") long seq, @JsonProperty("time") String time, @JsonProperty("vm") String vm,
                      @JsonProperty("from") String from, @JsonProperty("to") String to,
                      @JsonProperty("reason") String reason) { }
