package io.sublet.dev;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** An interrupt line that remembers its level and counts how often it was driven. */
final class RecordingLine implements IrqLine {
    private final AtomicBoolean level = new AtomicBoolean();
    private final AtomicInteger calls = new AtomicInteger();
    private final AtomicInteger rises = new AtomicInteger();

    @Override
    public void set(final boolean l) {
        calls.incrementAndGet();
        if (l && !level.getAndSet(true)) {
            rises.incrementAndGet();
        } else if (!l) {
            level.set(false);
        }
    }

    boolean level() {
        return level.get();
    }

    int calls() {
        return calls.get();
    }

    int rises() {
        return rises.get();
    }

    static RecordingLine[] array(final int n) {
        final RecordingLine[] lines = new RecordingLine[n];
        for (int i = 0; i < n; i++) {
            lines[i] = new RecordingLine();
        }
        return lines;
    }
}
