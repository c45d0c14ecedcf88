package io.sublet.jit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sublet.cpu.Hart;
import io.sublet.machine.EngineKind;
import io.sublet.machine.Machine;
import io.sublet.machine.MachineConfig;
import io.sublet.mem.Ram;
import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs the same seeded random program ({@link RandomProgram}) under the interpreter and under the translator,
 * in slices of random length, and requires the two harts to agree after every slice: pc, every integer and
 * FP register, fflags, the instruction count, and at the end all of RAM (data written, and the log of every
 * trap with the minstret it saw). The translator translates a page after 32 interpreted instructions, so
 * nearly all of the program runs translated, entering regions in the middle after traps.
 */
class TranslatorDifferentialTest {
    private static final long RAM = 4L << 20;

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25,
        26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40})
    void interpreterAndTranslatorAgree(long seed) {
        final RandomProgram program = new RandomProgram(seed);
        final byte[] code = program.code(120);
        final Machine interp = machine(code, seed, false);
        final Machine jit = machine(code, seed, true);
        final Random slices = new Random(seed * 31);
        long total = 0;
        for (int slice = 0; slice < 100_000 && !(done(interp, program) && done(jit, program)); slice++) {
            final int budget = 1 + slices.nextInt(slices.nextBoolean() ? 50 : 3000);
            final int a = interp.hart().run(budget);
            final int b = jit.hart().run(budget);
            total += a;
            assertEquals(a, b, () -> "seed " + seed + ": retired in one slice");
            compare(seed, interp.hart(), jit.hart());
        }
        assertTrue(done(interp, program), "seed " + seed + ": the program did not finish");
        assertTrue(total > 5_000, "the program ran " + total + " instructions");
        final ByteBuffer a = interp.ram().bytes();
        final ByteBuffer b = jit.ram().bytes();
        assertEquals(-1, a.mismatch(b), () -> String.format("seed %d: RAM differs at 0x%x", seed,
                interp.ram().base() + a.mismatch(b)));
        assertTrue(jit.translatorStats().pages() > 0, "nothing was translated");
    }

    private static boolean done(Machine m, RandomProgram p) {
        return m.hart().pc == p.done();
    }

    private static void compare(long seed, Hart a, Hart b) {
        final long pc = a.pc;
        assertEquals(a.pc, b.pc, () -> String.format("seed %d: pc 0x%x vs 0x%x", seed, pc, b.pc));
        assertArrayEquals(a.x, b.x, () -> String.format("seed %d: x registers at pc 0x%x", seed, pc));
        assertArrayEquals(a.f, b.f, () -> String.format("seed %d: f registers at pc 0x%x", seed, pc));
        assertEquals(a.fpStatus.flags, b.fpStatus.flags, () -> "seed " + seed + ": fflags");
        assertEquals(a.retiredTotal(), b.retiredTotal(), () -> "seed " + seed + ": instructions retired");
        assertEquals(a.priv(), b.priv(), () -> "seed " + seed + ": privilege");
        assertEquals(a.trapCount(), b.trapCount(), () -> "seed " + seed + ": traps taken");
    }

    private static Machine machine(byte[] code, long seed, boolean translate) {
        final Machine m = new Machine(MachineConfig.defaults().withRamSize(RAM));
        final Ram ram = m.ram();
        ram.write(RandomProgram.CODE, code, 0, code.length);
        final byte[] far = RandomProgram.farFunction();
        ram.write(RandomProgram.FAR, far, 0, far.length);
        final byte[] handler = RandomProgram.handler();
        ram.write(RandomProgram.HANDLER, handler, 0, handler.length);
        final Random data = new Random(seed ^ 0x5eed);
        final byte[] bytes = new byte[0x4000];
        data.nextBytes(bytes);
        ram.write(RandomProgram.DATA - 0x2000, bytes, 0, bytes.length);
        final Hart h = m.hart();
        final Random regs = new Random(seed);
        for (int r = 1; r < 32; r++) {
            h.x[r] = regs.nextLong();
            h.f[r] = regs.nextInt(4) == 0 ? Double.doubleToRawLongBits(regs.nextGaussian()) : regs.nextLong();
        }
        h.x[27] = RandomProgram.HANDLER;
        h.x[28] = 0x6000; // mstatus.FS = dirty
        h.x[29] = RandomProgram.LOG;
        h.x[30] = 60;
        h.x[31] = RandomProgram.DATA;
        h.pc = RandomProgram.CODE;
        if (translate) {
            m.useEngine(EngineKind.JIT, true, 32);
        }
        return m;
    }
}
