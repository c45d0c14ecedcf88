package io.sublet.isa;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the RISC-V GNU binutils (Debian's {@code binutils-riscv64-unknown-elf}) for the cross-check tests and
 * parses {@code objdump -d} listings. The prefix can be changed with {@code -Dsublet.riscvPrefix=...}.
 */
final class Toolchain {
    static final String PREFIX = System.getProperty("sublet.riscvPrefix", "riscv64-unknown-elf-");

    /** objdump options: canonical instructions, and CSR names of the current privileged spec. */
    private static final String DISASSEMBLER_OPTIONS = "no-aliases,priv-spec=1.12";

    /** One instruction of an objdump listing: address, raw bits, length in bytes, and text after the bits. */
    record Line(long address, int bits, int length, String text) {
    }

    private Toolchain() {
    }

    private static String missing;
    private static boolean probed;

    /** Null if assembler and objdump run, else why not (for {@code Assumptions}). Probed once. */
    static synchronized String missingReason() {
        if (!probed) {
            missing = probe();
            probed = true;
        }
        return missing;
    }

    private static String probe() {
        for (final String tool : new String[] {"as", "objdump", "objcopy"}) {
            try {
                run(null, PREFIX + tool, "--version");
            } catch (final IOException | AssertionError e) {
                return PREFIX + tool + " is not usable (" + e.getMessage() + "); install Debian's "
                    + "binutils-riscv64-unknown-elf (gcc-riscv64-unknown-elf pulls it in) to run the cross-check";
            }
        }
        return null;
    }

    /** Assembles {@code source} for {@code march} into an object file in {@code dir}. */
    static Path assemble(final Path dir, final String name, final String source, final String march)
        throws IOException {
        final Path src = dir.resolve(name + ".s");
        final Path obj = dir.resolve(name + ".o");
        Files.writeString(src, source);
        run(dir, PREFIX + "as", "-march=" + march, "-mabi=lp64d", "-mpriv-spec=1.12", "-o", obj.toString(),
            src.toString());
        return obj;
    }

    /** Disassembles the code sections of an object file. */
    static List<Line> disassembleObject(final Path obj) throws IOException {
        return parse(run(null, PREFIX + "objdump", "-d", "-M", DISASSEMBLER_OPTIONS, obj.toString()));
    }

    /** Disassembles raw bytes as RV64GC code starting at address 0 (objdump's default ISA for raw RV64 is rv64gc). */
    static List<Line> disassembleRaw(final Path dir, final byte[] code) throws IOException {
        final Path bin = dir.resolve("raw.bin");
        Files.write(bin, code);
        return parse(run(null, PREFIX + "objdump", "-D", "-b", "binary", "-m", "riscv:rv64",
            "-M", DISASSEMBLER_OPTIONS, bin.toString()));
    }

    private static List<Line> parse(final String listing) {
        final List<Line> lines = new ArrayList<>();
        for (final String line : listing.split("\n")) {
            // "   1c:\t0205f553          \tfadd.d\tfa0,fa1,ft0"
            final String[] parts = line.split("\t", 3);
            if (parts.length < 3 || !parts[0].trim().endsWith(":")) {
                continue;
            }
            final String address = parts[0].trim();
            final String hex = parts[1].trim();
            if (hex.isEmpty() || !(hex.length() == 4 || hex.length() == 8)) {
                continue;
            }
            lines.add(new Line(Long.parseLong(address.substring(0, address.length() - 1), 16),
                (int) Long.parseLong(hex, 16), hex.length() / 2, parts[2]));
        }
        return lines;
    }

    private static String run(final Path dir, final String... command) throws IOException {
        final Process p;
        try {
            p = new ProcessBuilder(command).directory(dir == null ? null : dir.toFile()).redirectErrorStream(true)
                .start();
        } catch (final IOException e) {
            throw new IOException("cannot run " + command[0] + ": " + e.getMessage(), e);
        }
        final String out;
        try (InputStream in = p.getInputStream()) {
            final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            in.transferTo(buffer);
            out = buffer.toString(StandardCharsets.UTF_8);
        }
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(Arrays.toString(command) + " did not finish");
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        if (p.exitValue() != 0) {
            throw new AssertionError(Arrays.toString(command) + " failed:\n" + out);
        }
        return out;
    }
}
