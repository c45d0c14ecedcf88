package io.sublet.cpu;

/** Privilege levels, encoded as in mstatus.MPP and the CSR address space. */
public final class Priv {
    public static final int U = 0;
    public static final int S = 1;
    public static final int M = 3;

    private Priv() { }

    public static String name(int priv) {
        switch (priv) {
            case U: return "U";
            case S: return "S";
            case M: return "M";
            default: return "?" + priv;
        }
    }
}
