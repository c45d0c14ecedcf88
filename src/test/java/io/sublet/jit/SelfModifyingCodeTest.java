package io.sublet.jit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sublet.cpu.Asm;
import io.sublet.cpu.Hart;
import io.sublet.machine.EngineKind;
import io.sublet.machine.Machine;
import io.sublet.machine.MachineConfig;
import io.sublet.mem.Ram;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A guest that rewrites its own hot loop: 50 rounds of a loop adding 1, then the loop's instruction is
 * overwritten with one adding 2, then 50 more rounds. By the time of the rewrite the loop runs translated,
 * and the store comes from the translated code of the same page, so that code must stop right after the
 * store and the page's translation must go. With and without fence.i (Sublet sees stores to code at once
 * either way), and with the rewrite done by the host between slices, as a DMA or a loader would.
 */
class SelfModifyingCodeTest {
    private static final long BASE = MachineConfig.RAM_BASE;
    private static final int T4 = 29;
    private static final int T5 = 30;
    private static final long EXPECTED = 50 * 1000 * 1 + 50 * 1000 * 2;

    @ParameterizedTest
    @CsvSource({"interp,guest,false", "jit,guest,false", "interp,guest,true", "jit,guest,true", "interp,host,false",
        "jit,host,false"})
    void aRewrittenLoopRunsItsNewCode(String engine, String writer, boolean fenceI) {
        final int newWord = new Asm(0).addi(Asm.A0, Asm.A0, 2).word(0);
        final Asm a = new Asm(BASE);
        final Asm.Label outer = a.label();
        final Asm.Label inner = a.label();
        final Asm.Label skip = a.label();
        final long handler = BASE + 0x800;
        a.li(Asm.T3, handler).csrw(0x305, Asm.T3); // mtvec
        a.li(Asm.A0, 0).li(Asm.T0, 0).li(Asm.A1, newWord).auipc(Asm.S0, 0); // s0 = this address
        final long auipcAt = a.pc() - 4;
        a.bind(outer).li(Asm.T1, 1000);
        a.bind(inner);
        final long patchAt = a.pc();
        a.addi(Asm.A0, Asm.A0, 1).addi(Asm.T1, Asm.T1, -1).bne(Asm.T1, Asm.ZERO, inner);
        a.addi(Asm.T0, Asm.T0, 1).li(Asm.T2, 50).bne(Asm.T0, Asm.T2, skip);
        if (writer.equals("guest")) {
            a.sw(Asm.A1, Asm.S0, patchAt - auipcAt);
        } else {
            a.ebreak(); // the host patches the loop while the hart stops here
        }
        if (fenceI) {
            a.fenceI();
        }
        a.bind(skip).li(Asm.T2, 100).bne(Asm.T0, Asm.T2, outer);
        final long done = a.pc();
        a.spin();
        // the ebreak lands in a handler that waits for the host's flag, then returns after the ebreak
        final long flag = BASE + 0xc00;
        final Asm h = new Asm(handler);
        final Asm.Label wait = h.label();
        h.csrr(Asm.T3, 0x341).addi(Asm.T3, Asm.T3, 4).csrw(0x341, Asm.T3).li(T4, flag);
        h.bind(wait).lw(T5, T4, 0).beq(T5, Asm.ZERO, wait).mret();

        final Machine m = new Machine(MachineConfig.defaults().withRamSize(1L << 20));
        a.writeTo(m.ram());
        h.writeTo(m.ram());
        m.useEngine(EngineKind.parse(engine), true, 64);
        final Hart hart = m.hart();
        hart.pc = BASE;
        for (int i = 0; i < 10_000 && hart.pc != done; i++) {
            hart.run(1000);
            if (writer.equals("host") && hart.csrs().mcause() == 3 && m.ram().load((int) (flag - BASE), 4) == 0) {
                patchFromHost(m, patchAt, newWord);
                m.ram().store((int) (flag - BASE), 4, 1);
            }
        }
        assertEquals(done, hart.pc, "the program finished");
        assertEquals(EXPECTED, hart.x[Asm.A0], "the loop ran its new instruction after the rewrite");
        if (engine.equals("jit")) {
            assertTrue(m.translatorStats().pages() >= 2, "the loop was translated, and again after the rewrite: "
                    + m.translatorStats().describe());
        }
    }

    /** As a device DMA or a loader writes RAM: drop the page's code first, then write. */
    private static void patchFromHost(Machine m, long at, int word) {
        m.code().invalidate((int) ((at - BASE) >>> Ram.PAGE_SHIFT));
        m.ram().store((int) (at - BASE), 4, word);
    }
}
