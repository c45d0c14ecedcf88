package io.sublet.vmm.worker;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** A console log file that is rotated to {@code NAME.1} when it reaches its limit, so it never grows unbounded. */
final class ConsoleLog {
    private final Path file;
    private final long limit;
    private OutputStream out;
    private long size;

    ConsoleLog(final Path file, final long limit) throws IOException {
        this.file = file;
        this.limit = limit;
        this.out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        this.size = Files.size(file);
    }

    void write(final byte[] b, final int off, final int len) throws IOException {
        if (size + len > limit && size > 0) {
            rotate();
        }
        out.write(b, off, len);
        out.flush();
        size += len;
    }

    private void rotate() throws IOException {
        out.close();
        Files.move(file, file.resolveSibling(file.getFileName() + ".1"), StandardCopyOption.REPLACE_EXISTING);
        out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
        size = 0;
    }

    void close() throws IOException {
        out.close();
    }
}
