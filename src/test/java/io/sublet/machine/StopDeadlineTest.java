package io.sublet.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The escalation every process running a machine uses: a stop, then a force when told twice or when the
 * deadline passes. The force here records instead of halting. Waits are guards, not speed checks.
 */
class StopDeadlineTest {
    private final MachineStop stop = new MachineStop();
    private final BlockingQueue<ExitReason> forced = new ArrayBlockingQueue<>(8);

    private StopDeadline deadline(final long millis) {
        return new StopDeadline(stop, millis, TimeUnit.MILLISECONDS, forced::add);
    }

    @Test
    void theFirstRequestStopsTheSecondForcesAtOnce() {
        final StopDeadline d = deadline(60_000);
        d.request(ExitReason.signal("TERM", 15));
        assertEquals(ExitReason.Kind.SIGNAL, stop.reason().kind());
        assertTrue(forced.isEmpty(), "a stop is not a force");
        d.request(ExitReason.quit());
        assertEquals(1, forced.size(), "told twice: forced, without waiting for the deadline");
        assertEquals(143, forced.peek().status(), "with the status of the stop that was under way");
    }

    @Test
    void aRequestWhileTheGuestIsAlreadyStoppingForces() {
        final StopDeadline d = deadline(60_000);
        stop.request(ExitReason.powerOff());
        d.request(ExitReason.quit());
        assertEquals(ExitReason.Kind.POWER_OFF, forced.poll().kind());
    }

    @Test
    void aStopThatDoesNotEndInTimeIsForced() throws InterruptedException {
        final StopDeadline d = deadline(20);
        d.request(ExitReason.quit()); // and nothing ever stops: a hart stuck in a host disk call
        final ExitReason why = forced.poll(30, TimeUnit.SECONDS);
        assertEquals(ExitReason.Kind.QUIT, why == null ? null : why.kind());
        assertEquals(0, why.status());
    }

    @Test
    void theWayOutAfterTheGuestsOwnPowerOffIsBoundedToo() throws InterruptedException {
        final StopDeadline d = deadline(60_000);
        stop.request(ExitReason.powerOff());
        d.arm(20, TimeUnit.MILLISECONDS);
        assertEquals(ExitReason.Kind.POWER_OFF, forced.poll(30, TimeUnit.SECONDS).kind());
    }

    @Test
    void anEarlierDeadlineStands() throws InterruptedException {
        final StopDeadline d = deadline(20);
        d.request(ExitReason.quit());
        d.arm(1, TimeUnit.HOURS);
        assertEquals(ExitReason.Kind.QUIT, forced.poll(30, TimeUnit.SECONDS).kind(), "the later arm did not extend it");
        assertNull(forced.poll(50, TimeUnit.MILLISECONDS), "forced once");
    }
}
