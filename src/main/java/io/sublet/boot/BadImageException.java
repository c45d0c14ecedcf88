package io.sublet.boot;

/** A guest image (ELF, kernel, initrd) that cannot be loaded; the message names the file and the problem. */
public final class BadImageException extends Exception {
    private static final long serialVersionUID = 1L;

    public BadImageException(String message) {
        super(message);
    }
}
