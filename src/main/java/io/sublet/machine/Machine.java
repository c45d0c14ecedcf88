package io.sublet.machine;

import io.sublet.cpu.CodeCache;
import io.sublet.cpu.Hart;
import io.sublet.jit.JitEngine;
import io.sublet.jit.Translator;
import io.sublet.mem.Bus;
import io.sublet.mem.Ram;

/** A built machine: RAM, the bus, the shared decoded-code cache and the harts. */
public final class Machine {
    private final MachineConfig config;
    private final Ram ram;
    private final Bus bus;
    private final CodeCache code;
    private final Hart hart;
    private Translator translator;
    private JitEngine jit;

    public Machine(MachineConfig config) {
        this.config = config.validate();
        this.ram = new Ram(MachineConfig.RAM_BASE, config.ramSize());
        this.bus = new Bus(ram);
        this.code = new CodeCache(ram);
        this.hart = new Hart(0, bus, code);
    }

    /**
     * Selects the engine. {@code exact} makes the translator retire exactly the instructions the interpreter
     * would in each slice (for instruction limits) and translate synchronously (the same run every time).
     */
    public void useEngine(EngineKind kind, boolean exact) {
        useEngine(kind, exact, Translator.DEFAULT_HOT);
    }

    /** As {@link #useEngine(EngineKind, boolean)}, translating a page after {@code hot} interpreted instructions. */
    public void useEngine(EngineKind kind, boolean exact, int hot) {
        if (kind == EngineKind.JIT) {
            translator = new Translator(code, exact, hot);
            jit = new JitEngine(hart, code, translator, exact);
            hart.setEngine(jit);
        } else {
            translator = null;
            jit = null;
            hart.setEngine(null);
        }
    }

    /** The translator's figures, or null under the interpreter. */
    public Translator.Stats translatorStats() {
        return translator == null ? null : translator.stats();
    }

    /** How much of the run was translated, or null under the interpreter. */
    public String engineReport() {
        return jit == null ? null : jit.describe() + "; " + translator.stats().describe();
    }

    public MachineConfig config() {
        return config;
    }

    public Ram ram() {
        return ram;
    }

    public Bus bus() {
        return bus;
    }

    public CodeCache code() {
        return code;
    }

    public Hart hart() {
        return hart;
    }
}
