package io.sublet.machine;

import io.sublet.cpu.CodeCache;
import io.sublet.cpu.Hart;
import io.sublet.mem.Bus;
import io.sublet.mem.Ram;

/** A built machine: RAM, the bus, the shared decoded-code cache and the harts. */
public final class Machine {
    private final MachineConfig config;
    private final Ram ram;
    private final Bus bus;
    private final CodeCache code;
    private final Hart hart;

    public Machine(MachineConfig config) {
        this.config = config.validate();
        this.ram = new Ram(MachineConfig.RAM_BASE, config.ramSize());
        this.bus = new Bus(ram);
        this.code = new CodeCache(ram);
        this.hart = new Hart(0, bus, code);
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
