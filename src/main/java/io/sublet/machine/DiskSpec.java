package io.sublet.machine;

import java.nio.file.Path;

/** A disk to attach: {@code --disk FILE[,ro]}. */
public record DiskSpec(Path path, boolean readOnly) {
    public static DiskSpec parse(String text) {
        final String[] parts = text.split(",", -1);
        if (parts[0].isEmpty()) {
            throw new IllegalArgumentException("--disk needs a file: --disk FILE[,ro]");
        }
        boolean ro = false;
        for (int i = 1; i < parts.length; i++) {
            if (parts[i].equals("ro") || parts[i].equals("readonly")) {
                ro = true;
            } else if (!parts[i].equals("rw")) {
                throw new IllegalArgumentException("--disk " + text + ": unknown option '" + parts[i] + "' (use ro or rw)");
            }
        }
        return new DiskSpec(Path.of(parts[0]), ro);
    }
}
