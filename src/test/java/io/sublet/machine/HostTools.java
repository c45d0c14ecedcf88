package io.sublet.machine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/** Host programs the guest-level tests use (Debian's e2fsprogs), skipped with a reason when absent. */
final class HostTools {
    private HostTools() { }

    /** Runs a command; returns its standard output (its diagnostics on stderr are shown only on failure). */
    static String run(String... command) throws IOException, InterruptedException {
        final Path errors = Files.createTempFile("sublet-host-tool", ".err");
        try {
            final Process p = new ProcessBuilder(command).redirectError(errors.toFile()).start();
            final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new AssertionError(String.join(" ", command) + " failed: " + out + Files.readString(errors));
            }
            return out;
        } finally {
            Files.deleteIfExists(errors);
        }
    }

    static void require(String tool) {
        for (String dir : List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return;
            }
        }
        Assumptions.abort(tool + " is not installed (Debian package e2fsprogs)");
    }

    /** An ext4 image of {@code megabytes} MiB holding the files of {@code content} (mkfs.ext4 -d). */
    static Path ext4(Path image, Path content, int megabytes) throws IOException, InterruptedException {
        require("mkfs.ext4");
        final List<String> cmd = new ArrayList<>(List.of("mkfs.ext4", "-q", "-F", "-L", "sublet", "-d",
                content.toString(), image.toString(), megabytes + "M"));
        run(cmd.toArray(new String[0]));
        return image;
    }

    /** A file's contents read from an ext4 image on the host, after replaying its journal. */
    static String catFromImage(Path image, String file) throws IOException, InterruptedException {
        require("debugfs");
        final Process fsck = new ProcessBuilder("e2fsck", "-fy", image.toString()).redirectErrorStream(true).start();
        fsck.getInputStream().readAllBytes();
        final int status = fsck.waitFor();
        if (status > 1) { // 0: clean, 1: errors fixed (a journal replay counts)
            throw new AssertionError("e2fsck found " + image + " damaged (status " + status + ")");
        }
        return run("debugfs", "-R", "cat " + file, image.toString());
    }
}
