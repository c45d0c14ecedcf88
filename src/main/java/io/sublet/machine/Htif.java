package io.sublet.machine;

import io.sublet.cpu.CodeCache;
import io.sublet.mem.Ram;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * The host-target interface of Spike and the RISC-V test suites: the guest writes a command into the
 * 64-bit {@code tohost} word in RAM and the host answers in {@code fromhost}. The host polls between
 * slices of execution, so no store path needs a hook.
 *
 * <pre>
 *   63    56 55    48 47                                   0
 *  +--------+--------+--------------------------------------+
 *  | device | command|               payload                |
 *  +--------+--------+--------------------------------------+
 *  device 0, command 0, payload odd : exit with status payload >> 1
 *  device 0, command 0, payload even: system call block at that address (write and exit)
 *  device 1, command 1              : print the low byte of payload
 * </pre>
 */
public final class Htif {
    private static final int SYS_WRITE = 64;
    private static final int SYS_EXIT = 93;

    private final Ram ram;
    private final CodeCache code;
    private final long tohost;
    private final long fromhost;
    private final OutputStream console;
    private Long exitCode;

    /** {@code fromhost} may be -1 when the program has no such symbol. */
    public Htif(Ram ram, CodeCache code, long tohost, long fromhost, OutputStream console) {
        this.ram = ram;
        this.code = code;
        this.tohost = tohost;
        this.fromhost = fromhost;
        this.console = console;
    }

    /** Handles a pending command, if any; returns true once the guest has asked to exit. */
    public boolean poll() {
        final long v = read(tohost);
        if (v == 0 || exitCode != null) {
            return exitCode != null;
        }
        final int device = (int) (v >>> 56);
        final int command = (int) (v >>> 48) & 0xff;
        final long payload = v & 0xffff_ffff_ffffL;
        if (device == 0 && command == 0) {
            if ((payload & 1) != 0) {
                exitCode = payload >>> 1;
                flush();
                return true;
            }
            syscall(payload);
            reply(1);
        } else if (device == 1 && command == 1) {
            write((int) payload & 0xff);
            reply((1L << 56) | (1L << 48));
        } else {
            reply(v & (0xffffL << 48)); // unknown device or command: acknowledge without effect
        }
        return false;
    }

    /** The status the guest exited with, or null while it runs. */
    public Long exitCode() {
        return exitCode;
    }

    private void syscall(long block) {
        if (!ram.contains(block, 64)) {
            return;
        }
        final long which = read(block);
        long result = -38; // -ENOSYS
        if (which == SYS_WRITE) {
            final long fd = read(block + 8);
            final long buf = read(block + 16);
            final long len = read(block + 24);
            if ((fd == 1 || fd == 2) && len >= 0 && len < (1 << 24) && ram.contains(buf, (int) len)) {
                for (long i = 0; i < len; i++) {
                    write((int) ram.load((int) (buf + i - ram.base()), 1) & 0xff);
                }
                result = len;
            } else {
                result = -9; // -EBADF
            }
        } else if (which == SYS_EXIT) {
            exitCode = read(block + 8);
            flush();
            result = 0;
        }
        store(block, result);
    }

    private void reply(long value) {
        store(tohost, 0);
        if (fromhost >= 0) {
            store(fromhost, value);
        }
    }

    /** Host writes go through the code cache like guest stores do, in case the word shares a page with code. */
    private void store(long paddr, long value) {
        final int index = (int) (paddr - ram.base());
        code.invalidate(index >>> Ram.PAGE_SHIFT);
        ram.store(index, 8, value);
    }

    private long read(long paddr) {
        return ram.load((int) (paddr - ram.base()), 8);
    }

    private void write(int b) {
        try {
            console.write(b);
            if (b == '\n') {
                console.flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void flush() {
        try {
            console.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
