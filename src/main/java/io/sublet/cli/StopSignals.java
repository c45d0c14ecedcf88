package io.sublet.cli;

import io.sublet.machine.ExitReason;
import io.sublet.machine.StopDeadline;
import sun.misc.Signal;

/**
 * SIGINT and SIGTERM as stop requests for a running machine: the first stops it (exit status 130 or 143,
 * the shell's 128 + signal number), a second one while it is stopping forces the exit at once. The JVM's
 * own handling (shutdown hooks, then exit) cannot do the second part: a second signal is ignored while
 * the hooks run. {@code sun.misc.Signal} (module {@code jdk.unsupported}, present in every JDK since 9) is
 * the only way Java code can handle a signal. A signal the process inherited as ignored (nohup, a
 * background job of a non-interactive shell) stays ignored, as the JVM does it.
 */
final class StopSignals {
    private StopSignals() { }

    static void install(final StopDeadline deadline) {
        handle("INT", 2, deadline);
        handle("TERM", 15, deadline);
    }

    private static void handle(final String name, final int number, final StopDeadline deadline) {
        try {
            Signal.handle(new Signal(name), s -> deadline.request(ExitReason.signal(name, number)));
        } catch (IllegalArgumentException e) {
            // the JVM keeps this signal for itself (-Xrs): its default handling stays
        }
    }
}
