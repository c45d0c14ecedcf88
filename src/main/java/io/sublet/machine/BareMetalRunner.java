package io.sublet.machine;

import io.sublet.boot.BadImageException;
import io.sublet.boot.ElfImage;
import io.sublet.boot.ElfLoader;
import io.sublet.cpu.Hart;
import java.io.OutputStream;

/**
 * Runs a bare-metal ELF program that talks to the host through HTIF ({@code tohost}/{@code fromhost}),
 * the convention of the RISC-V test suites: loads it, starts the hart at the entry point in M mode,
 * and runs slices until the program exits, a fatal trap stops the hart, or the instruction limit is
 * reached.
 */
public final class BareMetalRunner {
    /** Instructions per slice between HTIF polls: long enough to be cheap, short enough for a snappy console. */
    static final int SLICE = 1 << 14;

    public enum Status { PASSED, FAILED, LIMIT, FATAL }

    /** How a run ended; {@code exitCode} is the guest's HTIF exit status when it has one. */
    public record Outcome(Status status, long exitCode, long instructions, long nanos, Hart.FatalTrap fatal) {
        public double mips() {
            return nanos == 0 ? 0 : instructions * 1e3 / nanos;
        }
    }

    private final Machine machine;
    private final Htif htif;

    /** Loads {@code elf} into a fresh machine; a program without {@code tohost} runs until the limit. */
    public BareMetalRunner(Machine machine, ElfImage elf, OutputStream console) throws BadImageException {
        this.machine = machine;
        ElfLoader.load(elf, machine.ram());
        machine.code().invalidateAll();
        final Long tohost = elf.symbol("tohost").orElse(null);
        final long fromhost = elf.symbol("fromhost").orElse(-1L);
        if (tohost != null) {
            checkWord(elf, "tohost", tohost);
            if (fromhost != -1) {
                checkWord(elf, "fromhost", fromhost);
            }
            this.htif = new Htif(machine.ram(), machine.code(), tohost, fromhost, console);
            final Htif h = htif;
            machine.ram().watch(tohost, paddr -> h.poll()); // answer console writes at once, not a slice later
        } else {
            this.htif = null;
        }
        machine.hart().pc = elf.entry();
    }

    private void checkWord(ElfImage elf, String name, long addr) throws BadImageException {
        if ((addr & 7) != 0 || !machine.ram().contains(addr, 8)) {
            throw new BadImageException(String.format("%s: symbol %s at 0x%x is not an aligned 8-byte word in RAM",
                    elf.name(), name, addr));
        }
    }

    public boolean hasHtif() {
        return htif != null;
    }

    /**
     * Runs until the guest exits, a fatal trap, or {@code maxInstructions}. Traps count against the
     * limit too, so a handler that faults on its own first instruction cannot spin forever.
     */
    public Outcome run(long maxInstructions, Tracer tracer) {
        final Hart hart = machine.hart();
        final long start = System.nanoTime();
        final long traps0 = hart.trapCount();
        long executed = 0;
        while (executed + (hart.trapCount() - traps0) < maxInstructions) {
            final long left = maxInstructions - executed - (hart.trapCount() - traps0);
            executed += tracer != null ? tracer.step(hart) : hart.run((int) Math.min(SLICE, left));
            if ((htif != null && htif.poll()) || hart.fatal() != null) {
                break;
            }
        }
        if (htif != null) {
            htif.poll();
            htif.flush();
        }
        final long nanos = System.nanoTime() - start;
        if (htif != null && htif.exitCode() != null) {
            final long code = htif.exitCode();
            return new Outcome(code == 0 ? Status.PASSED : Status.FAILED, code, executed, nanos, null);
        }
        if (hart.fatal() != null) {
            return new Outcome(Status.FATAL, -1, executed, nanos, hart.fatal());
        }
        return new Outcome(Status.LIMIT, -1, executed, nanos, null);
    }
}
