package io.sublet.cli;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;

/**
 * The process's stdin and stdout as {@link FileChannel}s, for {@code sublet run}'s console. A thread
 * blocked reading the terminal, or writing to a terminal that does not drain, sits in native code, and
 * the JVM's exit waits up to 300 ms for such threads. A file channel can be closed under a blocked
 * thread, which the JDK then wakes (a signal makes its read or write return): {@link #close} is how the
 * console threads get out of the way of a quick exit. Not for other uses of stdin and stdout.
 */
final class ConsoleChannels implements AutoCloseable {
    private final FileChannel in = new FileInputStream(FileDescriptor.in).getChannel();
    private final FileChannel out = new FileOutputStream(FileDescriptor.out).getChannel();

    /** Reads what the terminal has (waiting for at least one byte); -1 at its end or once closed. */
    int read(final ByteBuffer into) {
        try {
            return in.read(into);
        } catch (IOException e) {
            return -1; // closed under us (the exit), or the terminal went away
        }
    }

    /** Stdout as a stream; writes wait while the terminal does not drain, until {@link #close}. */
    OutputStream output() {
        return Channels.newOutputStream(out);
    }

    /** Wakes and ends whatever blocks on the terminal; stdin and stdout are closed afterwards. */
    @Override
    public void close() {
        closeQuietly(in);
        closeQuietly(out);
    }

    private static void closeQuietly(final FileChannel c) {
        try {
            c.close();
        } catch (IOException e) {
            // exiting anyway
        }
    }
}
