package io.sublet.cli;

/** Sublet's exit statuses; part of its interface, listed in every command's --help. */
public final class ExitCodes {
    public static final int OK = 0;
    /** The guest reported failure (HTIF exit status non-zero) or stopped on an unhandled trap. */
    public static final int GUEST_FAILED = 1;
    /** Bad input: a bad option, a missing or malformed image, a program Sublet cannot run. */
    public static final int BAD_INPUT = 2;
    /** The instruction limit was reached before the guest exited. */
    public static final int LIMIT = 3;
    /** {@code sublet vm}: no such VM or task. */
    public static final int NOT_FOUND = 4;
    /** {@code sublet vm}: not allowed in the VM's state, or a duplicate. */
    public static final int CONFLICT = 5;
    /** {@code sublet vm}: no daemon answers, or the token is missing or wrong. */
    public static final int UNREACHABLE = 6;
    /** A fault in Sublet itself. */
    public static final int INTERNAL = 70;

    static final String[] HELP_LIST = {
        "0:the guest exited with status 0 (tohost == 1)",
        "1:the guest failed (non-zero exit status, or an unhandled trap in M mode)",
        "2:bad input (options, missing or malformed image)",
        "3:--max-instructions reached before the guest exited",
        "70:internal error in Sublet",
    };

    private ExitCodes() { }
}
