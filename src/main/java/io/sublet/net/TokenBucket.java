package io.sublet.net;

import java.util.function.LongSupplier;

/**
 * A rate limit in bytes per second with a burst allowance, as a token bucket that may go into debt: a
 * frame may start whenever the bucket is not empty, and its length is then taken out, so a 64 KiB frame
 * passes a slow limit too, followed by a pause as long as it deserves. The sender is held back while
 * the bucket is in debt ({@link #ready()} false) instead of having frames dropped, so TCP in the guest
 * sees a slower link, not a lossy one. Not thread-safe: one port's sender uses it.
 */
public final class TokenBucket {
    private final long bytesPerSecond;
    private final long burst;
    private final LongSupplier nanoClock;
    private double tokens;
    private long lastNanos;

    /** @param bytesPerSecond the sustained rate, at least 1; burst: the most bytes sent back to back */
    public TokenBucket(final long bytesPerSecond, final long burst, final LongSupplier nanoClock) {
        if (bytesPerSecond < 1 || burst < 1) {
            throw new IllegalArgumentException("rate limit of " + bytesPerSecond + " B/s with a burst of " + burst
                    + " bytes: both must be at least 1");
        }
        this.bytesPerSecond = bytesPerSecond;
        this.burst = burst;
        this.nanoClock = nanoClock;
        this.tokens = burst;
        this.lastNanos = nanoClock.getAsLong();
    }

    /** A bucket for {@code bytesPerSecond} with a burst of a tenth of a second or two full frames, whichever is more. */
    public static TokenBucket forRate(final long bytesPerSecond, final LongSupplier nanoClock) {
        return new TokenBucket(bytesPerSecond, Math.max(bytesPerSecond / 10, 2L * Ethernet.MAX_FRAME), nanoClock);
    }

    public long bytesPerSecond() {
        return bytesPerSecond;
    }

    /** Whether a frame may be sent now. */
    public boolean ready() {
        refill();
        return tokens > 0;
    }

    /** Takes out what was sent (may leave the bucket in debt). */
    public void take(final int bytes) {
        refill();
        tokens -= bytes;
    }

    private void refill() {
        final long now = nanoClock.getAsLong();
        final long elapsed = now - lastNanos;
        if (elapsed > 0) {
            tokens = Math.min(burst, tokens + elapsed * (bytesPerSecond / 1e9));
            lastNanos = now;
        }
    }
}
