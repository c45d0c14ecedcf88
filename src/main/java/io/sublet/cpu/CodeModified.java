package io.sublet.cpu;

/**
 * Thrown after a store from translated code changed the page that code was translated from. The store has
 * completed; the translated code must stop before its next instruction, which may no longer be what it was.
 * One instance per hart, no stack trace, like {@link Trap}.
 */
public final class CodeModified extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CodeModified() {
        super("translated code modified its own page", null, false, false);
    }
}
