package io.sublet.dev;

/**
 * A time source passed into devices, so that their time-dependent behaviour can be driven by the host
 * clock on a real run, by an instruction count in deterministic mode, and by a fake in tests. The unit
 * is the consumer's: {@link Clint} reads timebase ticks (10 MHz on the virt board), {@link GoldfishRtc}
 * reads nanoseconds since the Unix epoch. Must be safe to call from any thread.
 */
@FunctionalInterface
public interface Clock {
    long now();
}
