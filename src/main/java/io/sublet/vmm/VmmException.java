package io.sublet.vmm;

/**
 * A request the host refuses, with the kind of refusal (the API maps it to an HTTP status, the CLI to an exit
 * status) and, for bad configuration, the field at fault. The message names the problem for a person.
 */
public final class VmmException extends Exception {
    private static final long serialVersionUID = 1L;

    public enum Kind {
        /** No such VM or task. */
        NOT_FOUND,
        /** The request conflicts with the current state: an illegal transition, a duplicate name, a locked disk. */
        CONFLICT,
        /** The configuration or request is malformed or out of range. */
        INVALID,
        /** Valid, but more than the host admits (memory over the overcommit limit). */
        OVER_LIMIT,
        /** The host could not do it (a worker that would not start, an I/O error). */
        FAILED
    }

    private final Kind kind;
    private final String field;

    public VmmException(final Kind kind, final String message) {
        this(kind, null, message);
    }

    public VmmException(final Kind kind, final String field, final String message) {
        super(message);
        this.kind = kind;
        this.field = field;
    }

    public Kind kind() {
        return kind;
    }

    /** The configuration field at fault, or null. */
    public String field() {
        return field;
    }
}
