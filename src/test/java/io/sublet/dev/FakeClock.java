package io.sublet.dev;

/** A clock that moves only when a test says so. */
final class FakeClock implements Clock {
    private long now;

    FakeClock(final long start) {
        this.now = start;
    }

    @Override
    public long now() {
        return now;
    }

    void set(final long t) {
        now = t;
    }

    void advance(final long delta) {
        now += delta;
    }
}
