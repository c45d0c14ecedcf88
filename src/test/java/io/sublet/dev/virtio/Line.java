package io.sublet.dev.virtio;

import io.sublet.dev.IrqLine;

/** An interrupt line that remembers its level and counts rising edges. */
final class Line implements IrqLine {
    private boolean level;
    private int rises;

    @Override
    public synchronized void set(final boolean l) {
        if (l && !level) {
            rises++;
        }
        level = l;
    }

    synchronized boolean level() {
        return level;
    }

    synchronized int rises() {
        return rises;
    }
}
