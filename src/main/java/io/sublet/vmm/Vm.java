package io.sublet.vmm;

import java.io.IOException;
import java.time.Instant;

/**
 * One VM on the host: its definition, its lifecycle state and its worker process. Every state change goes through
 * {@link #transition}, which checks it against {@link VmState}, records it in {@code status.json} and publishes
 * an event. Guarded by this object's monitor.
 */
final class Vm {
    final String name;
    final VmDir dir;
    private final EventLog events;
    private VmConfig config;
    private VmState state;
    private Instant since;
    private String reason;
    private ProcessHandle worker;
    private Process child;
    /** Set while a stop kills the worker on purpose, so its death reads as stopped, not crashed. */
    private boolean killing;

    Vm(final VmDir dir, final VmConfig config, final VmStatus status, final EventLog events) {
        this.name = config.name();
        this.dir = dir;
        this.config = config;
        this.events = events;
        this.state = VmState.valueOf(status.state().toUpperCase(java.util.Locale.ROOT));
        this.since = Instant.parse(status.since());
        this.reason = status.reason();
    }

    synchronized VmConfig config() {
        return config;
    }

    synchronized void setConfig(final VmConfig c) {
        config = c;
    }

    synchronized VmState state() {
        return state;
    }

    synchronized Instant since() {
        return since;
    }

    synchronized String reason() {
        return reason;
    }

    synchronized ProcessHandle worker() {
        return worker;
    }

    synchronized Process child() {
        return child;
    }

    synchronized boolean killing() {
        return killing;
    }

    synchronized void setKilling(final boolean k) {
        killing = k;
    }

    synchronized void attach(final ProcessHandle handle, final Process process) {
        worker = handle;
        child = process;
    }

    synchronized void detach() {
        worker = null;
        child = null;
        killing = false;
    }

    /** Checks that the VM may go to {@code to} now; the message says what the VM is and what was asked. */
    synchronized void require(final VmState to, final String verb) throws VmmException {
        if (!state.canBecome(to)) {
            throw new VmmException(VmmException.Kind.CONFLICT, "cannot " + verb + " VM " + name + ": it is "
                    + state.wire() + (reason == null || reason.equals(state.wire()) ? "" : " (" + reason + ")"));
        }
    }

    /** Moves to {@code to}; false (and nothing changes) when the state machine does not allow it from here. */
    synchronized boolean transition(final VmState to, final String why) {
        if (!state.canBecome(to)) {
            return false;
        }
        final VmState from = state;
        state = to;
        since = Instant.now();
        reason = why;
        persist();
        events.publish(name, from, to.wire(), why);
        return true;
    }

    synchronized VmStatus status() {
        Long pid = null;
        String started = null;
        if (worker != null) {
            pid = worker.pid();
            started = worker.info().startInstant().map(Instant::toString).orElse(null);
        }
        return new VmStatus(state.wire(), since.toString(), reason, pid, started);
    }

    synchronized void persist() {
        try {
            Json.write(dir.status(), status());
        } catch (IOException e) {
            // the state is still right in memory; the next transition tries again
            System.err.println("sublet: cannot record the state of VM " + name + ": " + e.getMessage());
        }
    }
}
