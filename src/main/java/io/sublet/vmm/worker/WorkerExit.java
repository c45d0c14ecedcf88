package io.sublet.vmm.worker;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Why a worker's guest stopped, as the worker writes it to {@code exit.json} before it exits: the daemon reads it
 * when the process is gone. A worker killed by a signal writes nothing, and the daemon says so.
 *
 * @param kind power_off, reboot, failure, quit, fatal_trap (the guest's), error (the emulator's), bad_config
 * @param message in words
 */
public record WorkerExit(@JsonProperty("kind") String kind, @JsonProperty("message") String message) {
    /** The guest stopped itself normally: the VM is stopped, not crashed. */
    public boolean clean() {
        return kind.equals("power_off") || kind.equals("quit") || kind.equals("reboot");
    }
}
