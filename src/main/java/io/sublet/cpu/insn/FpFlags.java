package io.sublet.cpu.insn;

/**
 * The accrued exception flags of fflags (fcsr bits 4..0) and the rounding modes of frm / the rm field.
 *
 * <pre>
 *   fcsr:  31        8 7     5 4    3    2    1    0
 *         +-----------+-------+----+----+----+----+----+
 *         |  reserved |  frm  | NV | DZ | OF | UF | NX |
 *         +-----------+-------+----+----+----+----+----+
 * </pre>
 */
public final class FpFlags {
    /** Invalid operation. */
    public static final int NV = 0x10;
    /** Divide by zero. */
    public static final int DZ = 0x08;
    /** Overflow. */
    public static final int OF = 0x04;
    /** Underflow (tiny after rounding and inexact). */
    public static final int UF = 0x02;
    /** Inexact. */
    public static final int NX = 0x01;
    public static final int ALL = NV | DZ | OF | UF | NX;

    /** Round to nearest, ties to even. */
    public static final int RNE = 0;
    /** Round towards zero. */
    public static final int RTZ = 1;
    /** Round down (towards negative infinity). */
    public static final int RDN = 2;
    /** Round up (towards positive infinity). */
    public static final int RUP = 3;
    /** Round to nearest, ties to max magnitude. */
    public static final int RMM = 4;
    /** The rm field value that selects the dynamic rounding mode in frm. */
    public static final int DYN = 7;

    private FpFlags() { }

    /** "NV DZ OF UF NX" style rendering of a flag set, for messages. */
    public static String describe(int flags) {
        final StringBuilder sb = new StringBuilder();
        final String[] names = {"NX", "UF", "OF", "DZ", "NV"};
        for (int i = 4; i >= 0; i--) {
            if ((flags & (1 << i)) != 0) {
                sb.append(sb.length() == 0 ? "" : " ").append(names[i]);
            }
        }
        return sb.length() == 0 ? "-" : sb.toString();
    }
}
