package io.sublet.cli;

import io.sublet.boot.image.DebianImage;
import io.sublet.boot.image.ImageException;
import io.sublet.boot.image.Progress;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;

/** The Debian guest under a real {@code sublet run} process, at its shell prompt, for the console stop tests. */
final class ConsoleGuest {
    static final Duration BOOT = Duration.ofMinutes(5);
    static final Duration COMMAND = Duration.ofMinutes(1);
    /** The bound the tests check, generously: the promise is one second. */
    static final Duration STOP = Duration.ofSeconds(5);
    /** PLIC enable word 0 of context 1 (hart 0, S mode): bit n enables source n (VirtDeviceTree, Plic). */
    static final String PLIC_S_ENABLE = "0x0c002080";
    static final int UART_IRQ = 10;
    /** With no disks the virtio console takes the top slot, 7, whose interrupt is 1 + 7. */
    static final int VIRTIO_CONSOLE_IRQ = 8;
    static final byte[] CTRL_A_X = {EscapeFilter.CTRL_A, 'x'};

    private ConsoleGuest() { }

    /** Boots the default guest with {@code extra} options; returns once its shell answers. */
    static SubletProcess boot(final String... extra) throws Exception {
        try {
            DebianImage.ensure(DebianImage.defaultHome(), Progress.SILENT);
        } catch (ImageException e) {
            Assumptions.abort("the Debian image cannot be pulled here (" + e.getMessage() + ")");
        }
        final String[] args = new String[extra.length + 1];
        args[0] = "run";
        System.arraycopy(extra, 0, args, 1, extra.length);
        final SubletProcess p = SubletProcess.start(args);
        try {
            p.waitFor("Run /init as init process", BOOT);
            p.waitFor("# ", BOOT);
            p.type("echo RE''ADY\n"); // the quotes keep the echoed command line from matching
            p.waitFor("READY", COMMAND);
            p.waitFor("# ", COMMAND);
        } catch (Throwable t) {
            p.close();
            throw t;
        }
        return p;
    }

    /**
     * A shell command that masks interrupt {@code irq} at the PLIC for S mode, then says {@code marker}
     * through the kernel log (printk polls the UART, so it gets out while the interrupt is masked) and
     * runs {@code then}.
     */
    static String mask(final int irq, final String marker, final String then) {
        return "e=$(devmem " + PLIC_S_ENABLE + " 32); devmem " + PLIC_S_ENABLE + " 32 $((e & ~" + (1 << irq) + "));"
                + " echo " + quoted(marker) + " > /dev/kmsg; " + then + "\n";
    }

    /** {@code word} as the shell should print it, written so that the echoed command line does not contain it. */
    static String quoted(final String word) {
        return word.charAt(0) + "''" + word.substring(1);
    }

    /** Parses the number after {@code label} in {@code text}; fails when it is missing. */
    static long number(final String text, final String label) {
        final java.util.regex.Matcher m = java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(label)
                + "\\s*(\\d+)").matcher(text);
        if (!m.find()) {
            throw new AssertionError("no \"" + label + " N\" in:\n" + text);
        }
        return Long.parseLong(m.group(1));
    }
}
