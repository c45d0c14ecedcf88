package io.sublet.dev.virtio;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The program {@link FileDiskChildJvm} runs in a second JVM. It speaks in lines on stdout and reads commands on
 * stdin:
 * <ul>
 * <li>{@code hold FILE rw|ro}: opens the disk and prints {@code open}, or {@code refused MESSAGE}; then closes it
 *     and exits when stdin says {@code close} or ends.</li>
 * <li>{@code write-flush FILE COUNT RECORD}: opens the disk read-write and, for each i below COUNT, writes
 *     {@link #record record i} at {@code i * RECORD}, flushes, and prints {@code flushed i} once flush has returned;
 *     then prints {@code done} and waits on stdin, to be killed.</li>
 * </ul>
 */
public final class FileDiskChild {
    private FileDiskChild() { }

    /** The bytes of record {@code i}: never all zero, different for each i. */
    static byte[] record(final int i, final int size) {
        final byte[] b = new byte[size];
        for (int j = 0; j < size; j++) {
            b[j] = (byte) (i * 31 + j * 7 + 1);
        }
        return b;
    }

    public static void main(final String[] args) throws IOException {
        final BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        final Path file = Path.of(args[1]);
        switch (args[0]) {
            case "hold": {
                final FileDisk d;
                try {
                    d = FileDisk.open(file, args[2].equals("ro"));
                } catch (DiskLockedException e) {
                    System.out.println("refused " + e.getMessage());
                    return;
                }
                System.out.println("open");
                String line;
                while ((line = in.readLine()) != null && !line.equals("close")) {
                    // wait
                }
                d.close();
                System.out.println("closed");
                return;
            }
            case "write-flush": {
                final int count = Integer.parseInt(args[2]);
                final int size = Integer.parseInt(args[3]);
                final FileDisk d = FileDisk.open(file, false);
                final ByteBuffer buf = ByteBuffer.allocateDirect(size);
                for (int i = 0; i < count; i++) {
                    buf.clear();
                    buf.put(record(i, size)).flip();
                    d.write((long) i * size, buf);
                    d.flush();
                    System.out.println("flushed " + i);
                }
                System.out.println("done");
                while (in.readLine() != null) {
                    // wait to be killed
                }
                return;
            }
            default:
                System.out.println("unknown command " + args[0]);
                System.exit(2);
        }
    }
}
