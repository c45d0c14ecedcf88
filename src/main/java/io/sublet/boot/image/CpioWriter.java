package io.sublet.boot.image;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Writes a cpio archive in the "newc" format (magic {@code 070701}), the format the Linux kernel unpacks as an
 * initramfs (Documentation/driver-api/early-userspace/buffer-format.rst).
 *
 * <pre>
 *  header, 110 ASCII bytes: magic "070701", then 13 fields of 8 hex digits
 *  +--------+-----+------+-----+-----+-------+-------+----------+-------+-------+--------+--------+--------+-------+
 *  | 070701 | ino | mode | uid | gid | nlink | mtime | filesize | major | minor | rmajor | rminor | namesz | check |
 *  +--------+-----+------+-----+-----+-------+-------+----------+-------+-------+--------+--------+--------+-------+
 *  name (namesz bytes, NUL included), padded to a multiple of 4 from the start of the header
 *  data (filesize bytes; a symlink's data is its target), padded to a multiple of 4
 *  ... and finally an entry named "TRAILER!!!".
 * </pre>
 *
 * Names are written without a leading {@code /}. Every entry gets its own inode number, owner root, and the one
 * modification time given to the constructor, so the same input makes the same bytes. A parent directory must be
 * written before what it holds (the kernel does not create missing parents); this writer checks that.
 */
public final class CpioWriter implements AutoCloseable {
    static final int S_IFDIR = 0040000;
    static final int S_IFREG = 0100000;
    static final int S_IFLNK = 0120000;
    static final int S_IFCHR = 0020000;
    private static final String TRAILER = "TRAILER!!!";

    private final OutputStream out;
    private final long mtime;
    private final Set<String> names = new HashSet<>();
    private final Set<String> dirs = new HashSet<>();
    private long written;
    private int nextInode = 1;
    private boolean finished;

    /** Writes to {@code out}; every entry gets modification time {@code mtime} (seconds since the epoch). */
    public CpioWriter(final OutputStream out, final long mtime) {
        this.out = out;
        this.mtime = mtime;
    }

    public void directory(final String path, final int perm) throws IOException {
        entry(path, S_IFDIR | (perm & 07777), 2, new byte[0], 0, 0);
        dirs.add(normalise(path));
    }

    public void file(final String path, final int perm, final byte[] data) throws IOException {
        entry(path, S_IFREG | (perm & 07777), 1, data, 0, 0);
    }

    public void symlink(final String path, final String target) throws IOException {
        if (target.isEmpty()) {
            throw new IllegalArgumentException("empty symlink target for " + path);
        }
        entry(path, S_IFLNK | 0777, 1, target.getBytes(StandardCharsets.UTF_8), 0, 0);
    }

    public void charDevice(final String path, final int perm, final int major, final int minor) throws IOException {
        entry(path, S_IFCHR | (perm & 07777), 1, new byte[0], major, minor);
    }

    /** Writes the trailer. The underlying stream is left open. */
    public void finish() throws IOException {
        if (!finished) {
            header(TRAILER, 0, 0, 1, 0, 0, 0);
            finished = true;
        }
    }

    @Override
    public void close() throws IOException {
        finish();
    }

    private void entry(final String path, final int mode, final int nlink, final byte[] data, final int rmajor,
            final int rminor) throws IOException {
        if (finished) {
            throw new IllegalStateException("archive already finished");
        }
        final String name = normalise(path);
        if (!names.add(name)) {
            throw new IllegalArgumentException("duplicate cpio entry " + name);
        }
        final int slash = name.lastIndexOf('/');
        if (slash > 0 && !dirs.contains(name.substring(0, slash))) {
            throw new IllegalArgumentException("cpio entry " + name + " before its directory "
                    + name.substring(0, slash));
        }
        header(name, nextInode++, mode, nlink, data.length, rmajor, rminor);
        write(data);
        pad();
    }

    private void header(final String name, final int ino, final int mode, final int nlink, final long size,
            final int rmajor, final int rminor) throws IOException {
        final byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        final StringBuilder h = new StringBuilder(110).append("070701");
        for (long v : new long[] {ino, mode, 0, 0, nlink, mtime, size, 0, 0, rmajor, rminor, nameBytes.length + 1, 0}) {
            if (v < 0 || v > 0xffffffffL) {
                throw new IllegalArgumentException("cpio field out of range for " + name + ": " + v);
            }
            h.append(String.format(Locale.ROOT, "%08x", v));
        }
        write(h.toString().getBytes(StandardCharsets.US_ASCII));
        write(nameBytes);
        write(new byte[] {0});
        pad();
    }

    private void write(final byte[] b) throws IOException {
        out.write(b);
        written += b.length;
    }

    private void pad() throws IOException {
        while ((written & 3) != 0) {
            out.write(0);
            written++;
        }
    }

    /** {@code /a/b} and {@code a/b} name the same entry; {@code .} and {@code ..} parts and empty names are refused. */
    private static String normalise(final String path) {
        String p = path;
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        if (p.isEmpty() || p.endsWith("/") || p.contains("//") || p.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("bad cpio entry name '" + path + "'");
        }
        for (String part : p.split("/")) {
            if (part.equals(".") || part.equals("..")) {
                throw new IllegalArgumentException("bad cpio entry name '" + path + "'");
            }
        }
        return p;
    }
}
