package io.sublet.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sublet.cpu.CodeCache;
import io.sublet.mem.Ram;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The host-target interface of Spike and the riscv-tests: exit statuses, the console, the system-call
 * block (write, exit) and acknowledgement of commands it does not know. The guest side is played by the
 * test writing the tohost word directly.
 */
class HtifTest {
    private static final long BASE = 0x8000_0000L;
    private static final long TOHOST = BASE + 0x1000;
    private static final long FROMHOST = BASE + 0x1008;
    private static final long BLOCK = BASE + 0x2000;
    private static final long BUF = BASE + 0x3000;

    /** Counts flushes, to check that a newline reaches the terminal at once. */
    private static final class Console extends ByteArrayOutputStream {
        int flushes;

        @Override
        public void flush() {
            flushes++;
        }

        String text() {
            return toString(StandardCharsets.UTF_8);
        }
    }

    private final Ram ram = new Ram(BASE, 64 * 1024);
    private final CodeCache code = new CodeCache(ram);
    private final Console console = new Console();
    private final Htif htif = new Htif(ram, code, TOHOST, FROMHOST, console);

    private void write(long paddr, long value) {
        ram.store((int) (paddr - BASE), 8, value);
    }

    private long read(long paddr) {
        return ram.load((int) (paddr - BASE), 8);
    }

    private static long command(int device, int cmd, long payload) {
        return (long) device << 56 | (long) cmd << 48 | payload;
    }

    @Test
    void nothingPendingIsNoWork() {
        assertFalse(htif.poll());
        assertNull(htif.exitCode());
        assertEquals(0, console.size());
        assertEquals(0, read(FROMHOST));
    }

    @ParameterizedTest(name = "tohost {0} -> exit {1}")
    @CsvSource({"1, 0", "3, 1", "7, 3", "85, 42", "0xffffffffffff, 0x7fffffffffff"})
    void oddPayloadIsAnExitStatus(String tohost, String status) {
        write(TOHOST, Long.decode(tohost));
        assertTrue(htif.poll(), "the guest asked to exit");
        assertEquals(Long.decode(status), htif.exitCode());
        assertTrue(htif.poll(), "and stays exited");
        assertEquals(Long.decode(status), htif.exitCode());
    }

    @Test
    void consolePutcharWritesTheByteClearsTohostAndRepliesInFromhost() {
        write(TOHOST, command(1, 1, 'A'));
        assertFalse(htif.poll());
        assertEquals("A", console.text());
        assertEquals(0, read(TOHOST), "tohost is cleared so the guest may send the next byte");
        assertEquals(command(1, 1, 0), read(FROMHOST), "the reply names the device and command");
        write(FROMHOST, 0);
        write(TOHOST, command(1, 1, 0x100 | 'b')); // only the low byte is the character
        assertFalse(htif.poll());
        assertEquals("Ab", console.text());
        assertNull(htif.exitCode());
    }

    @Test
    void newlineFlushesTheConsole() {
        write(TOHOST, command(1, 1, 'x'));
        htif.poll();
        final int before = console.flushes;
        write(TOHOST, command(1, 1, '\n'));
        htif.poll();
        assertTrue(console.flushes > before);
    }

    @Test
    void withoutFromhostOnlyTohostIsCleared() {
        final Htif noReply = new Htif(ram, code, TOHOST, -1, console);
        write(TOHOST, command(1, 1, 'z'));
        write(FROMHOST, 0x55);
        assertFalse(noReply.poll());
        assertEquals("z", console.text());
        assertEquals(0, read(TOHOST));
        assertEquals(0x55, read(FROMHOST), "no fromhost symbol: nothing else is written");
    }

    @Test
    void syscallWriteToStdoutPrintsTheBuffer() {
        final byte[] text = "hello, htif\n".getBytes(StandardCharsets.US_ASCII);
        ram.write(BUF, text, 0, text.length);
        write(BLOCK, 64);
        write(BLOCK + 8, 1);
        write(BLOCK + 16, BUF);
        write(BLOCK + 24, text.length);
        write(TOHOST, BLOCK);
        assertFalse(htif.poll());
        assertEquals("hello, htif\n", console.text());
        assertEquals(text.length, read(BLOCK), "the result (bytes written) replaces the call number");
        assertEquals(0, read(TOHOST));
        assertEquals(1, read(FROMHOST));
    }

    @Test
    void syscallWriteToAnotherFdFailsWithEbadf() {
        ram.write(BUF, new byte[] {'n', 'o'}, 0, 2);
        write(BLOCK, 64);
        write(BLOCK + 8, 5);
        write(BLOCK + 16, BUF);
        write(BLOCK + 24, 2);
        write(TOHOST, BLOCK);
        htif.poll();
        assertEquals(-9, read(BLOCK));
        assertEquals(0, console.size());
    }

    @Test
    void syscallWriteFromOutsideRamFailsWithEbadf() {
        write(BLOCK, 64);
        write(BLOCK + 8, 1);
        write(BLOCK + 16, BASE + 0x10000 - 4);
        write(BLOCK + 24, 8);
        write(TOHOST, BLOCK);
        htif.poll();
        assertEquals(-9, read(BLOCK));
        assertEquals(0, console.size());
    }

    @Test
    void syscallExitSetsTheStatus() {
        write(BLOCK, 93);
        write(BLOCK + 8, 5);
        write(TOHOST, BLOCK);
        assertFalse(htif.poll(), "the call itself is answered...");
        assertEquals(5L, htif.exitCode(), "...and the exit is recorded");
        assertTrue(htif.poll());
    }

    @Test
    void unknownSyscallIsEnosys() {
        write(BLOCK, 1234);
        write(TOHOST, BLOCK);
        assertFalse(htif.poll());
        assertEquals(-38, read(BLOCK));
        assertEquals(1, read(FROMHOST));
        assertNull(htif.exitCode());
    }

    @Test
    void unknownDeviceOrCommandIsAcknowledgedWithoutEffect() {
        write(TOHOST, command(2, 7, 0x1234));
        assertFalse(htif.poll());
        assertEquals(0, read(TOHOST));
        assertEquals(command(2, 7, 0), read(FROMHOST));
        write(TOHOST, command(1, 0, 0)); // console getchar: not implemented
        assertFalse(htif.poll());
        assertEquals(0, read(TOHOST));
        assertEquals(command(1, 0, 0), read(FROMHOST));
        assertEquals(0, console.size());
        assertNull(htif.exitCode());
    }

    @Test
    void hostWritesToACodePageInvalidateDecodedCode() {
        final int page = (int) ((TOHOST - BASE) >>> Ram.PAGE_SHIFT);
        ram.setPageFlags(page, Ram.CODE);
        write(TOHOST, command(1, 1, 'q'));
        htif.poll();
        assertEquals(0, ram.pageFlags(page) & Ram.CODE, "the page is no longer marked as decoded code");
    }

    @Test
    void flushFlushesTheConsole() {
        final int before = console.flushes;
        htif.flush();
        assertEquals(before + 1, console.flushes);
    }
}
