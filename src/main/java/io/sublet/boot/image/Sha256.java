package io.sublet.boot.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** SHA-256 digests as the archive writes them: 64 lower-case hex digits. */
final class Sha256 {
    private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");

    private Sha256() {
    }

    static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }

    static String hex(final MessageDigest d) {
        return HexFormat.of().formatHex(d.digest());
    }

    static String of(final byte[] data) {
        final MessageDigest d = digest();
        d.update(data);
        return hex(d);
    }

    /** The digest and length of a file, read once. */
    static Sum ofFile(final Path file) throws IOException {
        final MessageDigest d = digest();
        long n = 0;
        try (InputStream in = Files.newInputStream(file)) {
            final byte[] buf = new byte[1 << 16];
            int r;
            while ((r = in.read(buf)) > 0) {
                d.update(buf, 0, r);
                n += r;
            }
        }
        return new Sum(hex(d), n);
    }

    static boolean isValid(final String hex) {
        return hex != null && HEX.matcher(hex).matches();
    }

    /** A file's SHA-256 and size in bytes. */
    record Sum(String sha256, long size) {
        boolean matches(final String expectedSha256, final long expectedSize) {
            return size == expectedSize && sha256.equals(expectedSha256);
        }
    }
}
