package io.sublet.machine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sublet.boot.BootRom;
import io.sublet.cpu.Priv;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VirtMachineTest {
    @TempDir
    Path dir;

    /** A kernel whose first instructions are {@code wfi; j .-4}: it idles forever in S mode. */
    private Path idleKernel() throws IOException {
        final ByteBuffer b = ByteBuffer.allocate(8192).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, 0x10500073); // wfi (overwrites code0: this Image's "code" is the wfi loop)
        b.putInt(4, 0xffdff06f); // jal zero, -4
        b.putLong(8, 0x200000);
        b.putLong(16, 0x100000);
        b.putLong(48, 0x5643534952L);
        b.putInt(56, 0x05435352);
        return Files.write(dir.resolve("Image"), b.array());
    }

    @Test
    void theBootRomEntersTheKernelInSupervisorModeWithHartIdAndDeviceTree() throws Exception {
        final Path dtbOut = dir.resolve("virt.dtb");
        final VirtMachine m = new VirtMachine(new VirtConfig(64L << 20, idleKernel(), null, null, null, dtbOut, true),
                new ByteArrayOutputStream());
        assertEquals(BootRom.BASE, m.hart().pc);
        for (int i = 0; i < 64 && m.hart().pc != 0x8020_0000L; i++) {
            m.hart().run(1);
        }
        assertEquals(0x8020_0000L, m.hart().pc, "the ROM jumps to RAM base + text_offset");
        assertEquals(Priv.S, m.hart().priv());
        assertEquals(0, m.hart().x[10], "a0 = hartid");
        final byte[] dtb = Files.readAllBytes(dtbOut);
        assertArrayEquals(m.deviceTree(), dtb, "--dtb-out writes the tree the guest gets");
        assertEquals(0xd00dfeed, ByteBuffer.wrap(dtb).getInt(0));
        assertTrue(m.hart().x[11] > 0x8000_0000L, "a1 points at the device tree in RAM");
    }

    @Test
    void aWedgedGuestCanAlwaysBeStopped() throws Exception {
        final VirtMachine m = new VirtMachine(new VirtConfig(64L << 20, idleKernel(), null, null, null, null, false),
                new ByteArrayOutputStream());
        final Thread t = new Thread(m::run);
        t.start();
        m.requestStop(ExitReason.quit());
        t.join(60_000);
        assertTrue(!t.isAlive(), "the run loop ended after requestStop");
    }
}
