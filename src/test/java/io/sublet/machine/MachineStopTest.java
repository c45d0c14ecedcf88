package io.sublet.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class MachineStopTest {
    @Test
    void theFirstReasonWinsAndEveryRequestWakes() {
        final MachineStop stop = new MachineStop();
        final AtomicInteger woken = new AtomicInteger();
        stop.onRequest(woken::incrementAndGet);
        assertFalse(stop.requested());
        assertNull(stop.reason());
        assertTrue(stop.request(ExitReason.powerOff()));
        assertFalse(stop.request(ExitReason.quit()), "already stopping");
        assertEquals(ExitReason.Kind.POWER_OFF, stop.reason().kind());
        assertEquals(2, woken.get());
    }

    @Test
    void aWakeupRegisteredLateRunsAtOnce() {
        final MachineStop stop = new MachineStop();
        stop.request(ExitReason.quit());
        final AtomicInteger woken = new AtomicInteger();
        stop.onRequest(woken::incrementAndGet);
        assertEquals(1, woken.get());
    }

    @Test
    void stoppedIsSaidByTheRunLoopOnly() throws InterruptedException {
        final MachineStop stop = new MachineStop();
        stop.request(ExitReason.quit());
        assertFalse(stop.awaitStopped(1, TimeUnit.MILLISECONDS), "asked is not stopped");
        stop.markStopped();
        assertTrue(stop.isStopped());
        assertTrue(stop.awaitStopped(0, TimeUnit.MILLISECONDS));
    }

    @Test
    void aSignalMapsToTheShellsStatus() {
        assertEquals(143, ExitReason.signal("TERM", 15).status());
        assertEquals(130, ExitReason.signal("INT", 2).status());
        assertEquals("stopped by SIGTERM", ExitReason.signal("TERM", 15).message());
    }
}
