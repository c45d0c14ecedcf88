package io.sublet.api;

/** An HTTP-level refusal (bad JSON, oversized body, no token): the status and the words for the problem body. */
final class ApiException extends Exception {
    private static final long serialVersionUID = 1L;
    final int status;
    final String field;

    ApiException(final int status, final String message) {
        this(status, null, message);
    }

    ApiException(final int status, final String field, final String message) {
        super(message);
        this.status = status;
        this.field = field;
    }
}
