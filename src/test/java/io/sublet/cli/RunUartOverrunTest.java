package io.sublet.cli;

import static io.sublet.cli.ConsoleGuest.COMMAND;
import static io.sublet.cli.ConsoleGuest.UART_IRQ;
import static io.sublet.cli.ConsoleGuest.mask;
import static io.sublet.cli.ConsoleGuest.number;
import static io.sublet.cli.ConsoleGuest.quoted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sublet.dev.Uart16550;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A guest that stops reading its serial console, under a real {@code sublet run}: it masks the UART's
 * interrupt at the PLIC, so nothing drains the UART. Host input then overruns, as on a real 16550, and
 * the input thread never blocks, so {@code Ctrl-A x} still works. One boot for the class; the quit test
 * runs last.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RunUartOverrunTest {
    /**
     * What a guest that reads nothing holds: the host queue, plus what the receive FIFO took from it before
     * the rest arrived (0 to 16 bytes: input arrives at once, the FIFO fills between execution slices).
     */
    static final int QUEUE = Uart16550.DEFAULT_HOST_QUEUE;
    private static SubletProcess guest;

    @BeforeAll
    static void boot() throws Exception {
        guest = ConsoleGuest.boot();
    }

    @AfterAll
    static void close() throws Exception {
        if (guest != null) {
            guest.close();
        }
    }

    /** {@code lines} numbered lines of 16 bytes each: "#00000000000007\n". */
    static byte[] numberedLines(final int lines) {
        final StringBuilder b = new StringBuilder();
        for (int i = 0; i < lines; i++) {
            b.append(String.format("#%014d\n", i));
        }
        return b.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** Runs a monitor command with Ctrl-A c ... Ctrl-A c; returns its output. */
    static String monitor(final SubletProcess p, final String command) throws Exception {
        p.send(new byte[] {EscapeFilter.CTRL_A, 'c'}, Duration.ofSeconds(10));
        p.waitFor("(sublet) ", COMMAND);
        p.type(command + "\r");
        final String out = p.waitFor("(sublet) ", COMMAND);
        p.send(new byte[] {EscapeFilter.CTRL_A, 'c'}, Duration.ofSeconds(10));
        return out;
    }

    @Test
    @Order(1)
    void theGuestSeesTheOverrunAndTheBytesThatFitAndTheMonitorCountsTheRest() throws Exception {
        guest.type("stty -echo; echo " + quoted("QUIET") + "\n");
        guest.waitFor("QUIET", COMMAND);
        assertEquals(0, number(monitor(guest, "info devices"), "overrun"), "nothing lost yet");

        // After the unmask, read whatever arrived: non-canonical, and a read that finds nothing for 2 s ends cat.
        guest.type(mask(UART_IRQ, "MASKED", "sleep 8; devmem " + ConsoleGuest.PLIC_S_ENABLE + " 32 $e;"
                + " stty -icanon min 0 time 20; cat > /tmp/got; stty icanon; echo got $(wc -c < /tmp/got) bytes;"
                + " echo md5 $(md5sum < /tmp/got); echo serial $(grep -o 'oe:[0-9]*' /proc/tty/driver/serial);"
                + " echo " + quoted("UNMASKED")));
        guest.waitFor("MASKED", COMMAND);
        final byte[] input = numberedLines(1024); // 16 KiB while the guest reads nothing
        guest.send(input, COMMAND);
        final long dropped = number(monitor(guest, "info devices"), "overrun");

        final String report = guest.waitFor("UNMASKED", COMMAND);
        final int got = (int) number(report, "got");
        assertTrue(got >= QUEUE && got <= QUEUE + Uart16550.FIFO_SIZE, "the guest read what fit: " + got
                + " bytes:\n" + report);
        assertEquals(input.length - got, dropped, "every byte that did not fit was dropped and counted");
        assertTrue(report.contains("md5 " + md5(input, got)), "the first bytes that arrived, none lost between:\n"
                + report);
        assertTrue(number(report, "serial oe:") >= 1, "Linux saw LSR.OE and counted an overrun:\n" + report);
        guest.type("stty echo\n");
        System.out.printf("RunUartOverrunTest: 16384 bytes to a guest that read nothing: it got the first %d,"
                + " %d dropped, Linux counted oe:%d%n", got, dropped, number(report, "serial oe:"));
    }

    private static String md5(final byte[] data, final int length) throws Exception {
        final byte[] d = MessageDigest.getInstance("MD5").digest(Arrays.copyOf(data, length));
        final StringBuilder hex = new StringBuilder();
        for (byte b : d) {
            hex.append(String.format("%02x", b & 0xff));
        }
        return hex.toString();
    }

    @Test
    @Order(2)
    void aMegabyteForAGuestThatNeverReadsThenCtrlAxQuits() throws Exception {
        guest.type(mask(UART_IRQ, "MASKED-FOR-GOOD", "true"));
        guest.waitFor("MASKED-FOR-GOOD", COMMAND);
        guest.send(new byte[1 << 20], COMMAND); // the old input thread blocked here, after 4 KiB
        final long asked = System.nanoTime();
        guest.send(ConsoleGuest.CTRL_A_X, Duration.ofSeconds(10));
        final int status = guest.waitForExit(ConsoleGuest.STOP);
        System.out.printf("RunUartOverrunTest: Ctrl-A x after 1 MiB of unread input: exit %d after %d ms%n", status,
                (System.nanoTime() - asked) / 1_000_000);
        assertEquals(0, status, guest.stderr());
        assertTrue(guest.stderr().contains("quit from the console"), guest.stderr());
    }
}
