package io.sublet.boot;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The reset code at 0x1000, real RISC-V instructions that the hart runs in M mode. Two variants:
 *
 * <ul>
 *   <li>{@link #forFirmware}: jump to M-mode firmware (OpenSBI) with a0 = hartid, a1 = device tree and
 *       a2 = OpenSBI's {@code fw_dynamic_info} (next stage = the kernel in S mode), as QEMU's virt ROM does.</li>
 *   <li>{@link #forKernel}: do what firmware would before the kernel runs — open PMP, delegate every
 *       exception but S-mode ecalls and the S-level interrupts to S mode, let S and U read cycle, time
 *       and instret (mcounteren, scounteren, as OpenSBI leaves them) —
 *       then {@code mret} into the kernel in S mode with a0 = hartid, a1 = device tree. S-mode ecalls then
 *       reach the VMM's built-in SBI.</li>
 * </ul>
 * The addresses and constants are data words after the code, loaded PC-relative.
 */
public final class BootRom {
    public static final long BASE = 0x1000;
    public static final int SIZE = 0x1000;

    /** Exceptions delegated to S mode when the kernel runs without firmware: all but ecall from S and M. */
    static final long KERNEL_MEDELEG = 0xb1ffL;
    /** SSI, STI, SEI. */
    static final long KERNEL_MIDELEG = 0x222L;
    static final long MSTATUS_MPP_S = 1L << 11;
    /** scounteren: CY, TM and IR. */
    static final int USER_COUNTERS = 7;
    static final long FW_DYNAMIC_MAGIC = 0x4942534fL; // "OSBI"
    static final long FW_DYNAMIC_VERSION = 2;
    static final long NEXT_MODE_S = 1;

    // Registers and CSRs the ROM uses.
    private static final int T0 = 5;
    private static final int T1 = 6;
    private static final int T2 = 7;
    private static final int A0 = 10;
    private static final int A1 = 11;
    private static final int A2 = 12;
    private static final int MHARTID = 0xf14;
    private static final int MSTATUS = 0x300;
    private static final int MEDELEG = 0x302;
    private static final int MIDELEG = 0x303;
    private static final int MCOUNTEREN = 0x306;
    private static final int MEPC = 0x341;
    private static final int SATP = 0x180;
    private static final int PMPCFG0 = 0x3a0;
    private static final int PMPADDR0 = 0x3b0;
    private static final int SCOUNTEREN = 0x106;

    /** Offset of the data words from the ROM start; the code before it must fit. */
    private static final int DATA = 0x100;

    private BootRom() { }

    public static byte[] forFirmware(long firmwareEntry, long dtb, long kernelEntry) {
        final ByteBuffer rom = rom();
        int pc = 0;
        pc = emit(rom, pc, auipc(T0, 0));
        pc = emit(rom, pc, csrrs(A0, MHARTID, 0));
        pc = emit(rom, pc, ld(A1, T0, DATA + 8));
        pc = emit(rom, pc, addi(A2, T0, DATA + 16));
        pc = emit(rom, pc, ld(T0, T0, DATA));
        emit(rom, pc, jalr(0, T0, 0));
        rom.putLong(DATA, firmwareEntry);
        rom.putLong(DATA + 8, dtb);
        // struct fw_dynamic_info { magic, version, next_addr, next_mode, options, boot_hart }
        rom.putLong(DATA + 16, FW_DYNAMIC_MAGIC);
        rom.putLong(DATA + 24, FW_DYNAMIC_VERSION);
        rom.putLong(DATA + 32, kernelEntry);
        rom.putLong(DATA + 40, NEXT_MODE_S);
        rom.putLong(DATA + 48, 0);
        rom.putLong(DATA + 56, -1L); // any hart may boot
        return rom.array();
    }

    public static byte[] forKernel(long kernelEntry, long dtb) {
        final ByteBuffer rom = rom();
        int pc = 0;
        pc = emit(rom, pc, auipc(T0, 0));
        pc = emit(rom, pc, addi(T2, 0, -1));
        pc = emit(rom, pc, csrrw(0, PMPADDR0, T2));      // NAPOT over all of memory...
        pc = emit(rom, pc, addi(T2, 0, 0x1f));
        pc = emit(rom, pc, csrrw(0, PMPCFG0, T2));       // ...readable, writable, executable
        pc = emit(rom, pc, ld(T2, T0, DATA + 16));
        pc = emit(rom, pc, csrrw(0, MEDELEG, T2));
        pc = emit(rom, pc, ld(T2, T0, DATA + 24));
        pc = emit(rom, pc, csrrw(0, MIDELEG, T2));
        pc = emit(rom, pc, addi(T2, 0, -1));
        pc = emit(rom, pc, csrrw(0, MCOUNTEREN, T2));
        // As OpenSBI does: U mode may read cycle, time and instret. Linux's vDSO reads time directly, and
        // without an SBI PMU extension nothing in the kernel would set scounteren.
        pc = emit(rom, pc, addi(T2, 0, USER_COUNTERS));
        pc = emit(rom, pc, csrrw(0, SCOUNTEREN, T2));
        pc = emit(rom, pc, csrrw(0, SATP, 0));
        pc = emit(rom, pc, ld(T2, T0, DATA + 32));
        pc = emit(rom, pc, csrrw(0, MSTATUS, T2));
        pc = emit(rom, pc, ld(T1, T0, DATA));
        pc = emit(rom, pc, csrrw(0, MEPC, T1));
        pc = emit(rom, pc, csrrs(A0, MHARTID, 0));
        pc = emit(rom, pc, ld(A1, T0, DATA + 8));
        emit(rom, pc, 0x30200073); // mret
        rom.putLong(DATA, kernelEntry);
        rom.putLong(DATA + 8, dtb);
        rom.putLong(DATA + 16, KERNEL_MEDELEG);
        rom.putLong(DATA + 24, KERNEL_MIDELEG);
        rom.putLong(DATA + 32, MSTATUS_MPP_S);
        return rom.array();
    }

    private static ByteBuffer rom() {
        return ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static int emit(ByteBuffer rom, int pc, int insn) {
        if (pc + 4 > DATA) {
            throw new IllegalStateException("boot ROM code overflows into its data words");
        }
        rom.putInt(pc, insn);
        return pc + 4;
    }

    private static int iType(int imm, int rs1, int funct3, int rd, int opcode) {
        return (imm & 0xfff) << 20 | rs1 << 15 | funct3 << 12 | rd << 7 | opcode;
    }

    static int auipc(int rd, int imm20) {
        return imm20 << 12 | rd << 7 | 0x17;
    }

    static int addi(int rd, int rs1, int imm) {
        return iType(imm, rs1, 0, rd, 0x13);
    }

    static int ld(int rd, int rs1, int imm) {
        return iType(imm, rs1, 3, rd, 0x03);
    }

    static int jalr(int rd, int rs1, int imm) {
        return iType(imm, rs1, 0, rd, 0x67);
    }

    static int csrrw(int rd, int csr, int rs1) {
        return iType(csr, rs1, 1, rd, 0x73);
    }

    static int csrrs(int rd, int csr, int rs1) {
        return iType(csr, rs1, 2, rd, 0x73);
    }
}
