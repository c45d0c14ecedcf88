package io.sublet.dev;

import io.sublet.mem.BusFault;
import io.sublet.mem.Device;

/**
 * QEMU's SiFive test finisher, which Linux drives as a syscon for poweroff and reboot (compatible
 * {@code "sifive,test1", "sifive,test0", "syscon"}; the tree adds {@code syscon-poweroff} with value
 * 0x5555 and {@code syscon-reboot} with value 0x7777 at offset 0).
 *
 * <pre>
 *   31                  16 15                   0
 *  +----------------------+----------------------+
 *  |         code         |        status        |   offset 0, write only (reads 0)
 *  +----------------------+----------------------+
 *  status 0x5555: power off (pass)    0x7777: reset    0x3333: fail with code
 * </pre>
 *
 * Writes of 2 or 4 bytes at offset 0 are decoded (a 2-byte write has code 0); other status values and
 * offsets are ignored. Other access sizes fault, as on QEMU. The device has no state.
 */
public final class TestDevice implements Device {
    public static final long SIZE = 0x1000;
    public static final String[] COMPATIBLE = {"sifive,test1", "sifive,test0", "syscon"};
    public static final int FAIL = 0x3333;
    public static final int PASS = 0x5555;
    public static final int RESET = 0x7777;

    private final PowerListener listener;

    public TestDevice(final PowerListener listener) {
        this.listener = listener;
    }

    @Override
    public long load(final long offset, final int size) {
        checkSize(size);
        return 0;
    }

    @Override
    public void store(final long offset, final int size, final long value) {
        checkSize(size);
        if (offset != 0) {
            return;
        }
        final int status = (int) value & 0xffff;
        final int code = size == 4 ? (int) (value >>> 16) & 0xffff : 0;
        switch (status) {
            case PASS:
                listener.powerOff();
                break;
            case RESET:
                listener.reset();
                break;
            case FAIL:
                listener.fail(code);
                break;
            default:
                break;
        }
    }

    private static void checkSize(final int size) {
        if (size != 2 && size != 4) {
            throw BusFault.INSTANCE;
        }
    }
}
