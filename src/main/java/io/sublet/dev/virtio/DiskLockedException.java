package io.sublet.dev.virtio;

import java.io.IOException;

/**
 * A disk image is in use: another process (usually another VM) or this process holds a lock on it that
 * conflicts with the open that was asked for. The message is one line naming the file and the holder.
 */
public final class DiskLockedException extends IOException {
    private static final long serialVersionUID = 1L;

    private final boolean inThisProcess;

    DiskLockedException(final String message, final boolean inThisProcess) {
        super(message);
        this.inThisProcess = inThisProcess;
    }

    /** True when the conflicting open is in this JVM, false when another process holds the lock. */
    public boolean inThisProcess() {
        return inThisProcess;
    }
}
