package io.sublet.cpu;

/**
 * Bit layout of mstatus on RV64 (privileged spec, "Machine Status Register"):
 *
 * <pre>
 *  63  36..35 34..33 22  21 20  19  18  17   16..15 14..13 12..11 10..9  8   7    5    3   1
 * +--+------+------+---+--+---+---+---+----+------+------+------+------+---+----+----+---+---+
 * |SD| SXL  | UXL  |TSR|TW|TVM|MXR|SUM|MPRV|  XS  |  FS  | MPP  |  VS  |SPP|MPIE|SPIE|MIE|SIE|
 * +--+------+------+---+--+---+---+---+----+------+------+------+------+---+----+----+---+---+
 * </pre>
 * sstatus is the view of SIE, SPIE, SPP, FS, XS, SUM, MXR, UXL and SD.
 */
public final class MStatus {
    public static final long SIE = 1L << 1;
    public static final long MIE = 1L << 3;
    public static final long SPIE = 1L << 5;
    public static final long MPIE = 1L << 7;
    public static final long SPP = 1L << 8;
    public static final int MPP_SHIFT = 11;
    public static final long MPP = 3L << MPP_SHIFT;
    public static final int FS_SHIFT = 13;
    public static final long FS = 3L << FS_SHIFT;
    public static final long XS = 3L << 15;
    public static final long MPRV = 1L << 17;
    public static final long SUM = 1L << 18;
    public static final long MXR = 1L << 19;
    public static final long TVM = 1L << 20;
    public static final long TW = 1L << 21;
    public static final long TSR = 1L << 22;
    public static final long UXL = 3L << 32;
    public static final long SXL = 3L << 34;
    public static final long SD = 1L << 63;

    /** UXL and SXL are read-only 2: U and S mode are always 64-bit. */
    public static final long XLEN_FIELDS = (2L << 32) | (2L << 34);

    /** Fields software can write through mstatus. */
    public static final long M_WRITABLE = SIE | MIE | SPIE | MPIE | SPP | MPP | FS | MPRV | SUM | MXR | TVM | TW | TSR;

    /** Fields visible through sstatus. */
    public static final long S_VIEW = SIE | SPIE | SPP | FS | XS | SUM | MXR | UXL | SD;
    public static final long S_WRITABLE = SIE | SPIE | SPP | FS | SUM | MXR;

    /** FS values: Off (FP instructions and FP CSRs are illegal), Initial, Clean, Dirty. */
    public static final long FS_OFF = 0;
    public static final long FS_DIRTY = FS;

    private MStatus() { }
}
