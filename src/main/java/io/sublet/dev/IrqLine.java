package io.sublet.dev;

/**
 * One interrupt wire, driven by a device: a level, not an event. A device calls {@link #set} whenever
 * the level may have changed; the receiver (a PLIC source, or a hart's {@code mip} bit as wired by the
 * machine) must tolerate repeated calls with the same level. Unless the receiver documents otherwise,
 * {@code set} is called on the thread that runs the device's register side.
 */
@FunctionalInterface
public interface IrqLine {
    /** A line connected to nothing. */
    IrqLine NONE = level -> { };

    void set(boolean level);
}
