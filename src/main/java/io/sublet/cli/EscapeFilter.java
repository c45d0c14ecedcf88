package io.sublet.cli;

/**
 * The QEMU console habit: Ctrl-A starts an escape. {@code Ctrl-A x} quits, {@code Ctrl-A c} toggles
 * the monitor, {@code Ctrl-A h} prints help and {@code Ctrl-A Ctrl-A} sends one Ctrl-A to the guest.
 * Any other byte after Ctrl-A is dropped. Pure state machine: bytes in, actions out.
 */
public final class EscapeFilter {
    public static final int CTRL_A = 0x01;

    /** What to do with one input byte. {@link #FORWARD} means: pass {@link #lastByte()} to the guest. */
    public enum Action { FORWARD, NONE, QUIT, MONITOR, HELP }

    private boolean escaped;
    private int last;

    public Action feed(int b) {
        if (escaped) {
            escaped = false;
            switch (b) {
                case 'x': case 'X': return Action.QUIT;
                case 'c': case 'C': return Action.MONITOR;
                case 'h': case 'H': case '?': return Action.HELP;
                case CTRL_A:
                    last = CTRL_A;
                    return Action.FORWARD;
                default: return Action.NONE;
            }
        }
        if (b == CTRL_A) {
            escaped = true;
            return Action.NONE;
        }
        last = b;
        return Action.FORWARD;
    }

    public int lastByte() {
        return last;
    }

    public static String help() {
        return "Ctrl-A x  quit Sublet (again while it stops: at once)\r\n"
                + "Ctrl-A c  switch between the guest console and the monitor\r\n"
                + "Ctrl-A h  this help\r\nCtrl-A Ctrl-A  send Ctrl-A to the guest\r\n";
    }
}
