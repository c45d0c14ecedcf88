package io.sublet.machine;

import java.util.Locale;

/** Which execution engine runs the harts: {@code interp}, the reference interpreter, or {@code jit}, the translator. */
public enum EngineKind {
    INTERP,
    JIT;

    /** The translator: correct on every test the interpreter passes, and faster on every benchmark (README). */
    public static final EngineKind DEFAULT = JIT;

    /** Parses the command-line spelling; the message names the accepted values. */
    public static EngineKind parse(String s) {
        for (EngineKind k : values()) {
            if (k.name().toLowerCase(Locale.ROOT).equals(s)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown engine '" + s + "' (expected interp or jit)");
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
