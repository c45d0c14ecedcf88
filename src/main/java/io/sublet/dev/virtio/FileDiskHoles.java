package io.sublet.dev.virtio;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Sparse-file operations Java has no API for, done with the host's util-linux and coreutils tools.
 *
 * <p><b>Punching holes.</b> Linux frees a file's blocks with {@code fallocate(fd, FALLOC_FL_PUNCH_HOLE |
 * FALLOC_FL_KEEP_SIZE, ...)}; the range then reads as zeros and the file keeps its size. JDK 17 cannot make that
 * call (its foreign-function API is an incubator module that needs extra flags at build and run time), so this
 * class runs {@code fallocate --punch-hole --keep-size -o OFFSET -l LENGTH FILE}. The kernel zeroes partial blocks
 * at either end of the range itself, so any byte range may be passed. Measured on ext4 (2-core VM, JDK 17): about
 * 3 to 4 ms per call whatever the length, nearly all of it starting the process (punching 1 GiB of data in one
 * call takes about 30 ms); writing 1 MiB of zeros through the page cache costs about 0.4 ms. {@link FileDisk}
 * therefore punches only ranges of at least {@link FileDisk#PUNCH_MIN_PROP_NAME} bytes (default 1 MiB) and writes
 * zeros below that. A per-range process is the best that can be done without native code; on a JDK with the
 * final foreign-function API (22+), one {@code fallocate(2)} downcall would replace it.
 *
 * <p>The tool opens the file by name, so before each call the name is checked to still be the file FileDisk has
 * open (device and inode); a renamed or replaced image turns punching off for that disk, and the caller writes
 * zeros instead. The remaining window (a rename between that check and the tool's open) needs someone moving
 * images under a running VM. A failing tool (no such tool, a file system without hole punching, a full file
 * system) also turns punching off for the disk, with the reason kept for {@link FileDisk#punchStatus()}; the
 * caller then writes zeros, which is always correct.
 *
 * <p>The tool's path comes from the system property {@value #TOOL_PROP_NAME} (a path, or {@code none} to never
 * punch), else from {@code PATH}, else {@code /usr/bin}, {@code /bin}, {@code /usr/sbin}, {@code /sbin}.
 */
public final class FileDiskHoles {
    /** System property: path of the fallocate tool, or "none". */
    public static final String TOOL_PROP_NAME = "sublet.disk.fallocate";

    private static volatile Optional<Path> tool;

    private final Path file;
    private final long dev;
    private final long ino;
    private final Path fallocate;
    private volatile String disabled;

    private FileDiskHoles(final Path file, final long dev, final long ino, final Path fallocate) {
        this.file = file;
        this.dev = dev;
        this.ino = ino;
        this.fallocate = fallocate;
    }

    /** A puncher for the open file {@code file} (device {@code dev}, inode {@code ino}); empty if there is no tool. */
    static FileDiskHoles forFile(final Path file, final long dev, final long ino) {
        final Optional<Path> t = tool();
        final FileDiskHoles h = new FileDiskHoles(file, dev, ino, t.orElse(null));
        if (t.isEmpty()) {
            h.disabled = "no fallocate tool (util-linux) found";
        } else if (dev < 0 || ino < 0) {
            h.disabled = "the file's device and inode are unknown on this platform";
        }
        return h;
    }

    /** A puncher that runs {@code fallocate} as given, for tests of a missing or failing tool. */
    static FileDiskHoles withTool(final Path fallocate, final Path file, final long dev, final long ino) {
        return new FileDiskHoles(file, dev, ino, fallocate);
    }

    /** The fallocate tool, found once per JVM. */
    public static Optional<Path> tool() {
        Optional<Path> t = tool;
        if (t == null) {
            t = findTool();
            tool = t;
        }
        return t;
    }

    private static Optional<Path> findTool() {
        final String prop = System.getProperty(TOOL_PROP_NAME);
        if (prop != null && !prop.isEmpty()) {
            return prop.equals("none") ? Optional.empty() : Optional.of(Path.of(prop)).filter(Files::isExecutable);
        }
        final String pathVar = System.getenv("PATH");
        final String dirs = (pathVar == null ? "" : pathVar + ":") + "/usr/bin:/bin:/usr/sbin:/sbin";
        for (String d : dirs.split(":")) {
            if (!d.isEmpty()) {
                final Path p = Path.of(d, "fallocate");
                if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }

    /** Null while punching works; otherwise why this disk writes zeros instead. */
    String disabledReason() {
        return disabled;
    }

    /**
     * Punches a hole over {@code [offset, offset + length)}; the range reads as zeros afterwards and the file's
     * size does not change. Returns false, having done nothing, when punching is off or fails (and turns it off for
     * good): the caller must then write zeros. Waits for the tool; if interrupted, it still waits for the tool to
     * end (so no punch can land after a later write), then throws InterruptedIOException.
     */
    boolean punch(final long offset, final long length) throws IOException {
        if (disabled != null) {
            return false;
        }
        try {
            final Map<String, Object> u = Files.readAttributes(file, "unix:dev,ino");
            if (((Number) u.get("dev")).longValue() != dev || ((Number) u.get("ino")).longValue() != ino) {
                disabled = file + " now names another file";
                return false;
            }
        } catch (IOException e) {
            disabled = file + ": " + e.getMessage() + " (renamed or deleted?)";
            return false;
        }
        final Process p;
        try {
            p = new ProcessBuilder(fallocate.toString(), "--punch-hole", "--keep-size", "-o", Long.toString(offset),
                    "-l", Long.toString(length), "--", file.toString()).redirectErrorStream(true).start();
        } catch (IOException e) {
            disabled = fallocate + ": " + e.getMessage();
            return false;
        }
        p.getOutputStream().close();
        final byte[] out = p.getInputStream().readAllBytes();
        boolean interrupted = false;
        int status;
        while (true) {
            try {
                status = p.waitFor();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (status != 0) {
            final String msg = new String(out, StandardCharsets.UTF_8).strip();
            disabled = fallocate + " exited with status " + status + (msg.isEmpty() ? "" : ": " + msg);
            if (interrupted) {
                throw new InterruptedIOException("interrupted while punching a hole in " + file);
            }
            return false;
        }
        if (interrupted) {
            throw new InterruptedIOException("interrupted while punching a hole in " + file);
        }
        return true;
    }

    /**
     * Bytes the file occupies on its file system ({@code st_blocks * 512}, from coreutils' {@code stat}): far below
     * the size for a sparse image. Empty when {@code stat} is missing or fails.
     */
    public static OptionalLong allocatedBytes(final Path file) {
        try {
            final Process p = new ProcessBuilder("stat", "-L", "-c", "%b %B", "--", file.toString())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            p.getOutputStream().close();
            final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
            if (p.waitFor() != 0) {
                return OptionalLong.empty();
            }
            final List<String> f = List.of(out.split(" "));
            return OptionalLong.of(Long.parseLong(f.get(0)) * Long.parseLong(f.get(1)));
        } catch (IOException | NumberFormatException | IndexOutOfBoundsException e) {
            return OptionalLong.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalLong.empty();
        }
    }
}
