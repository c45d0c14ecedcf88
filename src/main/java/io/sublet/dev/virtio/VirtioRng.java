package io.sublet.dev.virtio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;

/**
 * virtio-rng, the entropy device (device id 4, virtio 1.2 §5.4): one request queue of device-writable
 * buffers, each filled with bytes from the host's {@link SecureRandom}. No features, no configuration.
 *
 * <p>Buffers are filled as soon as the driver makes them available (on its notification), up to
 * {@link #MAX_PER_REQUEST} bytes each: the device may use less than the whole buffer (§5.4.6.2), and the
 * cap bounds the time a notification spends in SecureRandom. {@link VirtioMmio#update()} also fills
 * buffers made available without a notification. A buffer with a device-readable part breaks the
 * protocol (§5.4.6.1) and puts the device into NEEDS_RESET.
 */
public final class VirtioRng extends VirtioDevice {
    public static final int QUEUE_SIZE = 64;
    public static final int MAX_PER_REQUEST = 4096;

    private final SecureRandom random;
    private final byte[] scratch = new byte[MAX_PER_REQUEST];
    private final Fill fill = new Fill();

    public VirtioRng(final SecureRandom random) {
        super(Virtio.ID_ENTROPY, new int[] {QUEUE_SIZE}, 0);
        this.random = random;
    }

    @Override
    protected long deviceFeatures() {
        return 0;
    }

    @Override
    protected void onNotify(final int queue) {
        fillAvailable();
    }

    /** Buffers the driver made available without notifying (it need not notify an idle device). */
    @Override
    protected int onUpdate() {
        return queue(0).hasAvailable() ? fillAvailable() : 0;
    }

    private int fillAvailable() {
        final Virtqueue q = queue(0);
        int filled = 0;
        while (q.pop()) {
            final DescriptorChain c = q.chain();
            countRequest();
            if (c.readableSegments() != 0) {
                countError();
                fail("virtio-rng buffer with a device-readable part");
                return filled;
            }
            final int n = (int) Math.min(c.writableLength(), MAX_PER_REQUEST);
            fill.bytes = n == MAX_PER_REQUEST ? scratch : new byte[n]; // only what the guest takes
            random.nextBytes(fill.bytes);
            fill.offset = 0;
            try {
                c.forEachWritable(0, n, fill);
            } catch (IOException e) {
                throw new IllegalStateException(e); // Fill does no I/O
            }
            countToGuest(n);
            q.push(n);
            filled++;
        }
        return filled;
    }

    /** Copies the random scratch bytes into the guest's buffer. */
    private static final class Fill implements DescriptorChain.Window {
        byte[] bytes;
        int offset;

        @Override
        public void accept(final ByteBuffer window) {
            final int n = window.remaining();
            window.put(bytes, offset, n);
            offset += n;
        }
    }
}
