package io.sublet.dev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sublet.mem.BusFault;
import org.junit.jupiter.api.Test;

class ClintTest {
    private final FakeClock clock = new FakeClock(1000);
    private final RecordingLine[] msip = RecordingLine.array(2);
    private final RecordingLine[] mtip = RecordingLine.array(2);
    private final Clint clint = new Clint(clock, msip, mtip);

    private static long mtimecmp(final int hart) {
        return Clint.MTIMECMP_BASE + 8L * hart;
    }

    @Test
    void msipIsBitZeroPerHart() {
        clint.store(4, 4, 0xffff_ffffL);
        assertEquals(1, clint.load(4, 4));
        assertTrue(msip[1].level());
        assertFalse(msip[0].level());
        assertEquals(0, clint.load(0, 4));
        clint.store(4, 4, 2);
        assertEquals(0, clint.load(4, 4));
        assertFalse(msip[1].level());
        assertEquals(1, clint.ipis());
    }

    @Test
    void msipOfAbsentHartReadsZeroAndIgnoresWrites() {
        clint.store(8, 4, 1);
        assertEquals(0, clint.load(8, 4));
        assertEquals(0, clint.load(0x3ffc, 4));
    }

    @Test
    void msipIsWordOnly() {
        assertSame(BusFault.INSTANCE, assertThrows(BusFault.class, () -> clint.load(0, 8)));
        assertThrows(BusFault.class, () -> clint.store(0, 1, 1));
        assertThrows(BusFault.class, () -> clint.load(Clint.MTIME, 2));
    }

    @Test
    void mtimeFollowsTheClockAndReadsInHalves() {
        clock.set(0x1_2345_6789L);
        assertEquals(0x1_2345_6789L, clint.load(Clint.MTIME, 8));
        assertEquals(0x2345_6789L, clint.load(Clint.MTIME, 4));
        assertEquals(1, clint.load(Clint.MTIME + 4, 4));
        assertEquals(0x1_2345_6789L, clint.mtime());
    }

    @Test
    void mtimeIsWritableWholeAndByHalves() {
        clint.store(Clint.MTIME, 8, 0x5_0000_0000L);
        assertEquals(0x5_0000_0000L, clint.mtime());
        clock.advance(10);
        assertEquals(0x5_0000_000aL, clint.load(Clint.MTIME, 8));
        clint.store(Clint.MTIME, 4, 0x20);
        assertEquals(0x5_0000_0020L, clint.mtime());
        clint.store(Clint.MTIME + 4, 4, 7);
        assertEquals(0x7_0000_0020L, clint.mtime());
    }

    @Test
    void mtimecmpResetsToAllOnesAndNoTimerIsPending() {
        assertEquals(-1L, clint.load(mtimecmp(0), 8));
        assertEquals(0xffff_ffffL, clint.load(mtimecmp(1) + 4, 4));
        clint.update();
        assertFalse(mtip[0].level());
        assertEquals(-1L, clint.nextDeadline());
    }

    @Test
    void mtimecmpWholeAndByHalves() {
        clint.store(mtimecmp(1), 8, 0x1234_5678_9abc_def0L);
        assertEquals(0x1234_5678_9abc_def0L, clint.load(mtimecmp(1), 8));
        clint.store(mtimecmp(1), 4, 0x1111_1111L);
        assertEquals(0x1234_5678_1111_1111L, clint.mtimecmp(1));
        clint.store(mtimecmp(1) + 4, 4, 0x2222_2222L);
        assertEquals(0x2222_2222_1111_1111L, clint.load(mtimecmp(1), 8));
        assertEquals(0x2222_2222L, clint.load(mtimecmp(1) + 4, 4));
        assertEquals(-1L, clint.mtimecmp(0));
    }

    @Test
    void mtipRisesWhenTimeReachesCompareAndFallsWhenRearmed() {
        clint.store(mtimecmp(0), 8, 1500);
        assertFalse(mtip[0].level());
        clock.set(1499);
        clint.update();
        assertFalse(mtip[0].level());
        clock.set(1500);
        clint.update();
        assertTrue(mtip[0].level());
        assertFalse(mtip[1].level());
        clint.store(mtimecmp(0), 8, 3000);   // a new compare value clears MTIP at once
        assertFalse(mtip[0].level());
        clint.store(mtimecmp(0), 8, 0);      // one in the past sets it at once
        assertTrue(mtip[0].level());
    }

    @Test
    void compareIsUnsigned() {
        clint.store(mtimecmp(0), 8, 0x8000_0000_0000_0000L);
        clint.update();
        assertFalse(mtip[0].level());
        clint.setMtime(0x8000_0000_0000_0000L);
        assertTrue(mtip[0].level());
    }

    @Test
    void writingMtimeReevaluatesEveryHart() {
        clint.store(mtimecmp(0), 8, 5000);
        clint.store(mtimecmp(1), 8, 6000);
        clint.store(Clint.MTIME, 8, 5500);
        assertTrue(mtip[0].level());
        assertFalse(mtip[1].level());
    }

    @Test
    void linesAreDrivenOnlyOnChange() {
        clint.store(mtimecmp(0), 8, 0);
        clint.update();
        clint.update();
        assertEquals(1, mtip[0].calls());
    }

    @Test
    void deadlines() {
        clint.store(mtimecmp(0), 8, 9000);
        clint.store(mtimecmp(1), 8, 7000);
        assertEquals(7000, clint.nextDeadline());
        assertEquals(9000, clint.deadline(0));
    }

    @Test
    void unmappedOffsetsReadZero() {
        assertEquals(0, clint.load(mtimecmp(2), 8));
        clint.store(mtimecmp(2), 8, 5);
        assertEquals(0, clint.load(0xbff0, 8));
    }

    @Test
    void saveAndRestoreCarryTimeAcrossClocks() {
        clint.store(mtimecmp(1), 8, 4000);
        clint.store(0, 4, 1);
        clock.set(2000);
        final Clint.State s = clint.save();

        final FakeClock other = new FakeClock(99_999);
        final RecordingLine[] msip2 = RecordingLine.array(2);
        final RecordingLine[] mtip2 = RecordingLine.array(2);
        final Clint copy = new Clint(other, msip2, mtip2);
        copy.restore(s);
        assertEquals(2000, copy.mtime());
        assertEquals(4000, copy.mtimecmp(1));
        assertTrue(msip2[0].level());
        assertFalse(mtip2[1].level());
        other.advance(2000);
        copy.update();
        assertTrue(mtip2[1].level());

        assertThrows(IllegalArgumentException.class,
                () -> new Clint(other, RecordingLine.array(1), RecordingLine.array(1)).restore(s));
    }

    @Test
    void constructorChecksLineCounts() {
        assertThrows(IllegalArgumentException.class, () -> new Clint(clock, RecordingLine.array(2),
                RecordingLine.array(1)));
        assertThrows(IllegalArgumentException.class, () -> new Clint(clock, new IrqLine[0], new IrqLine[0]));
    }
}
