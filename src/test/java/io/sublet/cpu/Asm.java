package io.sublet.cpu;

import io.sublet.isa.Decoder;
import io.sublet.isa.Opcode;
import io.sublet.mem.Ram;
import java.util.ArrayList;
import java.util.List;

/**
 * A tiny RV64 assembler for tests: emits 32-bit instruction words at consecutive addresses from a base.
 * Every word it emits is decoded by {@link Decoder} and must come back as the intended opcode, so an
 * encoding slip in this helper fails loudly instead of silently testing something else.
 *
 * <p>Branches and jumps take a {@link Label}; forward references are patched when the label is bound.
 */
public final class Asm {
    public static final int ZERO = 0;
    public static final int RA = 1;
    public static final int SP = 2;
    public static final int T0 = 5;
    public static final int T1 = 6;
    public static final int T2 = 7;
    public static final int S0 = 8;
    public static final int S1 = 9;
    public static final int A0 = 10;
    public static final int A1 = 11;
    public static final int A2 = 12;
    public static final int A3 = 13;
    public static final int A4 = 14;
    public static final int A5 = 15;
    public static final int T3 = 28;

    /** A position in the code; unbound until {@link #bind}. */
    public static final class Label {
        private long address = -1;
        private final List<long[]> fixups = new ArrayList<>(); // {index, kind}

        public long address() {
            if (address < 0) {
                throw new IllegalStateException("label not bound");
            }
            return address;
        }
    }

    private static final int KIND_BRANCH = 0;
    private static final int KIND_JAL = 1;

    private final long base;
    private final List<Integer> words = new ArrayList<>();

    public Asm(long base) {
        this.base = base;
    }

    public long base() {
        return base;
    }

    /** Address of the next instruction. */
    public long pc() {
        return base + 4L * words.size();
    }

    public int size() {
        return 4 * words.size();
    }

    public Label label() {
        return new Label();
    }

    public Asm bind(Label l) {
        if (l.address >= 0) {
            throw new IllegalStateException("label bound twice");
        }
        l.address = pc();
        for (long[] f : l.fixups) {
            final int index = (int) f[0];
            final long at = base + 4L * index;
            final int w = words.get(index);
            final long off = l.address - at;
            words.set(index, f[1] == KIND_BRANCH ? withBranchOffset(w, off) : withJalOffset(w, off));
        }
        l.fixups.clear();
        return this;
    }

    /** The code as little-endian bytes. */
    public byte[] bytes() {
        final byte[] b = new byte[4 * words.size()];
        for (int i = 0; i < words.size(); i++) {
            final int w = words.get(i);
            b[4 * i] = (byte) w;
            b[4 * i + 1] = (byte) (w >>> 8);
            b[4 * i + 2] = (byte) (w >>> 16);
            b[4 * i + 3] = (byte) (w >>> 24);
        }
        return b;
    }

    /** Copies the code into RAM at its base address. */
    public void writeTo(Ram ram) {
        final byte[] b = bytes();
        ram.write(base, b, 0, b.length);
    }

    public int word(int index) {
        return words.get(index);
    }

    // ---- raw emission ----

    /** Emits an arbitrary 32-bit word (data, or an instruction this helper does not know). */
    public Asm word32(int w) {
        words.add(w);
        return this;
    }

    private Asm emit(int w, Opcode expected) {
        final Opcode got = Decoder.decode(w).op;
        if (got != expected) {
            throw new AssertionError(String.format("Asm encoded 0x%08x as %s, wanted %s", w, got, expected));
        }
        words.add(w);
        return this;
    }

    private static int r(int f7, int rs2, int rs1, int f3, int rd, int opc) {
        return f7 << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 | rd << 7 | opc;
    }

    private static int i(long imm, int rs1, int f3, int rd, int opc) {
        if (imm < -2048 || imm > 2047) {
            throw new IllegalArgumentException("12-bit immediate out of range: " + imm);
        }
        return ((int) imm & 0xfff) << 20 | rs1 << 15 | f3 << 12 | rd << 7 | opc;
    }

    private static int s(long imm, int rs2, int rs1, int f3, int opc) {
        if (imm < -2048 || imm > 2047) {
            throw new IllegalArgumentException("12-bit immediate out of range: " + imm);
        }
        final int v = (int) imm;
        return (v >> 5 & 0x7f) << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 | (v & 0x1f) << 7 | opc;
    }

    private static int withBranchOffset(int w, long off) {
        if (off < -4096 || off > 4094 || (off & 1) != 0) {
            throw new IllegalArgumentException("branch offset out of range: " + off);
        }
        final int o = (int) off;
        return (w & 0x01fff07f) | (o >> 12 & 1) << 31 | (o >> 5 & 0x3f) << 25 | (o >> 1 & 0xf) << 8
                | (o >> 11 & 1) << 7;
    }

    private static int withJalOffset(int w, long off) {
        if (off < -(1 << 20) || off >= (1 << 20) || (off & 1) != 0) {
            throw new IllegalArgumentException("jal offset out of range: " + off);
        }
        final int o = (int) off;
        return (w & 0xfff) | (o >> 20 & 1) << 31 | (o >> 1 & 0x3ff) << 21 | (o >> 11 & 1) << 20
                | (o >> 12 & 0xff) << 12;
    }

    // ---- RV64I ----

    public Asm lui(int rd, long imm20) {
        return emit((int) (imm20 << 12) | rd << 7 | 0x37, Opcode.LUI);
    }

    public Asm auipc(int rd, long imm20) {
        return emit((int) (imm20 << 12) | rd << 7 | 0x17, Opcode.AUIPC);
    }

    public Asm addi(int rd, int rs1, long imm) {
        return emit(i(imm, rs1, 0, rd, 0x13), Opcode.ADDI);
    }

    public Asm addiw(int rd, int rs1, long imm) {
        return emit(i(imm, rs1, 0, rd, 0x1b), Opcode.ADDIW);
    }

    public Asm ori(int rd, int rs1, long imm) {
        return emit(i(imm, rs1, 6, rd, 0x13), Opcode.ORI);
    }

    public Asm andi(int rd, int rs1, long imm) {
        return emit(i(imm, rs1, 7, rd, 0x13), Opcode.ANDI);
    }

    public Asm slli(int rd, int rs1, int shamt) {
        return emit(i(shamt & 63, rs1, 1, rd, 0x13), Opcode.SLLI);
    }

    public Asm add(int rd, int rs1, int rs2) {
        return emit(r(0, rs2, rs1, 0, rd, 0x33), Opcode.ADD);
    }

    public Asm sub(int rd, int rs1, int rs2) {
        return emit(r(0x20, rs2, rs1, 0, rd, 0x33), Opcode.SUB);
    }

    public Asm or(int rd, int rs1, int rs2) {
        return emit(r(0, rs2, rs1, 6, rd, 0x33), Opcode.OR);
    }

    public Asm nop() {
        return addi(ZERO, ZERO, 0);
    }

    public Asm mv(int rd, int rs) {
        return addi(rd, rs, 0);
    }

    /** Loads any 64-bit constant (lui/addiw, then shifts and adds for wider values). */
    public Asm li(int rd, long v) {
        if (v == (int) v) {
            final long lo = (v << 52) >> 52;
            final long hi = (v - lo) >> 12;
            if (hi != 0) {
                lui(rd, hi & 0xfffff);
                if (lo != 0) {
                    addiw(rd, rd, lo);
                }
            } else {
                addi(rd, ZERO, lo);
            }
            return this;
        }
        final long lo = (v << 52) >> 52;
        long hi = (v - lo) >> 12;
        int shift = 12 + Long.numberOfTrailingZeros(hi);
        hi = (v - lo) >> shift;
        li(rd, hi);
        slli(rd, rd, shift);
        if (lo != 0) {
            addi(rd, rd, lo);
        }
        return this;
    }

    public Asm lb(int rd, int rs1, long off) {
        return emit(i(off, rs1, 0, rd, 0x03), Opcode.LB);
    }

    public Asm lh(int rd, int rs1, long off) {
        return emit(i(off, rs1, 1, rd, 0x03), Opcode.LH);
    }

    public Asm lw(int rd, int rs1, long off) {
        return emit(i(off, rs1, 2, rd, 0x03), Opcode.LW);
    }

    public Asm ld(int rd, int rs1, long off) {
        return emit(i(off, rs1, 3, rd, 0x03), Opcode.LD);
    }

    public Asm lbu(int rd, int rs1, long off) {
        return emit(i(off, rs1, 4, rd, 0x03), Opcode.LBU);
    }

    public Asm sb(int rs2, int rs1, long off) {
        return emit(s(off, rs2, rs1, 0, 0x23), Opcode.SB);
    }

    public Asm sh(int rs2, int rs1, long off) {
        return emit(s(off, rs2, rs1, 1, 0x23), Opcode.SH);
    }

    public Asm sw(int rs2, int rs1, long off) {
        return emit(s(off, rs2, rs1, 2, 0x23), Opcode.SW);
    }

    public Asm sd(int rs2, int rs1, long off) {
        return emit(s(off, rs2, rs1, 3, 0x23), Opcode.SD);
    }

    public Asm jal(int rd, Label target) {
        return jump(0x6f | rd << 7, target, Opcode.JAL);
    }

    /** {@code jal zero, target}. */
    public Asm j(Label target) {
        return jal(ZERO, target);
    }

    /** An endless loop: {@code j .}. */
    public Asm spin() {
        final Label l = label();
        bind(l);
        return j(l);
    }

    public Asm jalr(int rd, int rs1, long off) {
        return emit(i(off, rs1, 0, rd, 0x67), Opcode.JALR);
    }

    public Asm beq(int rs1, int rs2, Label target) {
        return branch(0, rs1, rs2, target, Opcode.BEQ);
    }

    public Asm bne(int rs1, int rs2, Label target) {
        return branch(1, rs1, rs2, target, Opcode.BNE);
    }

    private Asm branch(int f3, int rs1, int rs2, Label target, Opcode op) {
        final int w = r(0, rs2, rs1, f3, 0, 0x63);
        if (target.address >= 0) {
            return emit(withBranchOffset(w, target.address - pc()), op);
        }
        target.fixups.add(new long[] {words.size(), KIND_BRANCH});
        return emit(w, op);
    }

    private Asm jump(int w, Label target, Opcode op) {
        if (target.address >= 0) {
            return emit(withJalOffset(w, target.address - pc()), op);
        }
        target.fixups.add(new long[] {words.size(), KIND_JAL});
        return emit(w, op);
    }

    // ---- system ----

    public Asm ecall() {
        return emit(0x00000073, Opcode.ECALL);
    }

    public Asm ebreak() {
        return emit(0x00100073, Opcode.EBREAK);
    }

    public Asm mret() {
        return emit(0x30200073, Opcode.MRET);
    }

    public Asm sret() {
        return emit(0x10200073, Opcode.SRET);
    }

    public Asm wfi() {
        return emit(0x10500073, Opcode.WFI);
    }

    public Asm sfenceVma(int rs1, int rs2) {
        return emit(r(0x09, rs2, rs1, 0, 0, 0x73), Opcode.SFENCE_VMA);
    }

    public Asm fenceI() {
        return emit(0x0000100f, Opcode.FENCE_I);
    }

    public Asm csrrw(int rd, int csr, int rs1) {
        return emit(csrWord(csr, rs1, 1, rd), Opcode.CSRRW);
    }

    public Asm csrrs(int rd, int csr, int rs1) {
        return emit(csrWord(csr, rs1, 2, rd), Opcode.CSRRS);
    }

    public Asm csrrc(int rd, int csr, int rs1) {
        return emit(csrWord(csr, rs1, 3, rd), Opcode.CSRRC);
    }

    public Asm csrrwi(int rd, int csr, int uimm) {
        return emit(csrWord(csr, uimm, 5, rd), Opcode.CSRRWI);
    }

    public Asm csrrsi(int rd, int csr, int uimm) {
        return emit(csrWord(csr, uimm, 6, rd), Opcode.CSRRSI);
    }

    /** {@code csrr rd, csr} = {@code csrrs rd, csr, zero}. */
    public Asm csrr(int rd, int csr) {
        return csrrs(rd, csr, ZERO);
    }

    /** {@code csrw csr, rs} = {@code csrrw zero, csr, rs}. */
    public Asm csrw(int csr, int rs) {
        return csrrw(ZERO, csr, rs);
    }

    /** Writes a constant to a CSR through {@code t0}. */
    public Asm csrwi64(int csr, long value) {
        li(T0, value);
        return csrw(csr, T0);
    }

    /** The encoding of {@code csrrs rd, csr, rs1} etc., for tests that check mtval. */
    public static int csrWord(int csr, int rs1, int f3, int rd) {
        return csr << 20 | rs1 << 15 | f3 << 12 | rd << 7 | 0x73;
    }

    /** {@code addi rd, zero, imm} as a word, for tests that store instructions as data. */
    public static int addiWord(int rd, int rs1, int imm) {
        return i(imm, rs1, 0, rd, 0x13);
    }
}
