package io.sublet.vmm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CpuLimitsTest {
    @Test
    void weightsMapToTheNiceLevelOfTheSameSchedulerWeight() {
        assertEquals(0, CpuLimits.niceFor(100));
        assertEquals(-20, CpuLimits.niceFor(10000)); // clamped: nice -20 is CFS weight 88761, cpu.weight ~8700
        assertEquals(19, CpuLimits.niceFor(1));
        assertEquals(-3, CpuLimits.niceFor(200)); // 1.25^3 = 1.95
        assertEquals(3, CpuLimits.niceFor(50));
    }
}
