package io.sublet.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;

/** The bearer token TCP clients must present: 256 random bits, made on first start, kept in a 0600 file. */
public final class ApiToken {
    private final byte[] token;

    private ApiToken(final String token) {
        this.token = token.getBytes(StandardCharsets.US_ASCII);
    }

    /** Reads the token in {@code file}, creating it (mode 0600) if there is none. */
    public static ApiToken load(final Path file) throws IOException {
        if (!Files.exists(file)) {
            final byte[] raw = new byte[32];
            new SecureRandom().nextBytes(raw);
            Files.createDirectories(file.getParent());
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, HexFormat.of().formatHex(raw) + "\n", StandardOpenOption.TRUNCATE_EXISTING);
        }
        return new ApiToken(Files.readString(file).trim());
    }

    public String value() {
        return new String(token, StandardCharsets.US_ASCII);
    }

    /** Whether an Authorization header carries this token; compared in constant time. */
    boolean accepts(final String authorization) {
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return false;
        }
        final byte[] given = authorization.substring("Bearer ".length()).trim().getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(token, given);
    }
}
