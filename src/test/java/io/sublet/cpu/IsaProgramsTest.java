package io.sublet.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sublet.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs Sublet's own assembly ISA test programs ({@code src/test/asm/*.S}, one per instruction group)
 * on the emulator, in-process, through {@code sublet exec}.
 *
 * <p>The programs are built by {@code src/test/asm/Makefile} (Maven's {@code asm-tests} execution) into the
 * directory named by the system property {@code sublet.asmTests}. Each must exit with status 0, i.e. write 1
 * to {@code tohost}. A program named {@code <name>_fails_<n>.elf} is a self-test of this harness: it must fail,
 * with exit status 1 and the runner reporting "test &lt;n&gt; failed" - proof that a wrong result is caught.
 *
 * <p>Without the RISC-V cross toolchain the Makefile builds nothing and these tests are skipped, saying so.
 */
class IsaProgramsTest {
    private static final long MAX_INSTRUCTIONS = 50_000_000L;
    private static final Pattern EXPECTED_FAILURE = Pattern.compile(".*_fails_(\\d+)\\.elf");

    @TestFactory
    Stream<DynamicTest> isaPrograms() throws IOException {
        final String dirName = System.getProperty("sublet.asmTests");
        Assumptions.assumeTrue(dirName != null,
                "system property sublet.asmTests is not set (it is set by surefire in pom.xml)");
        final Path dir = Path.of(dirName);
        final List<Path> programs;
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                programs = files.filter(p -> p.getFileName().toString().endsWith(".elf")).sorted()
                        .collect(Collectors.toList());
            }
        } else {
            programs = List.of();
        }
        Assumptions.assumeFalse(programs.isEmpty(), "no ISA test programs (*.elf) in " + dir
                + ": the RISC-V cross toolchain riscv64-unknown-elf-gcc (Debian package gcc-riscv64-unknown-elf)"
                + " is missing, so src/test/asm was not built");
        // Under the translator too, translating after a few instructions so that nearly everything runs translated.
        return programs.stream().flatMap(p -> Stream.of(
                DynamicTest.dynamicTest(p.getFileName() + " (interp)", p.toUri(), () -> run(p, "interp")),
                DynamicTest.dynamicTest(p.getFileName() + " (jit)", p.toUri(), () -> run(p, "jit"))));
    }

    private static void run(Path program, String engine) {
        final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        final int status;
        try (PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
             PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8)) {
            status = Main.run(out, err, "exec", "--engine", engine, "--jit-threshold", "16", "--max-instructions",
                    Long.toString(MAX_INSTRUCTIONS), program.toString());
        }
        final String out = outBytes.toString(StandardCharsets.UTF_8);
        final String err = errBytes.toString(StandardCharsets.UTF_8);
        final String transcript = "\n--- exit status " + status + "\n--- stdout:\n" + out + "\n--- stderr:\n" + err;

        final Matcher m = EXPECTED_FAILURE.matcher(program.getFileName().toString());
        if (m.matches()) {
            final String expected = "test " + m.group(1) + " failed";
            assertEquals(1, status, program.getFileName() + " must fail (it is a self-test of the harness)" + transcript);
            assertTrue((out + err).contains(expected), "the output must say '" + expected + "'" + transcript);
        } else {
            assertEquals(0, status, program.getFileName() + " failed" + transcript);
        }
    }
}
