package io.sublet.boot.image;

import java.io.IOException;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The signed text of a suite's {@code InRelease}: which suite it describes, when it was made, and the SHA-256 and
 * size of every index file under {@code dists/SUITE/}. Parse only text that {@link ReleaseVerifier} returned.
 */
public final class ReleaseFile {
    /** The expected digest and size of one index file. */
    public record Checksum(String sha256, long size) { }

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss z",
            Locale.ROOT);

    private final String name;
    private final Map<String, String> fields;
    private final Map<String, Checksum> sha256;

    private ReleaseFile(final String name, final Map<String, String> fields, final Map<String, Checksum> sha256) {
        this.name = name;
        this.fields = fields;
        this.sha256 = sha256;
    }

    /** Parses the text of a Release file; {@code name} is used in messages. */
    public static ReleaseFile parse(final String name, final String text) throws ImageException {
        final List<Map<String, String>> paragraphs;
        try {
            paragraphs = Deb822.parse(text);
        } catch (IOException e) {
            throw new ImageException(name + ": " + e.getMessage(), e);
        }
        if (paragraphs.size() != 1) {
            throw new ImageException(name + ": expected one paragraph, found " + paragraphs.size());
        }
        final Map<String, String> fields = paragraphs.get(0);
        final String list = fields.get("SHA256");
        if (list == null) {
            throw new ImageException(name + ": no SHA256 list (the archive is too old, or this is not a Release file)");
        }
        final Map<String, Checksum> sums = new HashMap<>();
        for (String line : list.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            final String[] parts = line.trim().split("\\s+");
            if (parts.length != 3 || !Sha256.isValid(parts[0])) {
                throw new ImageException(name + ": malformed SHA256 line: " + line);
            }
            try {
                sums.put(parts[2], new Checksum(parts[0], Long.parseLong(parts[1])));
            } catch (NumberFormatException e) {
                throw new ImageException(name + ": malformed size in SHA256 line: " + line);
            }
        }
        return new ReleaseFile(name, fields, Collections.unmodifiableMap(sums));
    }

    /** A field such as {@code Codename} or {@code Date}. */
    public Optional<String> field(final String field) {
        return Optional.ofNullable(fields.get(field));
    }

    /** The checksum of {@code path} (relative to {@code dists/SUITE/}), or empty if the file is not listed. */
    public Optional<Checksum> checksum(final String path) {
        return Optional.ofNullable(sha256.get(path));
    }

    /** Whether the archive serves files by hash ({@code Acquire-By-Hash: yes}). */
    public boolean byHash() {
        return "yes".equalsIgnoreCase(fields.get("Acquire-By-Hash"));
    }

    /**
     * Refuses a Release file of another suite (a mirror serving a different, validly signed suite) or one past its
     * {@code Valid-Until} date (an old file replayed).
     */
    public void check(final String suite, final Instant now) throws ImageException {
        final String codename = fields.get("Codename");
        final String s = fields.get("Suite");
        if (!suite.equals(codename) && !suite.equals(s)) {
            throw new ImageException(name + ": describes suite " + s + " (codename " + codename + "), not " + suite);
        }
        final String validUntil = fields.get("Valid-Until");
        if (validUntil != null) {
            final Instant until = parseDate(validUntil);
            if (until == null) {
                throw new ImageException(name + ": unreadable Valid-Until date: " + validUntil);
            }
            if (now.isAfter(until)) {
                throw new ImageException(name + ": expired on " + validUntil + " (Valid-Until); the mirror is stale");
            }
        }
    }

    static Instant parseDate(final String text) {
        try {
            return ZonedDateTime.parse(text.trim(), DATE).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
