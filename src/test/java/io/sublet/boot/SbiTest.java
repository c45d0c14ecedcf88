package io.sublet.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sublet.cpu.CodeCache;
import io.sublet.cpu.Hart;
import io.sublet.mem.Bus;
import io.sublet.mem.Ram;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SbiTest {
    private static final int A0 = 10;
    private static final int A1 = 11;
    private static final int A2 = 12;
    private static final int A6 = 16;
    private static final int A7 = 17;

    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private Ram ram;
    private Hart hart;
    private Sbi sbi;
    private long timer = -1;
    private int resetType = -1;
    private long ipiMask;

    @BeforeEach
    void setUp() {
        ram = new Ram(0x8000_0000L, 1 << 20);
        final Bus bus = new Bus(ram);
        hart = new Hart(0, bus, new CodeCache(ram));
        sbi = new Sbi(new SbiPlatform() {
            @Override public void setTimer(int h, long stime) { timer = stime; }
            @Override public void sendIpi(long mask, long base) { ipiMask = mask; }
            @Override public void remoteFence(long mask, long base, boolean tlb) { }
            @Override public int hartCount() { return 1; }
            @Override public int consoleWrite(byte[] bytes, int length) {
                console.write(bytes, 0, length);
                return length;
            }
            @Override public int consoleRead(byte[] into, int max) { return 0; }
            @Override public void systemReset(int type, int reason) { resetType = type; }
            @Override public boolean readPhysical(long paddr, byte[] into, int length) {
                if (!ram.contains(paddr, length)) {
                    return false;
                }
                ram.read(paddr, into, 0, length);
                return true;
            }
            @Override public boolean writePhysical(long paddr, byte[] from, int length) {
                if (!ram.contains(paddr, length)) {
                    return false;
                }
                ram.write(paddr, from, 0, length);
                return true;
            }
        });
    }

    private void call(long ext, long fid, long... args) {
        hart.x[A7] = ext;
        hart.x[A6] = fid;
        for (int i = 0; i < args.length; i++) {
            hart.x[A0 + i] = args[i];
        }
        assertTrue(sbi.onSupervisorEcall(hart));
    }

    @Test
    void baseExtensionReportsVersionAndProbes() {
        call(Sbi.EXT_BASE, 0);
        assertEquals(Sbi.SUCCESS, hart.x[A0]);
        assertEquals(2L << 24, hart.x[A1], "SBI 2.0");
        call(Sbi.EXT_BASE, 3, Sbi.EXT_DBCN);
        assertEquals(1, hart.x[A1]);
        call(Sbi.EXT_BASE, 3, 0x12345678);
        assertEquals(0, hart.x[A1], "unknown extensions probe as absent");
    }

    @Test
    void unknownExtensionIsNotSupported() {
        call(0x0A000000L, 0);
        assertEquals(Sbi.ERR_NOT_SUPPORTED, hart.x[A0]);
    }

    @Test
    void timerAndReset() {
        call(Sbi.EXT_TIME, 0, 123456);
        assertEquals(123456, timer);
        call(Sbi.EXT_SRST, 0, 0, 0);
        assertEquals(0, resetType);
        call(Sbi.EXT_SRST, 0, 7, 0);
        assertEquals(Sbi.ERR_INVALID_PARAM, hart.x[A0], "reserved reset type");
    }

    @Test
    void debugConsoleWritesGuestMemory() {
        final byte[] text = "hello from S mode\n".getBytes(StandardCharsets.US_ASCII);
        ram.write(0x8000_1000L, text, 0, text.length);
        call(Sbi.EXT_DBCN, 0, text.length, 0x8000_1000L, 0);
        assertEquals(Sbi.SUCCESS, hart.x[A0]);
        assertEquals(text.length, hart.x[A1]);
        call(Sbi.EXT_DBCN, 2, '!');
        assertEquals("hello from S mode\n!", console.toString(StandardCharsets.US_ASCII));
        call(Sbi.EXT_DBCN, 0, 16, 0x1000L, 0);
        assertEquals(Sbi.ERR_INVALID_PARAM, hart.x[A0], "a buffer outside RAM is refused");
    }

    @Test
    void legacyConsoleAndIpi() {
        call(Sbi.LEGACY_PUTCHAR, 0, 'x');
        assertEquals("x", console.toString(StandardCharsets.US_ASCII));
        call(Sbi.LEGACY_SEND_IPI, 0, 0);
        assertEquals(-1, ipiMask, "a null mask pointer means every hart");
        call(Sbi.EXT_IPI, 0, 1, 0);
        assertEquals(Sbi.SUCCESS, hart.x[A0]);
        call(Sbi.EXT_IPI, 0, 2, 0);
        assertEquals(Sbi.ERR_INVALID_PARAM, hart.x[A0], "hart 1 does not exist");
    }

    @Test
    void hsmReportsTheOnlyHartStarted() {
        call(Sbi.EXT_HSM, 2, 0);
        assertEquals(Sbi.SUCCESS, hart.x[A0]);
        assertEquals(0, hart.x[A1]);
        call(Sbi.EXT_HSM, 2, 5);
        assertEquals(Sbi.ERR_INVALID_PARAM, hart.x[A0]);
    }
}
