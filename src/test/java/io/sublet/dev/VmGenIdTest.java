package io.sublet.dev;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class VmGenIdTest {
    private static byte[] bytes(int first) {
        final byte[] b = new byte[16];
        for (int i = 0; i < 16; i++) {
            b[i] = (byte) (first + i);
        }
        return b;
    }

    @Test
    void theIdReadsLittleEndianAtAnyWidthAndIgnoresWrites() {
        final VmGenId d = new VmGenId(bytes(1), new RecordingLine());
        assertEquals(0x0807060504030201L, d.load(0, 8));
        assertEquals(0x100f0e0dL, d.load(12, 4));
        assertEquals(0x0a09, d.load(8, 2));
        assertEquals(0x10, d.load(15, 1));
        assertEquals(0, d.load(16, 8), "past the ID reads 0");
        assertEquals(0, d.load(12, 8), "an access that runs past the ID reads 0");
        d.store(0, 8, -1);
        assertArrayEquals(bytes(1), d.id());
    }

    @Test
    void aNewGenerationInterruptsUntilTheGuestReadsTheId() {
        final RecordingLine irq = new RecordingLine();
        final VmGenId d = new VmGenId(bytes(1), irq);
        assertFalse(irq.level());
        d.newGeneration(bytes(100));
        assertTrue(irq.level());
        assertEquals(1, d.generations());
        assertEquals(0x6b6a696867666564L, d.load(0, 8));
        assertFalse(irq.level(), "reading the ID ends the interrupt");
        assertThrows(IllegalArgumentException.class, () -> d.newGeneration(new byte[15]));
    }

    @Test
    void stateRoundTripsWithThePendingInterrupt() {
        final VmGenId a = new VmGenId(bytes(1), new RecordingLine());
        a.newGeneration(bytes(7));
        final RecordingLine irq = new RecordingLine();
        final VmGenId b = new VmGenId(bytes(50), irq);
        b.restore(a.save());
        assertArrayEquals(bytes(7), b.id());
        assertTrue(irq.level(), "the saved pending interrupt is driven again");
        assertThrows(IllegalArgumentException.class, () -> b.restore(new VmGenId.State(new byte[3], false)));
    }
}
