package io.sublet.vmm.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsoleLogTest {
    @TempDir
    Path dir;

    @Test
    void rotatesAtTheLimitKeepingOnePreviousFile() throws Exception {
        final Path file = dir.resolve("console.log");
        final ConsoleLog log = new ConsoleLog(file, 10);
        final byte[] six = "abcdef".getBytes(StandardCharsets.US_ASCII);
        log.write(six, 0, 6);
        log.write(six, 0, 3);
        assertEquals("abcdefabc", Files.readString(file));
        log.write(six, 3, 3); // 9 + 3 > 10: rotate first
        assertEquals("def", Files.readString(file));
        assertEquals("abcdefabc", Files.readString(dir.resolve("console.log.1")));
        log.write(six, 0, 6);
        log.write(six, 0, 6);
        assertEquals("abcdef", Files.readString(file));
        assertEquals("defabcdef", Files.readString(dir.resolve("console.log.1")), "only one old file is kept");
        log.close();
    }

    @Test
    void appendsToAnExistingLog() throws Exception {
        final Path file = Files.writeString(dir.resolve("console.log"), "old\n");
        final ConsoleLog log = new ConsoleLog(file, 1 << 20);
        log.write("new\n".getBytes(StandardCharsets.US_ASCII), 0, 4);
        log.close();
        assertEquals("old\nnew\n", Files.readString(file));
    }
}
