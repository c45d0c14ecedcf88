package io.sublet.machine.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sublet.dev.virtio.FileDiskChildJvm;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kill -9 of a process in the middle of writing a snapshot leaves the previous one whole at the path. */
class SnapshotKillTest {
    @TempDir
    Path dir;

    @Test
    void aWriterKilledMidSnapshotLeavesTheLastCompleteSnapshot() throws Exception {
        final Path file = dir.resolve("vm.snap");
        for (int round = 0; round < 3; round++) {
            try (FileDiskChildJvm child = FileDiskChildJvm.start(SnapshotWriterChild.class, file.toString())) {
                child.expect("saved 1");
                child.send("go");
                child.expect("saving 3");
                child.kill(); // while generation 3 is being written (or just after)
            }
            final SnapshotFile f = SnapshotFile.open(file);
            final String state = new String(f.state(), StandardCharsets.US_ASCII);
            assertTrue(state.equals("generation 2") || state.equals("generation 3"), state);
            f.verifyMemory(); // every stored page is the one its checksum was taken over
            f.readMemory(ByteBuffer.allocateDirect((int) f.memoryLength()));
        }
        // The next complete write tidies up what the killed writers left behind.
        SnapshotFile.write(file, new byte[0], ByteBuffer.allocateDirect(4096), 0x8000_0000L);
        try (var files = java.nio.file.Files.list(dir)) {
            assertEquals(java.util.List.of(file), files.toList(), "only the snapshot is left");
        }
    }
}
