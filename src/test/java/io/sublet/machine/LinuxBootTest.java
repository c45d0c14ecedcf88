package io.sublet.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sublet.boot.image.DebianImage;
import io.sublet.boot.image.GuestImage;
import io.sublet.boot.image.ImageException;
import io.sublet.boot.image.Progress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Boots Debian's stock riscv64 kernel with Sublet's busybox initramfs on the virt board and talks to
 * it through the serial console, as a user would. The image is pulled from Debian's archive into the
 * cache on first use (the cache survives between runs on one machine). Deadlines guard against hangs;
 * they are not speed checks.
 */
class LinuxBootTest {
    private static final Duration BOOT = Duration.ofMinutes(5);
    private static final Duration COMMAND = Duration.ofMinutes(1);

    private static GuestImage image() {
        try {
            return DebianImage.ensure(DebianImage.defaultHome(), Progress.SILENT);
        } catch (ImageException e) {
            Assumptions.abort("the Debian image cannot be pulled here (" + e.getMessage() + ")");
            return null;
        }
    }

    /** Under both engines: the translator must boot exactly what the interpreter boots. */
    @ParameterizedTest
    @EnumSource(EngineKind.class)
    void debianBootsToAShellThatAnswersAndPowersOff(EngineKind engine) throws Exception {
        final GuestImage image = image();
        final GuestConsole console = new GuestConsole();
        final VirtMachine machine = new VirtMachine(
                new VirtConfig(512L << 20, image.kernel(), image.initrd(), null, null, null, false), console);
        machine.useEngine(engine);
        final AtomicReference<ExitReason> exit = new AtomicReference<>();
        final Thread runner = new Thread(() -> exit.set(machine.run()), "linux-boot-test");
        runner.start();
        try {
            console.waitFor("Run /init as init process", BOOT);
            console.waitFor("# ", BOOT);

            type(machine, "uname -m\n");
            console.waitFor("uname -m", COMMAND);
            assertTrue(console.waitFor("# ", COMMAND).contains("riscv64"));

            type(machine, "cat /proc/cpuinfo\n");
            final String cpuinfo = console.waitFor("# ", COMMAND);
            assertTrue(cpuinfo.matches("(?s).*isa\\s+: rv64imafdc.*"), cpuinfo);
            assertTrue(cpuinfo.matches("(?s).*mmu\\s+: sv57.*"), cpuinfo);

            // Reading the clock from user space: busybox's time applet calls clock_gettime, which the
            // vDSO answers with rdtime in U mode (allowed only when scounteren.TM is set).
            type(machine, "time true; echo CLOCK-$((6*7))\n");
            final String timed = console.waitFor("CLOCK-42", COMMAND);
            assertTrue(timed.contains("real") && !timed.contains("Illegal instruction"), timed);
            console.waitFor("# ", COMMAND);

            type(machine, "cat /proc/interrupts\n");
            final String first = console.waitFor("# ", COMMAND);
            final long uart1 = count(first, "ttyS0");
            final long timer1 = count(first, "riscv-timer");
            assertTrue(uart1 > 0, "the UART interrupt has fired:\n" + first);
            assertTrue(timer1 > 0, "the timer interrupt has fired:\n" + first);
            type(machine, "sleep 1; cat /proc/interrupts\n");
            final String second = console.waitFor("# ", COMMAND);
            assertTrue(count(second, "riscv-timer") > timer1, "the timer keeps counting:\n" + second);
            assertTrue(count(second, "ttyS0") > uart1, "console traffic raises UART interrupts:\n" + second);

            type(machine, "poweroff\n");
            runner.join(COMMAND.toMillis());
            assertEquals(ExitReason.Kind.POWER_OFF, exit.get() == null ? null : exit.get().kind(), console.transcript());
            assertEquals(0, exit.get().status());
        } finally {
            machine.requestStop(ExitReason.quit());
            runner.join();
        }
    }

    private static void type(VirtMachine machine, String text) throws InterruptedException {
        machine.uart().receive(text.getBytes(StandardCharsets.US_ASCII));
    }

    /** The CPU0 count of the /proc/interrupts line naming {@code what}. */
    private static long count(String interrupts, String what) {
        final Matcher m = Pattern.compile("(?m)^\\s*\\S+:\\s+(\\d+)\\s.*" + Pattern.quote(what) + "\\s*$").matcher(interrupts);
        if (!m.find()) {
            throw new AssertionError("no " + what + " line in:\n" + interrupts);
        }
        return Long.parseLong(m.group(1));
    }
}
