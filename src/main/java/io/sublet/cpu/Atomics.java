package io.sublet.cpu;

import io.sublet.cpu.insn.RvA;
import io.sublet.isa.Opcode;
import io.sublet.mem.Ram;
import java.nio.ByteBuffer;

/**
 * The AMOs on RAM, done with the byte-array view handles' atomic operations so that they stay atomic
 * when several harts share the memory. Returns the old memory value, sign-extended for the .W forms.
 */
final class Atomics {
    private Atomics() { }

    static boolean isWord(Opcode op) {
        switch (op) {
            case AMOSWAP_W: case AMOADD_W: case AMOXOR_W: case AMOAND_W: case AMOOR_W:
            case AMOMIN_W: case AMOMAX_W: case AMOMINU_W: case AMOMAXU_W:
                return true;
            default:
                return false;
        }
    }

    static long amoW(Opcode op, ByteBuffer mem, int i, long operand) {
        final int v = (int) operand;
        switch (op) {
            case AMOSWAP_W: return (int) Ram.LE32.getAndSet(mem, i, v);
            case AMOADD_W: return (int) Ram.LE32.getAndAdd(mem, i, v);
            case AMOXOR_W: return (int) Ram.LE32.getAndBitwiseXor(mem, i, v);
            case AMOAND_W: return (int) Ram.LE32.getAndBitwiseAnd(mem, i, v);
            case AMOOR_W: return (int) Ram.LE32.getAndBitwiseOr(mem, i, v);
            default: break;
        }
        while (true) {
            final int old = (int) Ram.LE32.getVolatile(mem, i);
            final int updated;
            switch (op) {
                case AMOMIN_W: updated = Math.min(old, v); break;
                case AMOMAX_W: updated = Math.max(old, v); break;
                case AMOMINU_W: updated = RvA.minuw(old, v); break;
                case AMOMAXU_W: updated = RvA.maxuw(old, v); break;
                default: throw new IllegalArgumentException(op.name());
            }
            if (Ram.LE32.compareAndSet(mem, i, old, updated)) {
                return old;
            }
        }
    }

    static long amoD(Opcode op, ByteBuffer mem, int i, long v) {
        switch (op) {
            case AMOSWAP_D: return (long) Ram.LE64.getAndSet(mem, i, v);
            case AMOADD_D: return (long) Ram.LE64.getAndAdd(mem, i, v);
            case AMOXOR_D: return (long) Ram.LE64.getAndBitwiseXor(mem, i, v);
            case AMOAND_D: return (long) Ram.LE64.getAndBitwiseAnd(mem, i, v);
            case AMOOR_D: return (long) Ram.LE64.getAndBitwiseOr(mem, i, v);
            default: break;
        }
        while (true) {
            final long old = (long) Ram.LE64.getVolatile(mem, i);
            final long updated;
            switch (op) {
                case AMOMIN_D: updated = Math.min(old, v); break;
                case AMOMAX_D: updated = Math.max(old, v); break;
                case AMOMINU_D: updated = RvA.minu(old, v); break;
                case AMOMAXU_D: updated = RvA.maxu(old, v); break;
                default: throw new IllegalArgumentException(op.name());
            }
            if (Ram.LE64.compareAndSet(mem, i, old, updated)) {
                return old;
            }
        }
    }
}
