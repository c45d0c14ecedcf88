package io.sublet.dev.virtio;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A virtio device back end (blk, console, rng, ...): its type, features, queues and configuration
 * space, independent of the transport. A {@link VirtioMmio} owns exactly one device and calls its
 * hooks with the transport's lock held, on the thread of the hart that touched the registers, or of
 * the machine loop for {@link #onUpdate()}; a device therefore needs no locking of its own except for
 * what host threads hand it (console input).
 *
 * <p>Hooks run only while the device is live (DRIVER_OK set, no NEEDS_RESET or FAILED), except
 * {@link #readConfig}/{@link #writeConfig}, which the driver may use at any time, {@link #acceptFeatures}
 * and {@link #onReset}. A device reports a broken guest protocol with {@link #fail}; it never throws at
 * the guest. Anything it throws anyway is caught by the transport and also ends in NEEDS_RESET.
 */
public abstract class VirtioDevice {
    /** Counters of one device, read together. */
    public record Counters(long requests, long bytesFromGuest, long bytesToGuest, long errors) { }

    private final int deviceId;
    private final int[] queueSizes;
    /** Device configuration space, little-endian; a subclass fills it, the transport serves it. */
    protected final ByteBuffer config;
    private VirtioMmio transport;

    // Counters, written with the transport's lock held.
    private long requests;
    private long bytesFromGuest;
    private long bytesToGuest;
    private long errors;

    /**
     * @param queueSizes the maximum size of each queue (QueueSizeMax), powers of 2
     * @param configSize bytes of device configuration space
     */
    protected VirtioDevice(final int deviceId, final int[] queueSizes, final int configSize) {
        this.deviceId = deviceId;
        this.queueSizes = queueSizes.clone();
        this.config = ByteBuffer.allocate(configSize).order(ByteOrder.LITTLE_ENDIAN);
    }

    public final int deviceId() {
        return deviceId;
    }

    final int queueCount() {
        return queueSizes.length;
    }

    final int queueMaxSize(final int queue) {
        return queueSizes[queue];
    }

    final void attach(final VirtioMmio owner) {
        if (transport != null) {
            throw new IllegalStateException("virtio device " + deviceId + " is already attached to a transport");
        }
        transport = owner;
    }

    /** The monitor guarding the device's state: its transport's, once attached. */
    protected final Object lock() {
        return transport != null ? transport : this;
    }

    /** The transport this device is attached to; its monitor guards the device's state. */
    protected final VirtioMmio transport() {
        return transport;
    }

    // ---- what a device defines ----

    /** Device-type feature bits offered (the transport adds VERSION_1 and the ring features). */
    protected abstract long deviceFeatures();

    /** The driver made buffers available in {@code queue} (QueueNotify), or the device just went live. */
    protected abstract void onNotify(int queue);

    /**
     * Whether the device works with the features the driver accepted (already a subset of the offered
     * ones, including VERSION_1); false refuses FEATURES_OK.
     */
    protected boolean acceptFeatures(final long features) {
        return true;
    }

    /** The driver set DRIVER_OK: by default every queue is looked at once, as if notified. */
    protected void onDriverOk() {
        for (int q = 0; q < queueSizes.length; q++) {
            onNotify(q);
        }
    }

    /** The device was reset (status 0); the transport has already reset queues and features. */
    protected void onReset() {
    }

    /** Work that does not come from the guest (host input), between execution slices; returns a work count. */
    protected int onUpdate() {
        return 0;
    }

    /** A read of {@code size} bytes at {@code offset} of the configuration space; bytes beyond it read 0. */
    protected long readConfig(final int offset, final int size) {
        long v = 0;
        for (int i = size - 1; i >= 0; i--) {
            final int at = offset + i;
            v = (v << 8) | (at < config.capacity() ? config.get(at) & 0xff : 0);
        }
        return v;
    }

    /** A driver write to the configuration space; ignored unless the device has writable fields. */
    protected void writeConfig(final int offset, final int size, final long value) {
    }

    /** The device's own state for a snapshot (beyond its transport and queues); none by default. */
    protected byte[] saveState() {
        return new byte[0];
    }

    /** Takes state from {@link #saveState}; throws IllegalArgumentException naming what is wrong with it. */
    protected void restoreState(final byte[] state) {
        if (state.length != 0) {
            throw new IllegalArgumentException("device " + deviceId + " keeps no state, the snapshot has "
                    + state.length + " bytes for it");
        }
    }

    // ---- services for devices ----

    /** One of this device's queues. */
    protected final Virtqueue queue(final int index) {
        return transport.queue(index);
    }

    /** Whether the driver accepted {@code feature} (valid once FEATURES_OK is set). */
    protected final boolean negotiated(final long feature) {
        return (transport.negotiatedFeatures() & feature) == feature;
    }

    /** The guest broke the device protocol: NEEDS_RESET, with the reason kept for the VMM. */
    protected final void fail(final String reason) {
        transport.deviceError(reason);
    }

    /** The configuration space changed: new generation, and a notification once the driver is up. */
    protected final void configChanged() {
        transport.configChanged();
    }

    protected final void countRequest() {
        requests++;
    }

    protected final void countFromGuest(final long bytes) {
        bytesFromGuest += bytes;
    }

    protected final void countToGuest(final long bytes) {
        bytesToGuest += bytes;
    }

    protected final void countError() {
        errors++;
    }

    /** Requests handled, bytes the device read from and wrote to guest buffers, requests that failed. */
    public final Counters counters() {
        synchronized (lock()) {
            return new Counters(requests, bytesFromGuest, bytesToGuest, errors);
        }
    }
}
