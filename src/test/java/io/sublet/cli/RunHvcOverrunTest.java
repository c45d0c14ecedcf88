package io.sublet.cli;

import static io.sublet.cli.ConsoleGuest.COMMAND;
import static io.sublet.cli.ConsoleGuest.VIRTIO_CONSOLE_IRQ;
import static io.sublet.cli.ConsoleGuest.mask;
import static io.sublet.cli.ConsoleGuest.number;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The same for the virtio console ({@code console=hvc0}): the guest masks the console's interrupt, so it
 * takes no input; what the bound cannot hold is dropped and counted, and {@code Ctrl-A x} quits.
 */
class RunHvcOverrunTest {
    @Test
    void aMegabyteForAGuestThatNeverReadsIsCountedThenCtrlAxQuits() throws Exception {
        try (SubletProcess guest = ConsoleGuest.boot("--append", "console=hvc0 earlycon=sbi panic=-1")) {
            guest.type(mask(VIRTIO_CONSOLE_IRQ, "MASKED", "true"));
            guest.waitFor("MASKED", COMMAND);
            final int input = 1 << 20;
            guest.send(new byte[input], COMMAND); // the old input thread blocked here
            final String devices = RunUartOverrunTest.monitor(guest, "info devices");
            final String line = devices.lines().filter(l -> l.contains("VirtioConsole")).findFirst()
                    .orElseThrow(() -> new AssertionError("no virtio console in:\n" + devices));
            final long dropped = number(line, "input dropped");
            assertTrue(dropped > 0 && dropped < input, "beyond the guest's receive buffers and the bound: " + line);

            final long asked = System.nanoTime();
            guest.send(ConsoleGuest.CTRL_A_X, Duration.ofSeconds(10));
            final int status = guest.waitForExit(ConsoleGuest.STOP);
            System.out.printf("RunHvcOverrunTest: Ctrl-A x after 1 MiB of unread input: exit %d after %d ms"
                    + " (%d bytes dropped)%n", status, (System.nanoTime() - asked) / 1_000_000, dropped);
            assertEquals(0, status, guest.stderr());
        }
    }
}
