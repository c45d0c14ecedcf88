package io.sublet.boot.image;

/**
 * A guest image that cannot be fetched, verified or built. The message is one line that names the file (or URL)
 * and the problem, fit to print after {@code "sublet: "}; by the time it is thrown, nothing half-written is left in
 * the cache.
 */
public final class ImageException extends Exception {
    private static final long serialVersionUID = 1L;

    public ImageException(final String message) {
        super(message);
    }

    public ImageException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
