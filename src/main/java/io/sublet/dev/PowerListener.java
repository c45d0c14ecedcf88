package io.sublet.dev;

/**
 * What the guest asked of the {@link TestDevice}: the machine decides what each means for the VM. Called
 * on the thread of the hart that wrote the request; implementations should record the request and make
 * the run loop stop (for example through {@code Hart.requestExit}), not block.
 */
public interface PowerListener {
    /** The guest powered off cleanly (QEMU's "finisher pass"). */
    void powerOff();

    /** The guest asked for a reset (reboot). */
    void reset();

    /** The guest reported failure with a 16-bit {@code code} (QEMU exits with that status). */
    void fail(int code);
}
