package io.sublet.machine;

import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The one way a running machine stops. Whoever wants it to stop — the guest (power-off, reboot, a fatal
 * trap), the console ({@code Ctrl-A x}, the monitor's {@code quit}), a signal, the host daemon's stop and
 * force-stop — calls {@link #request}; the run loop is the only thing that ends a run, and it ends it when
 * it sees a request.
 *
 * <p>What it promises, and how:
 * <ul>
 *   <li>{@link #request} never blocks and never waits on the guest, the console or a disk: it records
 *   the reason (the first one wins; later ones are ignored but still wake everyone) and runs the wake-ups
 *   registered with {@link #onRequest}: the machine's make each hart leave its slice early
 *   ({@code Hart.requestExit}) and unpark a run loop sleeping while its hart waits in WFI.</li>
 *   <li>Every loop on a hart thread observes it within one slice: the run loop reads {@link #requested()}
 *   (a volatile read) between slices, and a device that waits (the console's busy transmitter, input
 *   waiting for receive buffers) never waits on the hart thread; it is looked at again between slices.
 *   Console output and input go through bounded host buffers that never block the hart
 *   ({@code dev.HostOutput}, {@code dev.HostInput}).</li>
 *   <li>{@link #awaitStopped} tells whoever asked when the run loop has returned and the machine let go
 *   of its disks. The one thing on a hart thread that can still keep it from returning is a host disk
 *   call (a read, write or fdatasync the host kernel does not finish). Java cannot stop a thread there,
 *   so forcing is the process's job: {@code sublet run} halts the JVM when a second request comes or a
 *   deadline passes ({@link StopDeadline}); the host daemon kills the VM's worker process. Both decide with
 *   this object, so there is one stop path, tested once.</li>
 * </ul>
 */
public final class MachineStop {
    private final CopyOnWriteArrayList<Runnable> wakeups = new CopyOnWriteArrayList<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile ExitReason reason;

    /**
     * Asks the machine to stop for {@code why}; any thread, never blocks. Returns true for the first
     * request, false when one was already made (its reason stands).
     */
    public boolean request(final ExitReason why) {
        final boolean first;
        synchronized (this) {
            first = reason == null;
            if (first) {
                reason = why;
            }
        }
        for (Runnable w : wakeups) {
            w.run();
        }
        return first;
    }

    /** Whether a stop was requested. A volatile read: the run loop calls it between slices. */
    public boolean requested() {
        return reason != null;
    }

    /** The reason of the first request, or null. */
    public ExitReason reason() {
        return reason;
    }

    /** Runs {@code wakeup} on every request, on the requesting thread; it must not block. */
    public void onRequest(final Runnable wakeup) {
        wakeups.add(wakeup);
        if (reason != null) {
            wakeup.run();
        }
    }

    /** The run loop has returned: the machine no longer runs and holds no disk. Called by the run loop. */
    void markStopped() {
        stopped.countDown();
    }

    public boolean isStopped() {
        return stopped.getCount() == 0;
    }

    /** Waits until the run loop has returned; false when the time ran out first. */
    public boolean awaitStopped(final long timeout, final TimeUnit unit) throws InterruptedException {
        return stopped.await(timeout, unit);
    }
}
