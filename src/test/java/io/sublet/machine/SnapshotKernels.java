package io.sublet.machine;

import io.sublet.cpu.Asm;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** Tiny Linux-Image-shaped kernels for snapshot tests: deterministic programs that leave traces in RAM and on the UART. */
final class SnapshotKernels {
    static final long TEXT = 0x8020_0000L;
    /** Where the counter program keeps its count. */
    static final long COUNTER = 0x8030_0000L;

    private SnapshotKernels() { }

    /**
     * Counts forever: stores the count at {@link #COUNTER}, increments a word in each of 64 pages above it,
     * and prints a letter to the UART every 1024 iterations, so RAM, registers and the UART all move.
     */
    static Path counter(Path dir) throws IOException {
        final Asm a = new Asm(TEXT + 64);
        final Asm.Label loop = a.label();
        final Asm.Label quiet = a.label();
        a.li(Asm.S0, 0x1000_0000L);
        a.li(Asm.S1, COUNTER);
        a.li(Asm.T0, 0);
        a.li(Asm.A2, 0);
        a.bind(loop);
        a.addi(Asm.T0, Asm.T0, 1);
        a.sd(Asm.T0, Asm.S1, 0);
        a.andi(Asm.T1, Asm.T0, 63);
        a.slli(Asm.T1, Asm.T1, 12);
        a.add(Asm.T1, Asm.T1, Asm.S1);
        a.ld(Asm.T2, Asm.T1, 8);
        a.addi(Asm.T2, Asm.T2, 1);
        a.sd(Asm.T2, Asm.T1, 8);
        a.andi(Asm.T1, Asm.T0, 1023);
        a.bne(Asm.T1, Asm.ZERO, quiet);
        a.addi(Asm.A2, Asm.A2, 1);
        a.andi(Asm.A3, Asm.A2, 15);
        a.addi(Asm.A0, Asm.A3, 'A');
        a.sb(Asm.A0, Asm.S0, 0);
        a.bind(quiet);
        a.j(loop);
        return image(dir.resolve("counter-Image"), a.bytes());
    }

    /** Wraps code (placed 64 bytes in, after the header) in a RISC-V Linux Image header. */
    static Path image(Path file, byte[] code) throws IOException {
        final ByteBuffer b = ByteBuffer.allocate(64 + code.length + 4096 & ~4095).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, 0x0400006f); // jal zero, +64: over the header
        b.putLong(8, 0x200000);
        b.putLong(16, b.capacity());
        b.putLong(48, 0x5643534952L);
        b.putInt(56, 0x05435352);
        b.put(64, code);
        return Files.write(file, b.array());
    }
}
