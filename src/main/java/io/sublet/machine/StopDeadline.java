package io.sublet.machine;

import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The operator always wins: once a process running a machine is told to stop, it ends within a bound,
 * whatever the guest, the console or a disk is doing. Built on {@link MachineStop}, the machine's one stop
 * path; this class adds the deadline and the force, which belong to the process (a thread stuck in a host
 * call cannot be stopped from Java, a process can).
 *
 * <ul>
 *   <li>{@link #request}: the first request asks the machine to stop and arms the deadline. A request
 *   that comes when the machine already has a stop reason (a second {@code Ctrl-A x} or SIGTERM, or any
 *   request while the guest is powering off) forces at once.</li>
 *   <li>{@link #arm(long, TimeUnit)}: the machine stopped on its own (the guest powered off) and the
 *   process is on its way out: the way out is bounded too, since a terminal that does not drain must not
 *   keep it alive.</li>
 *   <li>When the deadline passes and the process is still there, {@link Force#now} runs with the reason
 *   the machine stopped for. {@code sublet run} restores the terminal and halts the JVM there; the host
 *   daemon's worker can do the same.</li>
 * </ul>
 *
 * <p>Thread-safe; {@link #request} never blocks (the force it may run is the caller's to make quick).
 */
public final class StopDeadline {
    /** What the process does when it cannot wait any longer; usually does not return. */
    public interface Force {
        void now(ExitReason reason);
    }

    private final Supplier<MachineStop> stop;
    private final long graceNanos;
    private final Force force;
    private long deadline;
    private boolean armed;
    private Thread watchdog;

    /** @param grace how long a stop may take before it is forced */
    public StopDeadline(final MachineStop stop, final long grace, final TimeUnit unit, final Force force) {
        this(() -> stop, grace, unit, force);
    }

    /**
     * For a process whose machine can be replaced while it runs (the monitor's loadvm): requests go to
     * the stop of whichever machine {@code current} names at the time.
     */
    public StopDeadline(final Supplier<MachineStop> current, final long grace, final TimeUnit unit,
                        final Force force) {
        this.stop = current;
        this.graceNanos = unit.toNanos(grace);
        this.force = force;
    }

    /** Asks the machine to stop; forces at once when it was already stopping. Any thread. */
    public void request(final ExitReason why) {
        final MachineStop s = stop.get();
        if (s.request(why)) {
            arm(graceNanos);
        } else {
            force.now(s.reason());
        }
    }

    /** Bounds the rest of the process's life to {@code time} from now (an earlier deadline stands). */
    public void arm(final long time, final TimeUnit unit) {
        arm(unit.toNanos(time));
    }

    private synchronized void arm(final long nanos) {
        final long at = System.nanoTime() + nanos;
        if (armed && deadline - at <= 0) {
            return;
        }
        deadline = at;
        armed = true;
        if (watchdog == null) {
            watchdog = new Thread(this::watch, "sublet-stop-deadline");
            watchdog.setDaemon(true);
            watchdog.start();
        } else {
            notifyAll();
        }
    }

    private void watch() {
        synchronized (this) {
            long left;
            while ((left = deadline - System.nanoTime()) > 0) {
                try {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break; // nobody interrupts this thread but a dying JVM: force now rather than never
                }
            }
        }
        final ExitReason why = stop.get().reason();
        force.now(why != null ? why : ExitReason.quit());
    }
}
