package io.sublet.jit;

import io.sublet.cpu.Asm;
import io.sublet.cpu.Hart;
import io.sublet.machine.EngineKind;
import io.sublet.machine.Machine;
import io.sublet.machine.MachineConfig;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a call and its return cost in translated code: a loop calls a function that only returns, 2,500
 * times per operation, so one operation's time per call is one call plus one return plus three loop
 * instructions. {@code same-page}: the function is in the caller's page (a goto and a jump through the
 * region's dispatch switch); {@code other-page}: in the next page (two region-to-region transfers through
 * the dispatcher); {@code indirect}: called through a register (jalr), in the next page.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-XX:-DontCompileHugeMethods", "-XX:PerMethodTrapLimit=0"}) // as ./sublet runs
public class RegionTransferBenchmark {
    private static final long BASE = MachineConfig.RAM_BASE;
    private static final int CALLS = 2_500;

    @Param({"same-page", "other-page", "indirect"})
    public String shape;

    @Param({"jit", "interp"})
    public String engine;

    private Hart hart;

    @Setup
    public void setUp() {
        final long function = shape.equals("same-page") ? BASE + 0x800 : BASE + 0x1000;
        final Asm caller = new Asm(BASE);
        final Asm.Label loop = caller.label();
        caller.li(Asm.S1, function).li(Asm.T0, Long.MAX_VALUE);
        caller.bind(loop);
        if (shape.equals("indirect")) {
            caller.jalr(Asm.RA, Asm.S1, 0);
        } else {
            callAt(caller, function);
        }
        caller.addi(Asm.T0, Asm.T0, -1).bne(Asm.T0, Asm.ZERO, loop).spin();
        final Asm callee = new Asm(function);
        callee.jalr(Asm.ZERO, Asm.RA, 0);
        final Machine m = new Machine(MachineConfig.defaults().withRamSize(1L << 20));
        caller.writeTo(m.ram());
        callee.writeTo(m.ram());
        m.useEngine(EngineKind.parse(engine), false, 1_000);
        hart = m.hart();
        hart.pc = BASE;
        for (int i = 0; i < 2_000; i++) {
            hart.run(4 * CALLS); // translate both pages and let HotSpot compile them
        }
    }

    /** jal ra, target: the Asm helper takes labels, so bind one at the absolute address by hand. */
    private static void callAt(Asm a, long target) {
        final long off = target - a.pc();
        final int w = 0x6f | Asm.RA << 7 | (int) (((off >> 20) & 1) << 31 | ((off >> 1) & 0x3ff) << 21
                | ((off >> 11) & 1) << 20 | ((off >> 12) & 0xff) << 12);
        a.word32(w);
    }

    @Benchmark
    @OperationsPerInvocation(CALLS)
    public int callAndReturn() {
        return hart.run(4 * CALLS);
    }
}
