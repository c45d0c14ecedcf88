package io.sublet.boot.image;

import java.util.Map;

/**
 * One binary package from a Packages index: where its {@code .deb} is in the pool, how large it is and its
 * SHA-256, and what it depends on.
 */
public record PackageEntry(String name, String version, String architecture, String filename, long size,
        String sha256, String depends) {

    /** The entry for a Packages paragraph; {@code index} names the Packages file in messages. */
    static PackageEntry of(final String index, final Map<String, String> f) throws ImageException {
        final String name = require(index, f, "Package", null);
        final String filename = require(index, f, "Filename", name);
        final String sha = require(index, f, "SHA256", name);
        if (!Sha256.isValid(sha)) {
            throw new ImageException(index + ": package " + name + ": malformed SHA256 " + sha);
        }
        if (!safePoolPath(filename)) {
            throw new ImageException(index + ": package " + name + ": unsafe Filename " + filename);
        }
        final long size;
        try {
            size = Long.parseLong(require(index, f, "Size", name));
        } catch (NumberFormatException e) {
            throw new ImageException(index + ": package " + name + ": malformed Size " + f.get("Size"));
        }
        if (size <= 0) {
            throw new ImageException(index + ": package " + name + ": Size " + size);
        }
        return new PackageEntry(name, require(index, f, "Version", name), f.getOrDefault("Architecture", ""),
                filename, size, sha, f.getOrDefault("Depends", ""));
    }

    private static String require(final String index, final Map<String, String> f, final String field,
            final String pkg) throws ImageException {
        final String v = f.get(field);
        if (v == null || v.isBlank()) {
            throw new ImageException(index + ": " + (pkg == null ? "a paragraph" : "package " + pkg) + " has no "
                    + field + " field");
        }
        return v;
    }

    private static boolean safePoolPath(final String filename) {
        if (filename.startsWith("/") || filename.contains("\\") || !filename.endsWith(".deb")) {
            return false;
        }
        for (String part : filename.split("/", -1)) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                return false;
            }
        }
        return true;
    }

    /** The {@code .deb}'s file name, the last part of {@code Filename}. */
    public String debName() {
        return filename.substring(filename.lastIndexOf('/') + 1);
    }
}
