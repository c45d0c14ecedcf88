package io.sublet.cli;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sublet.machine.EngineKind;
import io.sublet.machine.StopDeadline;
import io.sublet.machine.VirtConfig;
import io.sublet.machine.VirtMachine;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The monitor's savevm and loadvm, on a machine that is not running (they then act on their job thread at
 * once). The monitor's text goes through the machine's console output, which the test drains.
 */
class MonitorTest {
    @TempDir
    Path dir;

    @Test
    void savevmWritesASnapshotAndLoadvmHandsTheMachineOver() throws Exception {
        final ByteBuffer b = ByteBuffer.allocate(8192).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, 0x10500073); // wfi
        b.putInt(4, 0xffdff06f); // j .-4
        b.putLong(8, 0x200000);
        b.putLong(16, 0x100000);
        b.putLong(48, 0x5643534952L);
        b.putInt(56, 0x05435352);
        final Path kernel = Files.write(dir.resolve("Image"), b.array());
        final ByteArrayOutputStream text = new ByteArrayOutputStream();
        final VirtMachine m = new VirtMachine(new VirtConfig(16L << 20, kernel, null, null, null, null, true), text);
        final Monitor monitor = new Monitor(m, new StopDeadline(m.stop(), 1, TimeUnit.MINUTES, why -> { }));
        final Path file = dir.resolve("m.snap");

        monitor.execute("savevm " + file);
        monitor.awaitJob();
        m.consoleOutput().drain();
        assertTrue(text.toString(StandardCharsets.UTF_8).contains("saved " + file), text.toString());
        assertTrue(Files.size(file) > 0);

        monitor.execute("loadvm " + dir.resolve("missing.snap"));
        monitor.awaitJob();
        m.consoleOutput().drain();
        assertTrue(text.toString(StandardCharsets.UTF_8).contains("no such snapshot file"), text.toString());
        assertNull(m.successor(), "a failed loadvm keeps the machine");

        monitor.execute("loadvm");
        monitor.awaitJob();
        m.consoleOutput().drain();
        assertTrue(text.toString(StandardCharsets.UTF_8).contains("usage: loadvm [-f] FILE"), text.toString());

        monitor.execute("loadvm -f " + file);
        monitor.awaitJob();
        assertNotNull(m.successor());
        m.successor().consoleOutput().drain();
        assertTrue(text.toString(StandardCharsets.UTF_8).contains("restored " + file), text.toString());
    }

    @Test
    void infoJitSaysWhichEngineRunsAndLoadvmKeepsIt() throws Exception {
        final Path kernel = Files.write(dir.resolve("Image"), tinyKernel());
        final ByteArrayOutputStream text = new ByteArrayOutputStream();
        final VirtMachine m = new VirtMachine(new VirtConfig(16L << 20, kernel, null, null, null, null, true), text);
        final Monitor monitor = new Monitor(m, new StopDeadline(m.stop(), 1, TimeUnit.MINUTES, why -> { }));
        monitor.execute("info jit");
        m.consoleOutput().drain();
        assertTrue(text.toString(StandardCharsets.UTF_8).contains("the interpreter runs this machine"), text.toString());

        m.useEngine(EngineKind.JIT);
        monitor.execute("info jit");
        m.consoleOutput().drain();
        assertTrue(text.toString(StandardCharsets.UTF_8).contains("instructions translated"), text.toString());
        final Path file = dir.resolve("j.snap");
        monitor.execute("savevm " + file);
        monitor.awaitJob();
        monitor.execute("loadvm " + file);
        monitor.awaitJob();
        assertNotNull(m.successor());
        assertNotNull(m.successor().engineReport(), "the restored machine runs the translator too");
    }

    /** A Linux Image header around "wfi; j .-4". */
    private static byte[] tinyKernel() {
        final ByteBuffer b = ByteBuffer.allocate(8192).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, 0x10500073);
        b.putInt(4, 0xffdff06f);
        b.putLong(8, 0x200000);
        b.putLong(16, 0x100000);
        b.putLong(48, 0x5643534952L);
        b.putInt(56, 0x05435352);
        return b.array();
    }
}
