package io.sublet.boot;

import io.sublet.cpu.EcallHandler;
import io.sublet.cpu.Hart;

/**
 * The Supervisor Binary Interface (SBI 2.0) implemented in Java: the VMM answers S-mode ecalls itself,
 * as a hypervisor answers hypercalls, so no M-mode firmware runs. Extensions: Base, TIME, IPI,
 * RFENCE, HSM (single hart: status only), SRST, DBCN, and the legacy console/timer/shutdown calls
 * that early boot code still uses.
 *
 * <p>Calling convention (SBI spec, "Binary Encoding"): a7 = extension id, a6 = function id,
 * a0..a5 = arguments; returns error code in a0 and value in a1 (legacy calls return a0 only).
 */
public final class Sbi implements EcallHandler {
    static final long SPEC_VERSION = 2L << 24; // 2.0
    /** Not a registered SBI implementation id; "SUBL" in ASCII, so it is recognisable in a dump. */
    static final long IMPL_ID = 0x5355424cL;
    static final long IMPL_VERSION = 1;

    static final long EXT_BASE = 0x10;
    static final long EXT_TIME = 0x54494D45L;
    static final long EXT_IPI = 0x735049L;
    static final long EXT_RFENCE = 0x52464E43L;
    static final long EXT_HSM = 0x48534DL;
    static final long EXT_SRST = 0x53525354L;
    static final long EXT_DBCN = 0x4442434EL;

    static final long LEGACY_SET_TIMER = 0;
    static final long LEGACY_PUTCHAR = 1;
    static final long LEGACY_GETCHAR = 2;
    static final long LEGACY_CLEAR_IPI = 3;
    static final long LEGACY_SEND_IPI = 4;
    static final long LEGACY_REMOTE_FENCE_I = 5;
    static final long LEGACY_REMOTE_SFENCE_VMA = 6;
    static final long LEGACY_REMOTE_SFENCE_VMA_ASID = 7;
    static final long LEGACY_SHUTDOWN = 8;

    public static final long SUCCESS = 0;
    public static final long ERR_FAILED = -1;
    public static final long ERR_NOT_SUPPORTED = -2;
    public static final long ERR_INVALID_PARAM = -3;
    public static final long ERR_DENIED = -4;
    public static final long ERR_INVALID_ADDRESS = -5;
    public static final long ERR_ALREADY_AVAILABLE = -6;

    static final int HSM_STARTED = 0;
    static final int HSM_STOPPED = 1;

    private static final int A0 = 10;
    private static final int A1 = 11;
    private static final int A2 = 12;
    private static final int A6 = 16;
    private static final int A7 = 17;
    /** Bytes moved per DBCN call at most; the guest retries with the rest, as the spec allows. */
    private static final int DBCN_CHUNK = 4096;

    private final SbiPlatform platform;
    private final byte[] buffer = new byte[DBCN_CHUNK];
    private long calls;

    public Sbi(SbiPlatform platform) {
        this.platform = platform;
    }

    /** Number of SBI calls answered, for the monitor and tests. */
    public long calls() {
        return calls;
    }

    @Override
    public boolean onSupervisorEcall(Hart hart) {
        calls++;
        final long[] x = hart.x;
        final long ext = x[A7];
        if (ext >= 0 && ext <= LEGACY_SHUTDOWN) {
            x[A0] = legacy(hart, ext, x[A0]);
            return true;
        }
        final long fid = x[A6];
        long error = SUCCESS;
        long value = 0;
        if (ext == EXT_BASE) {
            switch ((int) fid) {
                case 0: value = SPEC_VERSION; break;
                case 1: value = IMPL_ID; break;
                case 2: value = IMPL_VERSION; break;
                case 3: value = probe(x[A0]) ? 1 : 0; break;
                case 4: case 5: case 6: value = 0; break; // mvendorid, marchid, mimpid
                default: error = ERR_NOT_SUPPORTED;
            }
        } else if (ext == EXT_TIME && fid == 0) {
            platform.setTimer(hart.hartId(), x[A0]);
        } else if (ext == EXT_IPI && fid == 0) {
            error = validMask(x[A0], x[A1]) ? SUCCESS : ERR_INVALID_PARAM;
            if (error == SUCCESS) {
                platform.sendIpi(x[A0], x[A1]);
            }
        } else if (ext == EXT_RFENCE) {
            if (fid > 2) {
                error = ERR_NOT_SUPPORTED; // hypervisor fences: no H extension
            } else if (!validMask(x[A0], x[A1])) {
                error = ERR_INVALID_PARAM;
            } else {
                platform.remoteFence(x[A0], x[A1], fid != 0);
            }
        } else if (ext == EXT_HSM) {
            final long[] r = hsm(hart, fid, x[A0]);
            error = r[0];
            value = r[1];
        } else if (ext == EXT_SRST && fid == 0) {
            error = reset(x[A0], x[A1]);
        } else if (ext == EXT_DBCN) {
            final long[] r = dbcn(fid, x[A0], x[A1], x[A2]);
            error = r[0];
            value = r[1];
        } else {
            error = ERR_NOT_SUPPORTED;
        }
        x[A0] = error;
        x[A1] = value;
        return true;
    }

    private static boolean probe(long ext) {
        return ext == EXT_BASE || ext == EXT_TIME || ext == EXT_IPI || ext == EXT_RFENCE || ext == EXT_HSM
                || ext == EXT_SRST || ext == EXT_DBCN || (ext >= 0 && ext <= LEGACY_SHUTDOWN);
    }

    /** A hart mask is relative to its base; base -1 means all harts. */
    private boolean validMask(long mask, long base) {
        if (base == -1) {
            return true;
        }
        if (base < 0 || base >= platform.hartCount()) {
            return mask == 0;
        }
        final int usable = platform.hartCount() - (int) base;
        return usable >= 64 || (mask >>> usable) == 0;
    }

    private long legacy(Hart hart, long ext, long a0) {
        switch ((int) ext) {
            case (int) LEGACY_SET_TIMER:
                platform.setTimer(hart.hartId(), a0);
                return 0;
            case (int) LEGACY_PUTCHAR:
                buffer[0] = (byte) a0;
                return platform.consoleWrite(buffer, 1) == 1 ? 0 : ERR_FAILED; // a busy console drops it
            case (int) LEGACY_GETCHAR:
                return platform.consoleRead(buffer, 1) == 1 ? buffer[0] & 0xff : -1;
            case (int) LEGACY_CLEAR_IPI:
                hart.setSoftwarePending(io.sublet.cpu.Cause.SSI, false);
                return 0;
            case (int) LEGACY_SEND_IPI:
                platform.sendIpi(readMask(a0), 0);
                return 0;
            case (int) LEGACY_REMOTE_FENCE_I:
                platform.remoteFence(readMask(a0), 0, false);
                return 0;
            case (int) LEGACY_REMOTE_SFENCE_VMA:
            case (int) LEGACY_REMOTE_SFENCE_VMA_ASID:
                platform.remoteFence(readMask(a0), 0, true);
                return 0;
            default:
                platform.systemReset(0, 0);
                return 0;
        }
    }

    /** Legacy calls pass the hart mask by reference (a pointer to an unsigned long, 0 = all harts). */
    private long readMask(long address) {
        if (address == 0) {
            return -1;
        }
        final byte[] word = new byte[8];
        if (!platform.readPhysical(address, word, 8)) {
            return -1;
        }
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = v << 8 | (word[i] & 0xff);
        }
        return v;
    }

    private long[] hsm(Hart hart, long fid, long hartId) {
        switch ((int) fid) {
            case 0: // hart_start: every hart of this machine is already started
                return new long[] {hartId >= 0 && hartId < platform.hartCount() ? ERR_ALREADY_AVAILABLE : ERR_INVALID_PARAM, 0};
            case 1: // hart_stop
                return new long[] {ERR_FAILED, 0};
            case 2: // hart_get_status
                if (hartId < 0 || hartId >= platform.hartCount()) {
                    return new long[] {ERR_INVALID_PARAM, 0};
                }
                return new long[] {SUCCESS, HSM_STARTED};
            default:
                return new long[] {ERR_NOT_SUPPORTED, 0};
        }
    }

    private long reset(long type, long reason) {
        if (type > 2 && type < 0xF0000000L || reason > 1 && reason < 0xE0000000L) {
            return ERR_INVALID_PARAM;
        }
        if (type > 2 || reason > 1) {
            return ERR_NOT_SUPPORTED; // reserved for vendor/SBI implementation specific values
        }
        platform.systemReset((int) type, (int) reason);
        return SUCCESS;
    }

    private long[] dbcn(long fid, long a0, long a1, long a2) {
        switch ((int) fid) {
            case 0:
            case 1: {
                // base address is a1 (low) | a2 (high) on RV32; on RV64 a1 holds it and a2 must be 0.
                final long address = a1;
                final int n = (int) Math.min(Math.max(a0, 0), DBCN_CHUNK);
                if (fid == 0) {
                    if (!platform.readPhysical(address, buffer, n)) {
                        return new long[] {ERR_INVALID_PARAM, 0};
                    }
                    return new long[] {SUCCESS, platform.consoleWrite(buffer, n)}; // partial when the console is busy
                }
                final int got = platform.consoleRead(buffer, n);
                if (got > 0 && !platform.writePhysical(address, buffer, got)) {
                    return new long[] {ERR_INVALID_PARAM, 0};
                }
                return new long[] {SUCCESS, got};
            }
            case 2:
                // Meant to block until written; the hart must not wait on the host, so a full console fails.
                buffer[0] = (byte) a0;
                return new long[] {platform.consoleWrite(buffer, 1) == 1 ? SUCCESS : ERR_FAILED, 0};
            default:
                return new long[] {ERR_NOT_SUPPORTED, 0};
        }
    }
}
