package io.sublet.machine;

import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Pause and resume of a run loop at a slice boundary, which is an instruction boundary: another thread asks
 * ({@link #pause}), the loop parks at its next check ({@link #parkIfRequested}) and the asker waits until it has;
 * {@link #resume} lets it go. A stop request always wins: a parked loop wakes for it, and nobody waits for a loop
 * that is stopping.
 */
final class PauseGate {
    private volatile boolean requested;
    private volatile boolean parked;

    /** Run-loop side: parks while a pause is requested and no stop is. Cheap when no pause is asked for. */
    void parkIfRequested(final BooleanSupplier stopping) {
        if (!requested) {
            return;
        }
        parked = true;
        synchronized (this) {
            notifyAll();
        }
        while (requested && !stopping.getAsBoolean()) {
            LockSupport.park(this);
        }
        parked = false;
    }

    /**
     * Asks for a pause and waits up to {@code timeoutMillis} for the loop to park; {@code wake} kicks the loop out
     * of its slice or its idle sleep. Returns whether it is parked.
     */
    boolean pause(final Runnable wake, final BooleanSupplier stopping, final long timeoutMillis)
            throws InterruptedException {
        requested = true;
        wake.run();
        final long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        synchronized (this) {
            while (!parked && !stopping.getAsBoolean()) {
                final long left = (deadline - System.nanoTime()) / 1_000_000L;
                if (left <= 0) {
                    return false;
                }
                wait(left);
            }
        }
        return parked;
    }

    void resume(final Runnable wake) {
        requested = false;
        wake.run();
    }

    boolean parked() {
        return parked;
    }
}
