package io.sublet.boot.image;

/**
 * What a pull reports while it works: finished steps as lines, and the bytes of large transfers as they arrive.
 * Implementations are called from the pulling thread only.
 */
public interface Progress {
    /** Reports nothing. */
    Progress SILENT = new Progress() {
        @Override
        public void note(final String line) {
        }

        @Override
        public void transfer(final String name, final long done, final long total) {
        }
    };

    /** A finished step, one line, such as {@code "verified InRelease: good signature by ..."}. */
    void note(String line);

    /**
     * {@code done} of {@code total} bytes of {@code name} have arrived ({@code total} is negative when unknown).
     * Called often; the last call for a transfer that completes has {@code done == total}.
     */
    void transfer(String name, long done, long total);
}
