package io.sublet.vmm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class VmStateTest {
    @Test
    void theLifecycleOfTheIssueAndNothingElse() {
        final String allowed = "DEFINED>STARTING STARTING>RUNNING STARTING>STOPPING STARTING>STOPPED "
                + "STARTING>CRASHED RUNNING>PAUSED RUNNING>STOPPING RUNNING>STOPPED RUNNING>CRASHED PAUSED>RUNNING "
                + "PAUSED>STOPPING PAUSED>STOPPED PAUSED>CRASHED STOPPING>STOPPED STOPPING>CRASHED STOPPED>STARTING "
                + "CRASHED>STARTING";
        final Set<String> expected = Set.of(allowed.split(" "));
        int count = 0;
        for (VmState from : VmState.values()) {
            for (VmState to : VmState.values()) {
                final boolean ok = from.canBecome(to);
                assertEquals(expected.contains(from + ">" + to), ok, from + " -> " + to);
                count += ok ? 1 : 0;
            }
        }
        assertEquals(expected.size(), count);
    }

    @Test
    void liveStatesAreThoseWithAWorker() {
        for (VmState s : VmState.values()) {
            assertEquals(EnumSet.of(VmState.STARTING, VmState.RUNNING, VmState.PAUSED, VmState.STOPPING).contains(s),
                    s.live(), s.toString());
        }
        assertFalse(VmState.STOPPED.canBecome(VmState.PAUSED));
        assertTrue(VmState.CRASHED.canBecome(VmState.STARTING), "a crashed VM can be started again");
        assertEquals("running", VmState.RUNNING.wire());
    }
}
