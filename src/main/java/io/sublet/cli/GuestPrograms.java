package io.sublet.cli;

import io.sublet.boot.BadImageException;
import io.sublet.boot.ElfImage;
import java.io.IOException;
import java.io.InputStream;

/** The bare-metal programs of our own that ship inside the jar (built from guest/ by the Maven build). */
final class GuestPrograms {
    static final String DEMO = "demo";
    static final String[] BENCHMARKS = {"bench-crc32", "bench-sort", "bench-matmul", "bench-mix", "bench-fmatmul"};

    private GuestPrograms() { }

    static ElfImage load(String name) throws BadImageException {
        final String resource = "/guest/" + name + ".elf";
        try (InputStream in = GuestPrograms.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new BadImageException("built-in guest program " + name + " is missing from this build; "
                        + "rebuild with the RISC-V toolchain installed (apt-get install gcc-riscv64-unknown-elf)");
            }
            return ElfImage.parse(name + ".elf", in.readAllBytes());
        } catch (IOException e) {
            throw new BadImageException("cannot read built-in guest program " + name + ": " + e.getMessage());
        }
    }
}
