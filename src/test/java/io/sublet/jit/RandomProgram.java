package io.sublet.jit;

import io.sublet.isa.Decoder;
import io.sublet.isa.Insn;
import io.sublet.isa.Opcode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A seeded random RV64GC program for differential tests: a loop whose body mixes integer, multiply, FP,
 * atomic, compressed and CSR instructions, loads and stores around a page boundary (and misaligned),
 * loads from random addresses (access faults), illegal instructions and ecalls (traps taken in the middle
 * of translated code), forward branches, and calls into the same page and into another page. An M-mode
 * handler logs every trap (mcause, mepc, mtval, minstret) to memory and resumes after the instruction.
 *
 * <p>Layout (physical, bare M mode): code at {@link #CODE}, a far function at {@link #FAR}, the handler at
 * {@link #HANDLER}, data around {@link #DATA}, the trap log at {@link #LOG}. Registers x27..x31 are set by the
 * test: x27 handler address, x28 the mstatus.FS bits, x29 log pointer, x30 loop count, x31 data pointer.
 * x29..x31 are never written by the random body; x28 is the address temporary of atomics.
 */
final class RandomProgram {
    static final long CODE = 0x8000_0000L;
    static final long FAR = 0x8000_3000L;
    static final long HANDLER = 0x8000_4000L;
    static final long DATA = 0x8001_1000L;
    static final long LOG = 0x8002_0000L;

    private static final Opcode[] ALU_R = {Opcode.ADD, Opcode.SUB, Opcode.SLL, Opcode.SLT, Opcode.SLTU, Opcode.XOR,
        Opcode.SRL, Opcode.SRA, Opcode.OR, Opcode.AND, Opcode.ADDW, Opcode.SUBW, Opcode.SLLW, Opcode.SRLW, Opcode.SRAW,
        Opcode.MUL, Opcode.MULH, Opcode.MULHSU, Opcode.MULHU, Opcode.DIV, Opcode.DIVU, Opcode.REM, Opcode.REMU,
        Opcode.MULW, Opcode.DIVW, Opcode.DIVUW, Opcode.REMW, Opcode.REMUW};
    private static final Opcode[] ALU_I = {Opcode.ADDI, Opcode.SLTI, Opcode.SLTIU, Opcode.XORI, Opcode.ORI,
        Opcode.ANDI, Opcode.ADDIW};
    private static final Opcode[] SHIFT_I = {Opcode.SLLI, Opcode.SRLI, Opcode.SRAI};
    private static final Opcode[] SHIFT_IW = {Opcode.SLLIW, Opcode.SRLIW, Opcode.SRAIW};
    private static final Opcode[] LOADS = {Opcode.LB, Opcode.LH, Opcode.LW, Opcode.LD, Opcode.LBU, Opcode.LHU,
        Opcode.LWU};
    private static final Opcode[] STORES = {Opcode.SB, Opcode.SH, Opcode.SW, Opcode.SD};
    private static final Opcode[] BRANCHES = {Opcode.BEQ, Opcode.BNE, Opcode.BLT, Opcode.BGE, Opcode.BLTU,
        Opcode.BGEU};
    private static final Opcode[] FP = {Opcode.FADD_D, Opcode.FSUB_D, Opcode.FMUL_D, Opcode.FDIV_D, Opcode.FSQRT_D,
        Opcode.FMADD_D, Opcode.FMIN_D, Opcode.FSGNJ_D, Opcode.FADD_S, Opcode.FMUL_S, Opcode.FCVT_L_D, Opcode.FCVT_D_L,
        Opcode.FCVT_W_S, Opcode.FMV_X_D, Opcode.FMV_D_X, Opcode.FEQ_D, Opcode.FLT_D, Opcode.FCLASS_D,
        Opcode.FCVT_S_D};
    private static final Opcode[] AMOS = {Opcode.AMOADD_D, Opcode.AMOSWAP_W, Opcode.AMOXOR_D, Opcode.AMOMAX_W,
        Opcode.AMOMINU_D, Opcode.AMOOR_W};

    private final Random rnd;
    /** The loop body: one instruction each, 2 or 4 bytes; branch offsets are patched afterwards. */
    private final List<int[]> body = new ArrayList<>(); // {word, length, branchSkip or 0}

    RandomProgram(long seed) {
        this.rnd = new Random(seed);
    }

    /** Instruction words (little-endian bytes) of the main code page, starting at {@link #CODE}. */
    byte[] code(int bodyLength) {
        final List<int[]> prologue = List.of(
                new int[] {csr(0x305, 27, 1, 0), 4, 0},            // csrrw x0, mtvec, x27
                new int[] {csr(0x300, 28, 2, 0), 4, 0});           // csrrs x0, mstatus, x28: FS on
        for (int i = 0; i < bodyLength; i++) {
            addRandom();
        }
        final Bytes out = new Bytes();
        for (int[] w : prologue) {
            out.put(w[0], w[1]);
        }
        final long loop = CODE + out.size();
        // Branch skips are counted in instructions; turn them into byte offsets.
        for (int i = 0; i < body.size(); i++) {
            final int[] w = body.get(i);
            if (w[2] > 0) {
                int bytes = w[1];
                for (int k = 1; k <= w[2] && i + k < body.size(); k++) {
                    bytes += body.get(i + k)[1];
                }
                w[0] = withBranchOffset(w[0], bytes);
            }
        }
        final long bodyStart = CODE + out.size();
        long at = bodyStart;
        final List<long[]> calls = new ArrayList<>();
        for (int[] w : body) {
            if (w[2] < 0) {
                calls.add(new long[] {out.size(), at, w[2]});
            }
            out.put(w[0], w[1]);
            at += w[1];
        }
        // addi x30, x30, -1; bne x30, x0, loop; done: j .
        out.put(iType(Opcode.ADDI, 30, 30, -1), 4);
        final long bne = CODE + out.size();
        out.put(withBranchOffset(rType(Opcode.BNE, 0, 30, 0), loop - bne), 4);
        final long done = CODE + out.size();
        out.put(jal(0, 0), 4);
        final long near = CODE + out.size();
        out.put(rType(Opcode.XOR, 5, 5, 6), 4);
        out.put(iType(Opcode.ADDI, 7, 7, 3), 4);
        out.put(iType(Opcode.JALR, 0, 1, 0), 4);
        for (long[] c : calls) {
            final long target = c[2] == -1 ? near : FAR;
            out.patch((int) c[0], jal(1, target - c[1]));
        }
        this.done = done;
        return out.bytes();
    }

    private long done;

    /** Where the program spins when it has finished: {@code j .} after the loop. */
    long done() {
        return done;
    }

    static byte[] farFunction() {
        final Bytes out = new Bytes();
        out.put(rType(Opcode.SUB, 6, 6, 5), 4);
        out.put(iType(Opcode.XORI, 5, 5, 0x55), 4);
        out.put(iType(Opcode.JALR, 0, 1, 0), 4);
        return out.bytes();
    }

    /** Logs the trap at x29 and resumes after the trapping instruction (2 or 4 bytes). */
    static byte[] handler() {
        final Bytes out = new Bytes();
        final int[] csrs = {0x342, 0x341, 0x343, 0xb02}; // mcause, mepc, mtval, minstret
        for (int i = 0; i < csrs.length; i++) {
            out.put(csr(csrs[i], 0, 2, 28), 4);                          // csrrs x28, csr, x0
            out.put(sType(Opcode.SD, 29, 28, 8 * i), 4);                 // sd x28, 8i(x29)
        }
        out.put(iType(Opcode.ADDI, 29, 29, 32), 4);
        out.put(csr(0x341, 0, 2, 28), 4);                                // x28 = mepc
        out.put(iType(Opcode.LHU, 27, 28, 0), 4);                        // x27 = low parcel
        out.put(iType(Opcode.ANDI, 27, 27, 3), 4);
        out.put(iType(Opcode.ADDI, 27, 27, -3), 4);                      // 0 iff a 4-byte instruction
        out.put(iType(Opcode.ADDI, 28, 28, 2), 4);
        out.put(withBranchOffset(rType(Opcode.BNE, 0, 27, 0), 8), 4);
        out.put(iType(Opcode.ADDI, 28, 28, 2), 4);
        out.put(csr(0x341, 28, 1, 0), 4);                                // mepc = x28
        out.put(0x30200073, 4);                                          // mret
        return out.bytes();
    }

    private int reg() {
        return 1 + rnd.nextInt(28); // x1..x28; x29..x31 belong to the harness
    }

    private int src() {
        return rnd.nextInt(32);
    }

    /** Adds a 4-byte instruction; it must decode as {@code expected} (null: as anything but ILLEGAL). */
    private void add(int word, Opcode expected) {
        final Insn in = Decoder.decode(word);
        if (expected == null ? in.op == Opcode.ILLEGAL : in.op != expected) {
            throw new IllegalStateException("encoded " + expected + " but it decodes as " + in.op);
        }
        body.add(new int[] {word, 4, 0});
    }

    private void addRandom() {
        final int k = rnd.nextInt(100);
        if (k < 25) {
            add(rType(pick(ALU_R), reg(), src(), src()), null);
        } else if (k < 38) {
            final Opcode op = pick(ALU_I);
            add(iType(op, reg(), src(), rnd.nextInt(4096) - 2048), op);
        } else if (k < 42) {
            final boolean word = rnd.nextBoolean();
            final Opcode op = word ? pick(SHIFT_IW) : pick(SHIFT_I);
            add(shift(op, reg(), src(), rnd.nextInt(word ? 32 : 64)), op);
        } else if (k < 44) {
            add(rnd.nextBoolean() ? uType(Opcode.LUI, reg(), rnd.nextInt(1 << 20)) : uType(Opcode.AUIPC, reg(),
                    rnd.nextInt(1 << 20)), null);
        } else if (k < 54) {
            final Opcode op = pick(LOADS);
            // mostly around the data page boundary (some misaligned, some crossing it); sometimes anywhere (faults)
            final int base = rnd.nextInt(10) == 0 ? src() : 31;
            add(iType(op, reg(), base, rnd.nextInt(4096) - 2048), op);
        } else if (k < 62) {
            final Opcode op = pick(STORES);
            final int base = rnd.nextInt(12) == 0 ? src() : 31;
            add(sType(op, base, src(), rnd.nextInt(4096) - 2048), op);
        } else if (k < 70) {
            addFp();
        } else if (k < 73) {
            // addi x28, x31, aligned offset; amo rd, rs2, (x28) (sometimes misaligned: a trap)
            final int off = (rnd.nextInt(256) - 128) * 8 + (rnd.nextInt(8) == 0 ? 2 : 0);
            add(iType(Opcode.ADDI, 28, 31, off), Opcode.ADDI);
            final Opcode op = pick(AMOS);
            add(op.match | reg() << 7 | 28 << 15 | src() << 20, op);
        } else if (k < 81) {
            addCompressed();
        } else if (k < 87) {
            final Opcode op = pick(BRANCHES);
            final int[] w = {rType(op, 0, src(), src()), 4, 1 + rnd.nextInt(5)};
            body.add(w);
        } else if (k < 89) {
            body.add(new int[] {0, 4, rnd.nextBoolean() ? -1 : -2}); // jal x1, near or far: patched later
        } else if (k < 92) {
            add(csr(rnd.nextBoolean() ? 0xb02 : 0xb00, 0, 2, reg()), Opcode.CSRRS); // csrr rd, minstret / mcycle
        } else if (k < 94) {
            add(csr(0x001, 0, 2, reg()), Opcode.CSRRS); // csrr rd, fflags
        } else if (k < 96) {
            add(0x00000073, Opcode.ECALL);
        } else if (k < 97) {
            body.add(new int[] {0x0000, 2, 0}); // c.unimp: illegal
        } else {
            add(0x0ff0000f, Opcode.FENCE);
        }
    }

    private void addFp() {
        final Opcode op = pick(FP);
        final int rm = rnd.nextInt(10) == 0 ? 7 : rnd.nextInt(5);
        int w = op.match | reg() << 7 | src() << 15 | src() << 20 | src() << 27;
        if (op.format.hasRoundingMode()) {
            w = (w & ~(7 << 12)) | rm << 12;
        }
        w = (w & ~op.mask) | op.match;
        add(w, op);
        if (rnd.nextInt(3) == 0) {
            final boolean load = rnd.nextBoolean();
            final int off = rnd.nextInt(4096) - 2048;
            if (load) {
                add(iType(Opcode.FLD, reg(), 31, off), Opcode.FLD);
            } else {
                add(sType(Opcode.FSD, 31, src(), off), Opcode.FSD);
            }
        }
    }

    private void addCompressed() {
        while (true) {
            final int w = rnd.nextInt(1 << 16);
            if ((w & 3) == 3) {
                continue;
            }
            final Insn in = Decoder.decode(w);
            if (in.length != 2 || in.rd > 28) {
                continue;
            }
            final Kind kind = Kind.of(in);
            // ALU forms, and loads/stores with whatever base they name (mostly faults); no control flow
            if (kind == Kind.ALU || (kind == Kind.MEMORY && rnd.nextInt(4) == 0)) {
                body.add(new int[] {w, 2, 0});
                return;
            }
        }
    }

    private <T> T pick(T[] from) {
        return from[rnd.nextInt(from.length)];
    }

    // ---- encoding, from the opcode table's fixed bits ----

    private static int rType(Opcode op, int rd, int rs1, int rs2) {
        return op.match | rd << 7 | rs1 << 15 | rs2 << 20;
    }

    private static int iType(Opcode op, int rd, int rs1, int imm) {
        return op.match | rd << 7 | rs1 << 15 | (imm & 0xfff) << 20;
    }

    private static int shift(Opcode op, int rd, int rs1, int shamt) {
        return op.match | rd << 7 | rs1 << 15 | shamt << 20;
    }

    private static int uType(Opcode op, int rd, int imm20) {
        return op.match | rd << 7 | imm20 << 12;
    }

    private static int sType(Opcode op, int rs1, int rs2, int imm) {
        return op.match | (imm & 0x1f) << 7 | rs1 << 15 | rs2 << 20 | ((imm >> 5) & 0x7f) << 25;
    }

    private static int csr(int csr, int rs1, int f3, int rd) {
        return csr << 20 | rs1 << 15 | f3 << 12 | rd << 7 | 0x73;
    }

    private static int withBranchOffset(int w, long off) {
        final int o = (int) off;
        return (w & 0x01fff07f) | ((o >> 12) & 1) << 31 | ((o >> 5) & 0x3f) << 25 | ((o >> 1) & 0xf) << 8
                | ((o >> 11) & 1) << 7;
    }

    private static int jal(int rd, long off) {
        final int o = (int) off;
        return Opcode.JAL.match | rd << 7 | ((o >> 20) & 1) << 31 | ((o >> 1) & 0x3ff) << 21 | ((o >> 11) & 1) << 20
                | ((o >> 12) & 0xff) << 12;
    }

    /** Little-endian instruction bytes. */
    private static final class Bytes {
        private byte[] buf = new byte[256];
        private int n;

        void put(int word, int length) {
            if (n + 4 > buf.length) {
                buf = java.util.Arrays.copyOf(buf, buf.length * 2);
            }
            for (int i = 0; i < length; i++) {
                buf[n++] = (byte) (word >>> (8 * i));
            }
        }

        void patch(int at, int word) {
            for (int i = 0; i < 4; i++) {
                buf[at + i] = (byte) (word >>> (8 * i));
            }
        }

        int size() {
            return n;
        }

        byte[] bytes() {
            return java.util.Arrays.copyOf(buf, n);
        }
    }
}
