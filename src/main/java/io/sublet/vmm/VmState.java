package io.sublet.vmm;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The lifecycle of a VM. Every change goes through {@link #canBecome}: defined → starting → running ⇄ paused →
 * stopping → stopped, and crashed from any live state. A stopped or crashed VM can be started again.
 */
public enum VmState {
    DEFINED, STARTING, RUNNING, PAUSED, STOPPING, STOPPED, CRASHED;

    private Set<VmState> next;

    static {
        DEFINED.next = EnumSet.of(STARTING);
        STARTING.next = EnumSet.of(RUNNING, STOPPING, STOPPED, CRASHED);
        RUNNING.next = EnumSet.of(PAUSED, STOPPING, STOPPED, CRASHED);
        PAUSED.next = EnumSet.of(RUNNING, STOPPING, STOPPED, CRASHED);
        STOPPING.next = EnumSet.of(STOPPED, CRASHED);
        STOPPED.next = EnumSet.of(STARTING);
        CRASHED.next = EnumSet.of(STARTING);
    }

    public boolean canBecome(final VmState target) {
        return next.contains(target);
    }

    /** A worker process exists for the VM in this state. */
    public boolean live() {
        return this == STARTING || this == RUNNING || this == PAUSED || this == STOPPING;
    }

    /** The name used in the API and on the command line. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
