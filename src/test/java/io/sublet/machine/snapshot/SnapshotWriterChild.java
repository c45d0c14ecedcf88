package io.sublet.machine.snapshot;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;

/**
 * A child JVM for {@link SnapshotKillTest}: writes snapshot after snapshot of 64 MiB of random "RAM" to one
 * path, generation {@code n} in its state, printing {@code saving n} before and {@code saved n} after each,
 * until it is killed. After {@code saved 1} it waits for a line on stdin, so the test decides when to go on.
 */
public final class SnapshotWriterChild {
    private SnapshotWriterChild() { }

    public static void main(String[] args) throws Exception {
        final Path file = Path.of(args[0]);
        final ByteBuffer ram = ByteBuffer.allocateDirect(64 << 20);
        final Random r = new Random(1);
        final byte[] chunk = new byte[1 << 20];
        for (int generation = 1; ; generation++) {
            for (int at = 0; at < ram.capacity(); at += chunk.length) {
                r.nextBytes(chunk);
                ram.put(at, chunk);
            }
            System.out.println("saving " + generation);
            SnapshotFile.write(file, ("generation " + generation).getBytes(StandardCharsets.US_ASCII), ram, 0x8000_0000L);
            System.out.println("saved " + generation);
            if (generation == 1) {
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            }
        }
    }
}
