package io.sublet.boot.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cross-checks the verifier against GnuPG, an independent implementation of the clear-signing rules (dash
 * escaping, trailing blanks, line endings): a document clear-signed by gpg must verify, and must stop verifying
 * when a byte of the signed text changes. Skipped when gpg is not installed.
 */
class GpgCrossCheckTest {
    @TempDir
    Path dir;

    private void gpg(final Path home, final String... args) throws IOException, InterruptedException {
        final List<String> cmd = new ArrayList<>(List.of("gpg", "--batch", "--quiet", "--no-tty", "--homedir",
                home.toString()));
        cmd.addAll(List.of(args));
        final Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("gpg " + String.join(" ", args) + " failed: " + out);
        }
    }

    private static boolean gpgInstalled() {
        try {
            final Process p = new ProcessBuilder("gpg", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    @Test
    void documentsClearSignedByGnuPgVerify() throws Exception {
        Assumptions.assumeTrue(gpgInstalled(), "gpg (Debian package gnupg) is not installed");
        final Path home = Files.createDirectory(dir.resolve("g"));
        Files.setPosixFilePermissions(home, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        try {
            gpg(home, "--passphrase", "", "--pinentry-mode", "loopback", "--quick-gen-key", "Gpg Test <g@test>",
                    "ed25519", "sign", "never");
            final Path text = dir.resolve("Release");
            Files.writeString(text, ReleaseVerifierTest.TEXT, StandardCharsets.UTF_8);
            gpg(home, "--digest-algo", "SHA256", "--clearsign", "--output", dir.resolve("InRelease").toString(),
                    text.toString());
            gpg(home, "--output", dir.resolve("key.gpg").toString(), "--export");
            final ReleaseVerifier v = ReleaseVerifier.load(dir.resolve("key.gpg"));
            final byte[] doc = Files.readAllBytes(dir.resolve("InRelease"));
            final ReleaseVerifier.Verified ok = v.verify("InRelease", doc);
            assertEquals(ReleaseVerifierTest.TEXT.replace("blanks   \t", "blanks"), ok.text());
            assertTrue(ok.signers().get(0).contains("Gpg Test <g@test>"), ok.signers().toString());

            final String tampered = new String(doc, StandardCharsets.UTF_8)
                    .replace("Codename: trixie", "Codename: trixid");
            final ImageException e = assertThrows(ImageException.class,
                    () -> v.verify("InRelease", tampered.getBytes(StandardCharsets.UTF_8)));
            assertTrue(e.getMessage().contains("BAD signature"), e.getMessage());
        } finally {
            new ProcessBuilder("gpgconf", "--homedir", home.toString(), "--kill", "gpg-agent").start().waitFor(30,
                    TimeUnit.SECONDS);
        }
    }
}
