package io.sublet.machine;

/** Why a running machine stopped, with the process exit status it maps to. */
public record ExitReason(Kind kind, int status, String message) {
    public enum Kind { POWER_OFF, REBOOT, FAILURE, QUIT, SIGNAL, FATAL_TRAP }

    public static ExitReason powerOff() {
        return new ExitReason(Kind.POWER_OFF, 0, "the guest powered off");
    }

    public static ExitReason reboot() {
        return new ExitReason(Kind.REBOOT, 1, "the guest asked to reboot (with panic=-1 a kernel panic does this)");
    }

    public static ExitReason failure(int code) {
        return new ExitReason(Kind.FAILURE, 1, "the guest reported failure with code " + code);
    }

    public static ExitReason quit() {
        return new ExitReason(Kind.QUIT, 0, "quit from the console");
    }

    /** The host process was told to stop by a signal: status 128 + its number, the shell's convention. */
    public static ExitReason signal(String name, int number) {
        return new ExitReason(Kind.SIGNAL, 128 + number, "stopped by SIG" + name);
    }

    public static ExitReason fatal(String description) {
        return new ExitReason(Kind.FATAL_TRAP, 1, description);
    }
}
