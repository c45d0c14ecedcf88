package io.sublet.dev;

import static io.sublet.dev.GoldfishRtc.ALARM_HIGH;
import static io.sublet.dev.GoldfishRtc.ALARM_LOW;
import static io.sublet.dev.GoldfishRtc.ALARM_STATUS;
import static io.sublet.dev.GoldfishRtc.CLEAR_ALARM;
import static io.sublet.dev.GoldfishRtc.CLEAR_INTERRUPT;
import static io.sublet.dev.GoldfishRtc.IRQ_ENABLED;
import static io.sublet.dev.GoldfishRtc.TIME_HIGH;
import static io.sublet.dev.GoldfishRtc.TIME_LOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sublet.mem.BusFault;
import org.junit.jupiter.api.Test;

class GoldfishRtcTest {
    private static final long T0 = 1_700_000_000_000_000_000L;   // November 2023, in nanoseconds
    private final FakeClock clock = new FakeClock(T0);
    private final RecordingLine irq = new RecordingLine();
    private final GoldfishRtc rtc = new GoldfishRtc(clock, irq);

    private long readTime() {
        final long low = rtc.load(TIME_LOW, 4);
        final long high = rtc.load(TIME_HIGH, 4);
        return high << 32 | low;
    }

    private void setAlarm(final long t) {
        rtc.store(ALARM_HIGH, 4, t >>> 32);
        rtc.store(ALARM_LOW, 4, t & 0xffff_ffffL);
    }

    @Test
    void timeIsTheClockReadLowThenHigh() {
        assertEquals(T0, readTime());
        clock.advance(5);
        assertEquals(T0 + 5, rtc.time());
    }

    @Test
    void readingTimeLowLatchesTheHighHalf() {
        clock.set(0x1_ffff_ffffL);
        assertEquals(0xffff_ffffL, rtc.load(TIME_LOW, 4));
        clock.set(0x2_0000_0001L);                   // carry into the high half after the low read
        assertEquals(1, rtc.load(TIME_HIGH, 4));
        assertEquals(0x2_0000_0001L, readTime());
    }

    @Test
    void timeIsWritableAsLinuxSetsIt() {
        final long t = 0x1234_5678_9abc_def0L;
        rtc.store(TIME_HIGH, 4, t >>> 32);
        rtc.store(TIME_LOW, 4, t & 0xffff_ffffL);
        assertEquals(t, readTime());
        clock.advance(100);
        assertEquals(t + 100, readTime());
    }

    @Test
    void alarmFiresWhenDueAndInterruptsWhenEnabled() {
        rtc.store(IRQ_ENABLED, 4, 1);
        setAlarm(T0 + 1000);
        assertEquals(1, rtc.load(ALARM_STATUS, 4));
        assertEquals((T0 + 1000) & 0xffff_ffffL, rtc.load(ALARM_LOW, 4));
        assertEquals((T0 + 1000) >>> 32, rtc.load(ALARM_HIGH, 4));
        assertEquals(T0 + 1000, rtc.nextDeadline());
        clock.advance(999);
        rtc.update();
        assertFalse(irq.level());
        clock.advance(1);
        rtc.update();
        assertTrue(irq.level());
        assertEquals(0, rtc.load(ALARM_STATUS, 4), "a fired alarm disarms");
        assertEquals(-1L, rtc.nextDeadline());
        rtc.store(CLEAR_INTERRUPT, 4, 1);
        assertFalse(irq.level());
        clock.advance(10_000);
        rtc.update();
        assertFalse(irq.level(), "fires once");
        assertEquals(1, rtc.alarmsFired());
    }

    @Test
    void interruptEnableGatesTheOutput() {
        setAlarm(T0);
        assertFalse(irq.level(), "due at once but not enabled");
        rtc.store(IRQ_ENABLED, 4, 1);
        assertEquals(1, rtc.load(IRQ_ENABLED, 4));
        assertTrue(irq.level());
        rtc.store(IRQ_ENABLED, 4, 0);
        assertFalse(irq.level());
    }

    @Test
    void clearAlarmDisarms() {
        rtc.store(IRQ_ENABLED, 4, 1);
        setAlarm(T0 + 50);
        rtc.store(CLEAR_ALARM, 4, 1);
        assertEquals(0, rtc.load(ALARM_STATUS, 4));
        clock.advance(100);
        rtc.update();
        assertFalse(irq.level());
    }

    @Test
    void alarmHighAloneDoesNotMoveTheArmedAlarm() {
        rtc.store(IRQ_ENABLED, 4, 1);
        setAlarm(T0 + (1L << 33));
        rtc.store(ALARM_HIGH, 4, 0);                  // the next alarm's high half: far in the past
        rtc.update();
        assertFalse(irq.level());
        assertEquals(1, rtc.load(ALARM_STATUS, 4));
    }

    @Test
    void alarmComparisonIsUnsigned() {
        rtc.store(IRQ_ENABLED, 4, 1);
        setAlarm(0x8000_0000_0000_0000L);
        rtc.update();
        assertFalse(irq.level());
    }

    @Test
    void wordAccessOnly() {
        assertThrows(BusFault.class, () -> rtc.load(TIME_LOW, 8));
        assertThrows(BusFault.class, () -> rtc.store(IRQ_ENABLED, 1, 1));
        assertEquals(0, rtc.load(0x20, 4));
    }

    @Test
    void saveAndRestoreKeepGuestTime() {
        rtc.store(TIME_HIGH, 4, 0);
        rtc.store(TIME_LOW, 4, 5000);
        rtc.store(IRQ_ENABLED, 4, 1);
        setAlarm(6000);
        final GoldfishRtc.State s = rtc.save();

        final FakeClock other = new FakeClock(T0 * 2);
        final RecordingLine irq2 = new RecordingLine();
        final GoldfishRtc copy = new GoldfishRtc(other, irq2);
        copy.restore(s);
        assertEquals(5000, copy.time());
        assertEquals(1, copy.load(ALARM_STATUS, 4));
        other.advance(1000);
        copy.update();
        assertTrue(irq2.level());
    }
}
