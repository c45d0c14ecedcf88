package io.sublet.cli;

import static io.sublet.cli.ConsoleGuest.COMMAND;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A guest floods its console while nobody reads Sublet's stdout (a pipe into a pager that is not
 * scrolled): the host's terminal does not drain, and Sublet must still stop at once when told, by
 * {@code Ctrl-A x}, SIGTERM or SIGINT, on the serial console and on the virtio console. Each case is its
 * own boot, since each ends the process.
 */
class RunFloodStopTest {
    private static final String LINE = "flood-0123456789-0123456789-0123456789-0123456789";

    static Stream<Arguments> cases() {
        return Stream.of("ttyS0", "hvc0").flatMap(console -> Stream.of(
                Arguments.of(console, "Ctrl-A x", 0), Arguments.of(console, "SIGTERM", 143),
                Arguments.of(console, "SIGINT", 130)));
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("cases")
    void aGuestFloodingAConsoleNobodyReadsStillStops(final String console, final String how, final int expected)
            throws Exception {
        if (how.equals("SIGINT")) {
            assumeSigintCanBeCaught();
        }
        try (SubletProcess guest = ConsoleGuest.boot("--append", "console=" + console + " earlycon=sbi panic=-1")) {
            guest.type("yes " + LINE + "\n");
            guest.waitFor(LINE + "\r\n" + LINE + "\r\n" + LINE, COMMAND);
            guest.stopReading();
            Thread.sleep(2000); // the stdout pipe and then Sublet's console buffer fill up; the guest waits
            final long asked = System.nanoTime();
            switch (how) {
                case "Ctrl-A x" -> guest.send(ConsoleGuest.CTRL_A_X, Duration.ofSeconds(10));
                case "SIGTERM" -> guest.signal("TERM");
                default -> guest.signal("INT");
            }
            final int status = guest.waitForExit(ConsoleGuest.STOP);
            System.out.printf("RunFloodStopTest: %s, %s with stdout not drained: exit %d after %d ms%n", console, how,
                    status, (System.nanoTime() - asked) / 1_000_000);
            assertEquals(expected, status, guest.stderr());
        }
    }

    /** A signal ignored when the JVM started stays ignored, and a child inherits that (nohup, some CI shells). */
    private static void assumeSigintCanBeCaught() throws IOException {
        final Path status = Path.of("/proc/self/status");
        if (!Files.isReadable(status)) {
            return;
        }
        final Matcher m = Pattern.compile("(?m)^SigIgn:\\s*([0-9a-f]+)$").matcher(Files.readString(status));
        if (m.find()) {
            Assumptions.assumeTrue((Long.parseUnsignedLong(m.group(1), 16) & 1L << 1) == 0,
                    "SIGINT is ignored in this test's environment and Sublet would inherit that");
        }
    }
}
