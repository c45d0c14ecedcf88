package io.sublet.machine;

import io.sublet.boot.ElfWriter;
import io.sublet.cpu.Asm;

/**
 * Bare-metal HTIF programs for runner and CLI tests, hand-assembled with {@link Asm} and wrapped in an ELF by
 * {@link ElfWriter}: code at 0x8000_0000, a data page at 0x8000_2000 holding tohost, fromhost and room for a
 * test signature.
 */
public final class TestPrograms {
    public static final long ENTRY = 0x8000_0000L;
    public static final long DATA = 0x8000_2000L;
    public static final long TOHOST = DATA;
    public static final long FROMHOST = DATA + 8;
    public static final long SIGNATURE = DATA + 0x100;

    private TestPrograms() { }

    public static Asm code() {
        return new Asm(ENTRY);
    }

    /** Writes {@code (status << 1) | 1} to tohost, then spins until the host stops the hart. */
    public static Asm exit(Asm a, long status) {
        a.li(Asm.T0, status << 1 | 1).li(Asm.T1, TOHOST).sd(Asm.T0, Asm.T1, 0);
        return a.spin();
    }

    /** Sends one byte to the HTIF console and waits until the host has taken it (tohost back to zero). */
    public static Asm putchar(Asm a, int c) {
        a.li(Asm.T0, 1L << 56 | 1L << 48 | (c & 0xff)).li(Asm.T1, TOHOST).sd(Asm.T0, Asm.T1, 0);
        final Asm.Label wait = a.label();
        a.bind(wait).ld(Asm.T2, Asm.T1, 0).bne(Asm.T2, Asm.ZERO, wait);
        return a;
    }

    public static Asm print(Asm a, String s) {
        for (char c : s.toCharArray()) {
            putchar(a, c);
        }
        return a;
    }

    /** The program as an ELF with tohost and fromhost symbols; {@code data} fills the start of the data page. */
    public static ElfWriter elf(Asm code, byte[] data) {
        final byte[] page = new byte[0x200];
        System.arraycopy(data, 0, page, 0x10, data.length); // after tohost and fromhost
        return new ElfWriter().entry(code.base())
                .load(code.base(), code.bytes(), code.size(), ElfWriter.PF_R | ElfWriter.PF_X)
                .load(DATA, page, 0x1000, ElfWriter.PF_R | ElfWriter.PF_W)
                .symbol("tohost", TOHOST).symbol("fromhost", FROMHOST);
    }

    public static ElfWriter elf(Asm code) {
        return elf(code, new byte[0]);
    }

    /** The same program without tohost or fromhost. */
    public static ElfWriter elfWithoutHtif(Asm code) {
        return new ElfWriter().entry(code.base())
                .load(code.base(), code.bytes(), code.size(), ElfWriter.PF_R | ElfWriter.PF_X);
    }
}
