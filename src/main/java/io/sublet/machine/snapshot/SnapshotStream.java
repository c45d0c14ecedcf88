package io.sublet.machine.snapshot;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A snapshot file sent over a byte stream without its holes, and rebuilt on the other side:
 *
 * <pre>
 *   u64 prefix length P | P bytes: header, state and page map (the file's bytes 0..P-1)
 *   then per run of stored pages:  u64 offset into memory | u32 length | the pages
 *   u64 -1                          end
 * </pre>
 *
 * The receiver treats the stream as untrusted: the prefix must be the file's own layout (checked again by
 * {@link SnapshotFile#open} and every CRC by {@link SnapshotFile#verifyMemory}), runs must be page-aligned,
 * increasing and inside memory. Authenticity is the caller's (an HMAC over the stream).
 */
public final class SnapshotStream {
    private static final int CHUNK = 1 << 20;

    private SnapshotStream() { }

    /** Sends the snapshot at {@code file}; returns the bytes sent. */
    public static long send(final Path file, final DataOutputStream out) throws IOException, SnapshotException {
        final SnapshotFile f = SnapshotFile.open(file);
        final long prefix = f.memoryOffset();
        long sent = 0;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            out.writeLong(prefix);
            sent += 8 + copy(ch, 0, prefix, out);
            final long[] total = {sent};
            f.forEachStoredRun((from, to) -> {
                out.writeLong(from);
                out.writeInt(to - from);
                total[0] += 12 + copy(ch, prefix + from, to - from, out);
            });
            sent = total[0];
            out.writeLong(-1);
            out.flush();
            return sent + 8;
        }
    }

    private static long copy(final FileChannel ch, final long at, final long length, final DataOutputStream out)
            throws IOException {
        final ByteBuffer b = ByteBuffer.allocate(CHUNK);
        long done = 0;
        while (done < length) {
            b.clear().limit((int) Math.min(CHUNK, length - done));
            while (b.hasRemaining()) {
                if (ch.read(b, at + done + b.position()) < 0) {
                    throw new IOException("the snapshot file ended early");
                }
            }
            out.write(b.array(), 0, b.limit());
            done += b.limit();
        }
        return done;
    }

    /** Receives a snapshot into {@code target} (created, sparse) and checks it whole; returns it opened. */
    public static SnapshotFile receive(final DataInputStream in, final Path target) throws IOException,
            SnapshotException {
        final long prefix = in.readLong();
        if (prefix < SnapshotFormat.HEADER_SIZE || prefix > SnapshotFormat.HEADER_SIZE + SnapshotFormat.MAX_STATE
                + (1 << 20) || prefix % SnapshotFormat.PAGE_SIZE != 0) {
            throw new SnapshotException("migration stream: a snapshot prefix of " + prefix + " bytes is not valid");
        }
        final byte[] head = new byte[(int) prefix];
        in.readFully(head);
        final ByteBuffer h = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN);
        final long memLength = h.getLong(SnapshotFormat.MEMORY_LENGTH);
        if (h.getLong(SnapshotFormat.MEMORY_OFFSET) != prefix || memLength <= 0 || memLength > Integer.MAX_VALUE
                || memLength % SnapshotFormat.PAGE_SIZE != 0) {
            throw new SnapshotException("migration stream: the snapshot header does not match its prefix");
        }
        try (RandomAccessFile raf = new RandomAccessFile(target.toFile(), "rw")) {
            raf.setLength(prefix + memLength);
            final FileChannel ch = raf.getChannel();
            ch.write(ByteBuffer.wrap(head), 0);
            final byte[] buf = new byte[CHUNK];
            long next = 0;
            for (;;) {
                final long offset = in.readLong();
                if (offset == -1) {
                    break;
                }
                final int length = in.readInt();
                if (offset < next || offset % SnapshotFormat.PAGE_SIZE != 0 || length <= 0
                        || length % SnapshotFormat.PAGE_SIZE != 0 || offset + length > memLength) {
                    throw new SnapshotException("migration stream: a run of pages at " + offset + " (" + length
                            + " bytes) is out of order or outside memory");
                }
                for (int done = 0; done < length; ) {
                    final int n = Math.min(buf.length, length - done);
                    in.readFully(buf, 0, n);
                    ch.write(ByteBuffer.wrap(buf, 0, n), prefix + offset + done);
                    done += n;
                }
                next = offset + length;
            }
        } catch (IOException | SnapshotException e) {
            Files.deleteIfExists(target);
            throw e;
        }
        final SnapshotFile f = SnapshotFile.open(target);
        f.verifyMemory();
        return f;
    }
}
