package io.sublet.machine;

import io.sublet.cpu.Cause;
import io.sublet.cpu.Hart;
import io.sublet.cpu.Priv;
import io.sublet.isa.Decoder;
import io.sublet.isa.Disassembler;
import io.sublet.isa.Insn;
import java.io.PrintWriter;

/**
 * Writes one line per executed instruction: privilege, pc, raw bits, disassembly, and every register
 * the instruction changed; and one line per trap taken. Used with a budget of one instruction per
 * step, so it is slow by design and never on the normal path.
 */
public final class Tracer {
    private static final String[] ABI = {
        "zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0", "a1", "a2", "a3", "a4", "a5",
        "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
    };

    private final PrintWriter out;
    private final long[] before = new long[32];

    public Tracer(PrintWriter out) {
        this.out = out;
    }

    /**
     * Executes one step on the hart and traces it: a pending interrupt is taken as a step of its own
     * (a trap line, nothing retired); otherwise one instruction runs. Returns the instructions retired.
     */
    public int step(Hart hart) {
        final long pc = hart.pc;
        final int priv = hart.priv();
        if (hart.takePendingInterrupt()) {
            traceTrap(hart, pc, priv);
            return 0;
        }
        final long traps = hart.trapCount();
        System.arraycopy(hart.x, 0, before, 0, 32);
        final String text = peek(hart, pc);
        final int retired = hart.run(1);
        if (retired > 0 || hart.trapCount() == traps) {
            final StringBuilder line = new StringBuilder(96);
            line.append(String.format("%s 0x%016x %s", Priv.name(priv), pc, text));
            for (int r = 1; r < 32; r++) {
                if (hart.x[r] != before[r]) {
                    line.append(String.format("  %s=0x%016x", ABI[r], hart.x[r]));
                }
            }
            out.println(line);
        }
        if (hart.trapCount() != traps) {
            traceTrap(hart, pc, priv);
        }
        return retired;
    }

    private void traceTrap(Hart hart, long pc, int priv) {
        final boolean toM = hart.priv() == Priv.M;
        final long cause = toM ? hart.csrs().mcause() : hart.csrs().scause();
        final long tval = toM ? hart.csrs().mtval() : hart.csrs().stval();
        out.println(String.format("%s 0x%016x trap: %s (cause %d%s), tval 0x%x -> %s mode at 0x%016x",
                Priv.name(priv), pc, Cause.name(cause), cause & 63, cause < 0 ? ", interrupt" : "", tval,
                Priv.name(hart.priv()), hart.pc));
    }

    private static String peek(Hart hart, long pc) {
        try {
            final int bits = hart.mmu().peekInstruction(pc);
            final Insn in = Decoder.decode(bits);
            final String raw = in.length == 2 ? String.format("(0x%04x)    ", bits & 0xffff) : String.format("(0x%08x)", bits);
            return raw + " " + Disassembler.format(in, pc);
        } catch (RuntimeException e) {
            return "(fetch fault)";
        }
    }

    public void flush() {
        out.flush();
    }
}
