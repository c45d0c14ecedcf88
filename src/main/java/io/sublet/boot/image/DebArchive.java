package io.sublet.boot.image;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.ar.ArArchiveEntry;
import org.apache.commons.compress.archivers.ar.ArArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * A Debian binary package ({@code .deb}): an ar archive of {@code debian-binary} ("2.0"), {@code control.tar.*}
 * and {@code data.tar.*}. This class streams the entries of {@code data.tar} (xz, gzip, bzip2 or uncompressed)
 * once, without unpacking anything itself; callers pick the files they want.
 *
 * <p>Entry names are normalised ({@code ./usr/bin/x} is {@code usr/bin/x}) and checked: a name that is absolute or
 * climbs out with {@code ..} makes the whole package unacceptable, since no genuine package has one and a caller
 * that writes entries to disk must never be led outside its directory.
 */
public final class DebArchive {
    /** Receives the regular files, symlinks and hard links of data.tar, in archive order. */
    public interface Visitor {
        /**
         * One entry: its normalised {@code path}, the tar header, and its content ({@code in}, which the visitor
         * may read or ignore but must not close).
         */
        void entry(String path, TarArchiveEntry header, InputStream in) throws IOException, ImageException;
    }

    private DebArchive() {
    }

    /** Streams every non-directory entry of {@code deb}'s data.tar to {@code visitor}. */
    public static void readData(final Path deb, final Visitor visitor) throws ImageException {
        final String name = deb.getFileName().toString();
        try (InputStream file = new BufferedInputStream(Files.newInputStream(deb), 1 << 16);
             ArArchiveInputStream ar = new ArArchiveInputStream(file)) {
            ArArchiveEntry e = ar.getNextEntry();
            if (e == null || !e.getName().equals("debian-binary")) {
                throw new ImageException(name + ": not a Debian package (no debian-binary member first)");
            }
            final String format = new String(ar.readNBytes(16), StandardCharsets.US_ASCII).trim();
            if (!format.startsWith("2.")) {
                throw new ImageException(name + ": unsupported .deb format " + format);
            }
            while ((e = ar.getNextEntry()) != null) {
                if (e.getName().startsWith("data.tar")) {
                    readTar(name, decompressor(name, e.getName(), ar), visitor);
                    return;
                }
            }
            throw new ImageException(name + ": no data.tar member");
        } catch (IOException | IllegalArgumentException e) {
            throw new ImageException(name + ": corrupt or truncated package: " + message(e), e);
        }
    }

    private static InputStream decompressor(final String deb, final String member, final InputStream in)
            throws IOException, ImageException {
        final InputStream b = new BufferedInputStream(in, 1 << 16);
        switch (member) {
            case "data.tar.xz":
                return new XZInputStream(b);
            case "data.tar.gz":
                return new GZIPInputStream(b, 1 << 16);
            case "data.tar.bz2":
                return new BZip2CompressorInputStream(b);
            case "data.tar":
                return b;
            default:
                throw new ImageException(deb + ": " + member + " is compressed in a way Sublet cannot read");
        }
    }

    private static void readTar(final String deb, final InputStream in, final Visitor visitor)
            throws IOException, ImageException {
        final TarArchiveInputStream tar = new TarArchiveInputStream(in);
        TarArchiveEntry t;
        while ((t = tar.getNextEntry()) != null) {
            final String path = safePath(t.getName());
            if (path == null) {
                throw new ImageException(deb + ": unsafe path in data.tar: " + t.getName());
            }
            if (t.isDirectory() || path.isEmpty()) {
                continue;
            }
            if (t.isSymbolicLink() || t.isLink() || isRegular(t)) {
                visitor.entry(path, t, tar);
            }
        }
    }

    /**
     * Whether a tar entry is a regular file. ({@link TarArchiveEntry#isFile()} is also true for symlinks and
     * devices, so the type flag is checked instead.)
     */
    public static boolean isRegular(final TarArchiveEntry t) {
        final byte f = t.getLinkFlag();
        return f == TarConstants.LF_NORMAL || f == TarConstants.LF_OLDNORM || f == TarConstants.LF_CONTIG;
    }

    /**
     * Extracts the regular files named by the keys of {@code wanted} (normalised paths) to the paths they map to,
     * and returns the names found; links and missing names are the caller's to judge from the result.
     */
    static java.util.Set<String> extract(final Path deb, final java.util.Map<String, Path> wanted, final long max)
            throws ImageException {
        final java.util.Set<String> found = new java.util.HashSet<>();
        final String name = deb.getFileName().toString();
        readData(deb, (path, header, in) -> {
            final Path target = wanted.get(path);
            if (target != null && isRegular(header)) {
                copy(name, path, in, target, max);
                found.add(path);
            }
        });
        return found;
    }

    /**
     * The normalised relative form of a tar entry name ({@code ""} for the root), or null if the name is absolute,
     * climbs out with {@code ..}, or holds a NUL or backslash.
     */
    public static String safePath(final String entryName) {
        if (entryName.startsWith("/") || entryName.indexOf('\0') >= 0 || entryName.indexOf('\\') >= 0) {
            return null;
        }
        final List<String> parts = new ArrayList<>();
        for (String p : entryName.split("/")) {
            if (p.isEmpty() || p.equals(".")) {
                continue;
            }
            if (p.equals("..")) {
                return null;
            }
            parts.add(p);
        }
        return String.join("/", parts);
    }

    /**
     * Copies the current entry to {@code target} (creating its directory), refusing more than {@code max} bytes.
     * A failure to read is the package's fault (IOException); a failure to write is reported as such.
     */
    static void copy(final String deb, final String path, final InputStream in, final Path target, final long max)
            throws IOException, ImageException {
        final OutputStream out;
        try {
            Files.createDirectories(target.toAbsolutePath().getParent());
            out = Files.newOutputStream(target);
        } catch (IOException e) {
            throw new ImageException(target + ": cannot write: " + message(e), e);
        }
        try (out) {
            final byte[] buf = new byte[1 << 16];
            long n = 0;
            int r;
            while ((r = in.read(buf)) > 0) {
                n += r;
                if (n > max) {
                    throw new ImageException(deb + ": " + path + " is larger than " + (max >> 20) + " MiB");
                }
                try {
                    out.write(buf, 0, r);
                } catch (IOException e) {
                    throw new ImageException(target + ": cannot write: " + message(e), e);
                }
            }
        }
    }

    private static String message(final Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
