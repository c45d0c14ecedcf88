package io.sublet.cpu;

/**
 * An execution engine of one hart: the {@link Interpreter}, or a translator's dispatcher that runs
 * translated code and falls back to the interpreter for the rest. {@link Hart#run} calls it between its
 * interrupt checks.
 */
public interface Engine {
    /**
     * Runs up to {@code budget} instructions from {@code hart.pc} and returns how many retired (already
     * credited to the hart's counters). Returns early after anything that may change interrupt or
     * translation state (CSR writes, xRET, fences, WFI, a trap), so the caller re-checks interrupts.
     */
    int execute(int budget);
}
