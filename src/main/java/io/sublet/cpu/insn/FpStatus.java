package io.sublet.cpu.insn;

/**
 * The accrued exception flags (fflags) that FP semantics methods add to. One instance per hart, owned by its
 * thread; a method only ever ORs bits in, so a caller can test "did this instruction raise anything" by comparing
 * the value before and after.
 */
public final class FpStatus {
    /** {@link FpFlags} bits, 0..31. */
    public int flags;
}
