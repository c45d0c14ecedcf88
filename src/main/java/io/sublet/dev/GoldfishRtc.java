package io.sublet.dev;

import io.sublet.mem.BusFault;
import io.sublet.mem.Device;

/**
 * The goldfish real-time clock (compatible {@code "google,goldfish-rtc"}): nanoseconds since the Unix
 * epoch, and one alarm with an interrupt.
 *
 * <pre>
 *  offset  access  register
 *  0x00    R       TIME_LOW         low 32 bits of the time; latches the high half for TIME_HIGH
 *          W                        replaces the low 32 bits of the time
 *  0x04    R       TIME_HIGH        high 32 bits as latched by the last TIME_LOW read
 *          W                        replaces the high 32 bits of the time
 *  0x08    RW      ALARM_LOW        low 32 bits of the alarm; a write sets the alarm and arms it
 *  0x0c    RW      ALARM_HIGH       high 32 bits of the alarm, held until the next ALARM_LOW write
 *  0x10    RW      IRQ_ENABLED      bit 0: the interrupt output follows the pending flag
 *  0x14    W       CLEAR_ALARM      disarms the alarm
 *  0x18    R       ALARM_STATUS     bit 0: the alarm is armed
 *  0x1c    W       CLEAR_INTERRUPT  clears the pending flag
 * </pre>
 *
 * Registers are 32 bits wide; other access sizes fault, as on QEMU. An armed alarm fires when the time
 * reaches it (unsigned comparison): it disarms and sets the pending flag, and the output is {@code pending && IRQ_ENABLED}.
 * Time passes without the device noticing, so the machine calls {@link #update()} between execution
 * slices; arming an alarm that is already due fires it at once. Writing the time moves an offset
 * against the {@link Clock} (host wall clock, nanoseconds). Register side serialised by this object's
 * monitor; the line is driven with it held.
 */
public final class GoldfishRtc implements Device {
    public static final long SIZE = 0x1000;
    public static final String[] COMPATIBLE = {"google,goldfish-rtc"};
    public static final int TIME_LOW = 0x00;
    public static final int TIME_HIGH = 0x04;
    public static final int ALARM_LOW = 0x08;
    public static final int ALARM_HIGH = 0x0c;
    public static final int IRQ_ENABLED = 0x10;
    public static final int CLEAR_ALARM = 0x14;
    public static final int ALARM_STATUS = 0x18;
    public static final int CLEAR_INTERRUPT = 0x1c;

    private final Clock clock;
    private final IrqLine irq;
    private long offset;
    private int timeHighLatch;
    /** The alarm as written so far; ALARM_LOW copies it into {@link #alarm}. */
    private long alarmNext;
    private long alarm;
    private boolean armed;
    private boolean irqEnabled;
    private boolean pending;
    private boolean level;
    private long alarmsFired;

    /** Saved state; {@code time} is absolute, so a restored clock does not jump back to the host's. */
    public record State(long time, int timeHighLatch, long alarmNext, long alarm, boolean armed,
                        boolean irqEnabled, boolean pending) { }

    /** @param clock nanoseconds since the Unix epoch (the host wall clock, or a fake) */
    public GoldfishRtc(final Clock clock, final IrqLine irq) {
        this.clock = clock;
        this.irq = irq;
    }

    /** The guest's current time, nanoseconds since the epoch. */
    public synchronized long time() {
        return clock.now() + offset;
    }

    /** Fires the alarm if it is due; the machine calls it between execution slices. */
    public synchronized void update() {
        if (armed && Long.compareUnsigned(time(), alarm) >= 0) {
            armed = false;
            pending = true;
            alarmsFired++;
        }
        drive(false);
    }

    /** The time at which the armed alarm fires, or -1 (all ones, unsigned never) when none is armed. */
    public synchronized long nextDeadline() {
        return armed ? alarm : -1L;
    }

    public synchronized long alarmsFired() {
        return alarmsFired;
    }

    @Override
    public synchronized long load(final long off, final int size) {
        checkSize(size);
        switch ((int) off) {
            case TIME_LOW: {
                final long t = time();
                timeHighLatch = (int) (t >>> 32);
                return t & 0xffff_ffffL;
            }
            case TIME_HIGH:
                return timeHighLatch & 0xffff_ffffL;
            case ALARM_LOW:
                return alarmNext & 0xffff_ffffL;
            case ALARM_HIGH:
                return alarmNext >>> 32;
            case IRQ_ENABLED:
                return irqEnabled ? 1 : 0;
            case ALARM_STATUS:
                return armed ? 1 : 0;
            default:
                return 0;
        }
    }

    @Override
    public synchronized void store(final long off, final int size, final long value) {
        checkSize(size);
        final long v = value & 0xffff_ffffL;
        switch ((int) off) {
            case TIME_LOW:
                setTime((time() & 0xffff_ffff_0000_0000L) | v);
                break;
            case TIME_HIGH:
                setTime((time() & 0xffff_ffffL) | (v << 32));
                break;
            case ALARM_LOW:
                alarmNext = (alarmNext & 0xffff_ffff_0000_0000L) | v;
                alarm = alarmNext;
                armed = true;
                break;
            case ALARM_HIGH:
                alarmNext = (alarmNext & 0xffff_ffffL) | (v << 32);
                break;
            case IRQ_ENABLED:
                irqEnabled = (v & 1) != 0;
                break;
            case CLEAR_ALARM:
                armed = false;
                break;
            case CLEAR_INTERRUPT:
                pending = false;
                break;
            default:
                break;
        }
        update();
    }

    private void setTime(final long t) {
        offset = t - clock.now();
    }

    private void drive(final boolean force) {
        final boolean l = pending && irqEnabled;
        if (force || l != level) {
            level = l;
            irq.set(l);
        }
    }

    public synchronized State save() {
        return new State(time(), timeHighLatch, alarmNext, alarm, armed, irqEnabled, pending);
    }

    public synchronized void restore(final State s) {
        setTime(s.time());
        timeHighLatch = s.timeHighLatch();
        alarmNext = s.alarmNext();
        alarm = s.alarm();
        armed = s.armed();
        irqEnabled = s.irqEnabled();
        pending = s.pending();
        drive(true);
    }

    private static void checkSize(final int size) {
        if (size != 4) {
            throw BusFault.INSTANCE;
        }
    }
}
