package io.sublet.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sublet.boot.BadImageException;
import io.sublet.boot.ElfImage;
import io.sublet.boot.ElfWriter;
import io.sublet.cpu.Asm;
import io.sublet.cpu.Cause;
import io.sublet.cpu.Csr;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Loading and running a bare-metal HTIF program to its outcome: pass, fail, limit or an unhandled trap. */
class BareMetalRunnerTest {
    private final Machine machine = new Machine(MachineConfig.defaults().withRamSize(1L << 20));
    private final ByteArrayOutputStream console = new ByteArrayOutputStream();

    private BareMetalRunner runner(ElfWriter w) throws BadImageException {
        return new BareMetalRunner(machine, ElfImage.parse("t.elf", w.build()), console);
    }

    @Test
    void exitZeroPasses() throws BadImageException {
        final BareMetalRunner r = runner(TestPrograms.elf(TestPrograms.exit(TestPrograms.code(), 0)));
        assertTrue(r.hasHtif());
        final BareMetalRunner.Outcome o = r.run(1_000_000, null);
        assertEquals(BareMetalRunner.Status.PASSED, o.status());
        assertEquals(0, o.exitCode());
        assertNull(o.fatal());
        assertTrue(o.instructions() > 0 && o.instructions() < 1_000_000);
    }

    @Test
    void nonZeroExitFailsWithTheTestNumber() throws BadImageException {
        final BareMetalRunner.Outcome o = runner(TestPrograms.elf(TestPrograms.exit(TestPrograms.code(), 3)))
                .run(1_000_000, null);
        assertEquals(BareMetalRunner.Status.FAILED, o.status());
        assertEquals(3, o.exitCode());
    }

    @Test
    void consoleOutputReachesTheStream() throws BadImageException {
        final Asm a = TestPrograms.print(TestPrograms.code(), "hi\n");
        TestPrograms.exit(a, 0);
        assertEquals(BareMetalRunner.Status.PASSED, runner(TestPrograms.elf(a)).run(1_000_000, null).status());
        assertEquals("hi\n", console.toString(StandardCharsets.UTF_8));
    }

    @Test
    void instructionLimitStopsAProgramThatNeverExits() throws BadImageException {
        final BareMetalRunner.Outcome o = runner(TestPrograms.elf(TestPrograms.code().spin())).run(5000, null);
        assertEquals(BareMetalRunner.Status.LIMIT, o.status());
        assertEquals(5000, o.instructions());
    }

    @Test
    void unhandledTrapIsFatal() throws BadImageException {
        final Asm a = TestPrograms.code().nop().word32(0);
        final BareMetalRunner.Outcome o = runner(TestPrograms.elf(a)).run(1_000_000, null);
        assertEquals(BareMetalRunner.Status.FATAL, o.status());
        assertNotNull(o.fatal());
        assertEquals(Cause.ILLEGAL_INSTRUCTION, o.fatal().cause());
        assertEquals(TestPrograms.ENTRY + 4, o.fatal().pc());
    }

    @Test
    void trapsCountAgainstTheLimitSoAFaultingHandlerCannotHang() throws BadImageException {
        final Asm a = TestPrograms.code();
        a.li(Asm.T0, TestPrograms.ENTRY + 0x100).csrw(Csr.MTVEC, Asm.T0).word32(0);
        while (a.pc() < TestPrograms.ENTRY + 0x100) {
            a.nop();
        }
        a.word32(0); // the handler's first instruction is illegal too
        final BareMetalRunner.Outcome o = runner(TestPrograms.elf(a)).run(1000, null);
        assertEquals(BareMetalRunner.Status.LIMIT, o.status());
        assertTrue(machine.hart().trapCount() > 900, "the limit was spent on traps");
    }

    @Test
    void programWithoutTohostRunsToTheLimit() throws BadImageException {
        final BareMetalRunner r = runner(TestPrograms.elfWithoutHtif(TestPrograms.code().spin()));
        assertFalse(r.hasHtif());
        assertEquals(BareMetalRunner.Status.LIMIT, r.run(100, null).status());
    }

    @Test
    void startsAtTheEntryPoint() throws BadImageException {
        final Asm a = TestPrograms.code();
        TestPrograms.exit(a, 9); // at the start of the code: not the entry
        final long entry = a.pc();
        TestPrograms.exit(a, 0);
        final ElfWriter w = TestPrograms.elf(a).entry(entry);
        assertEquals(BareMetalRunner.Status.PASSED, runner(w).run(1_000_000, null).status());
    }

    @Test
    void secondProgramInTheSameMachineRunsItsOwnCode() throws BadImageException {
        assertEquals(BareMetalRunner.Status.FAILED,
                runner(TestPrograms.elf(TestPrograms.exit(TestPrograms.code(), 5))).run(1_000_000, null).status());
        machine.hart().pc = 0;
        final BareMetalRunner.Outcome o = runner(TestPrograms.elf(TestPrograms.exit(TestPrograms.code(), 0)))
                .run(1_000_000, null);
        assertEquals(BareMetalRunner.Status.PASSED, o.status(), "stale decoded instructions of the first program");
    }

    @Test
    void tohostMustBeAnAlignedWordInRam() {
        final Asm a = TestPrograms.exit(TestPrograms.code(), 0);
        BadImageException e = assertThrows(BadImageException.class,
                () -> runner(TestPrograms.elf(a).symbol("tohost", TestPrograms.TOHOST + 4)));
        assertTrue(e.getMessage().contains("symbol tohost at 0x80002004 is not an aligned 8-byte word in RAM"),
                e.getMessage());
        e = assertThrows(BadImageException.class, () -> runner(TestPrograms.elf(a).symbol("tohost", 0x1000)));
        assertTrue(e.getMessage().contains("tohost at 0x1000"), e.getMessage());
        e = assertThrows(BadImageException.class,
                () -> runner(TestPrograms.elf(a).symbol("fromhost", TestPrograms.FROMHOST + 1)));
        assertTrue(e.getMessage().contains("symbol fromhost at 0x80002009"), e.getMessage());
    }

    @Test
    void tracerGetsOneLinePerInstruction() throws BadImageException {
        final java.io.StringWriter text = new java.io.StringWriter();
        final Tracer tracer = new Tracer(new java.io.PrintWriter(text));
        final BareMetalRunner.Outcome o = runner(TestPrograms.elf(TestPrograms.exit(TestPrograms.code(), 0)))
                .run(1_000_000, tracer);
        tracer.flush();
        assertEquals(BareMetalRunner.Status.PASSED, o.status());
        final String[] lines = text.toString().split("\n");
        assertEquals(o.instructions(), lines.length, text.toString());
        assertTrue(lines[0].startsWith("M 0x0000000080000000 "), lines[0]);
    }
}
