package io.sublet.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/** A loop that counts "slices" under a PauseGate, as VirtMachine's run loop does. */
class PauseGateTest {
    private final PauseGate gate = new PauseGate();
    private final AtomicLong slices = new AtomicLong();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final Thread loop = new Thread(() -> {
        while (!stop.get()) {
            slices.incrementAndGet();
            gate.parkIfRequested(stop::get);
        }
    }, "pause-gate-loop");

    private void wake() {
        LockSupport.unpark(loop);
    }

    @Test
    void pauseParksTheLoopAndResumeLetsItGo() throws Exception {
        loop.start();
        assertTrue(gate.pause(this::wake, stop::get, 10_000));
        assertTrue(gate.parked());
        final long at = slices.get();
        Thread.sleep(200);
        assertEquals(at, slices.get(), "no slice runs while parked");
        gate.resume(this::wake);
        while (slices.get() == at) {
            Thread.onSpinWait();
        }
        assertFalse(gate.parked());
        stop.set(true);
        loop.join();
    }

    @Test
    void aStopWakesAParkedLoop() throws Exception {
        loop.start();
        assertTrue(gate.pause(this::wake, stop::get, 10_000));
        stop.set(true);
        wake();
        loop.join(10_000);
        assertFalse(loop.isAlive(), "the stop ended the loop though the pause was never released");
    }

    @Test
    void aPauseOfALoopThatDoesNotComeRoundTimesOut() throws Exception {
        assertFalse(gate.pause(() -> { }, () -> false, 50), "nobody is looping, so nobody parks");
    }
}
