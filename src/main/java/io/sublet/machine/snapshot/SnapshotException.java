package io.sublet.machine.snapshot;

/**
 * A snapshot that cannot be written or restored, with a message naming the file and the problem (a bad
 * magic, another format version, a CRC mismatch, a truncated section, a value no machine could hold, a
 * disk that changed). Restoring never starts a machine after one of these.
 */
public final class SnapshotException extends Exception {
    private static final long serialVersionUID = 1L;

    public SnapshotException(final String message) {
        super(message);
    }

    public SnapshotException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
