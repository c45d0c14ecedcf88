package io.sublet.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sublet.cpu.Asm;
import io.sublet.cpu.Csr;
import io.sublet.cpu.Hart;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The instruction tracer: one line per executed instruction with the registers it wrote, one per trap. */
class TracerTest {
    private static final long BASE = MachineConfig.RAM_BASE;
    private static final long HANDLER = BASE + 0x100;

    private final Machine machine = new Machine(MachineConfig.defaults().withRamSize(1L << 20));
    private final Hart hart = machine.hart();
    private final StringWriter text = new StringWriter();
    private final Tracer tracer = new Tracer(new PrintWriter(text));

    private void load(Asm... blocks) {
        for (Asm a : blocks) {
            a.writeTo(machine.ram());
        }
        machine.code().invalidateAll();
        hart.pc = BASE;
    }

    private List<String> trace(int steps) {
        for (int k = 0; k < steps; k++) {
            tracer.step(hart);
        }
        tracer.flush();
        return List.of(text.toString().split("\n"));
    }

    @Test
    void instructionLineShowsModePcBitsDisassemblyAndWrittenRegisters() {
        final Asm a = new Asm(BASE).addi(Asm.A0, Asm.ZERO, -1).sd(Asm.A0, Asm.SP, 0).addi(Asm.A0, Asm.A0, 0);
        load(a);
        hart.x[Asm.SP] = BASE + 0x800;
        final List<String> lines = trace(3);
        assertEquals(String.format("M 0x%016x (0x%08x) addi\ta0,zero,-1  a0=0xffffffffffffffff", BASE, a.word(0)),
                lines.get(0));
        assertEquals(String.format("M 0x%016x (0x%08x) sd\ta0,0(sp)", BASE + 4, a.word(1)), lines.get(1),
                "a store writes no register");
        assertEquals(String.format("M 0x%016x (0x%08x) addi\ta0,a0,0", BASE + 8, a.word(2)), lines.get(2),
                "a register rewritten with its own value is not listed");
    }

    @Test
    void exceptionIsOneTrapLineAndTheFaultingInstructionIsNotListed() {
        final Asm a = new Asm(BASE);
        a.li(Asm.T0, HANDLER).csrw(Csr.MTVEC, Asm.T0);
        final long ecall = a.pc();
        a.ecall();
        final Asm h = new Asm(HANDLER).addi(Asm.A1, Asm.ZERO, 7).spin();
        load(a, h);
        final List<String> lines = trace((int) ((ecall - BASE) / 4) + 2);
        final String all = String.join("\n", lines);
        final int trap = indexOf(lines, "trap:");
        assertEquals(String.format("M 0x%016x trap: environment call from M-mode (cause 11), tval 0x0 -> M mode at "
                + "0x%016x", ecall, HANDLER), lines.get(trap), all);
        assertFalse(all.contains(String.format("0x%016x (", ecall)), "ecall did not retire:\n" + all);
        assertTrue(lines.get(trap + 1).startsWith(String.format("M 0x%016x ", HANDLER))
                && lines.get(trap + 1).endsWith("a1=0x0000000000000007"), all);
    }

    @Test
    void interruptIsTracedBeforeTheHandlersFirstInstruction() {
        final Asm a = new Asm(BASE);
        a.li(Asm.T0, HANDLER).csrw(Csr.MTVEC, Asm.T0).li(Asm.T0, 1 << 5).csrrs(Asm.ZERO, Csr.MIE, Asm.T0)
                .csrrs(Asm.ZERO, Csr.MIP, Asm.T0).csrrsi(Asm.ZERO, Csr.MSTATUS, 8); // STIP pending and enabled, MIE on
        final long interrupted = a.pc();
        a.addi(Asm.A0, Asm.ZERO, 1);
        final Asm h = new Asm(HANDLER).addi(Asm.A1, Asm.ZERO, 7).spin();
        load(a, h);
        final List<String> lines = trace((int) ((interrupted - BASE) / 4) + 2);
        final String all = String.join("\n", lines);
        final int trap = indexOf(lines, "trap: supervisor timer interrupt");
        assertTrue(trap >= 0, all);
        assertEquals(String.format("M 0x%016x trap: supervisor timer interrupt (cause 5, interrupt), tval 0x0 "
                + "-> M mode at 0x%016x", interrupted, HANDLER), lines.get(trap), all);
        assertFalse(all.contains(String.format("0x%016x (", interrupted)), "the interrupted instruction did not run:\n"
                + all);
        assertTrue(lines.get(trap + 1).startsWith(String.format("M 0x%016x ", HANDLER))
                && lines.get(trap + 1).endsWith("a1=0x0000000000000007"), all);
    }

    private static int indexOf(List<String> lines, String fragment) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(fragment)) {
                return i;
            }
        }
        return -1;
    }
}
