package io.sublet.boot.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.openpgp.PGPSignature;
import org.junit.jupiter.api.Test;

class ReleaseVerifierTest {
    /** Has a dash-escaped line, trailing blanks (not covered by the signature) and non-ASCII text. */
    static final String TEXT = "Origin: Debian\nCodename: trixie\n-dashed line\nTrailing: blanks   \t\n"
            + "Description: caf\u00e9\nSHA256:\n " + "a".repeat(64) + " 12 main/x\n";

    private static String verify(final byte[] keyring, final byte[] doc) throws ImageException {
        return ReleaseVerifier.of(keyring, "test-keyring").verify("InRelease", doc).text();
    }

    @Test
    void goodRsaAndEd25519SignaturesVerifyAndOnlyTheSignedTextIsReturned() throws ImageException {
        final TestKeys.SigningKey ed = TestKeys.ed25519("Ed <ed@test>");
        for (TestKeys.SigningKey k : List.of(TestKeys.rsa(), ed)) {
            final ReleaseVerifier.Verified v = ReleaseVerifier.of(k.publicRing(), "kr").verify("InRelease",
                    TestKeys.clearSign(TEXT, k));
            assertEquals(TEXT.replace("blanks   \t", "blanks"), v.text());
            assertEquals(1, v.signers().size());
            assertTrue(v.signers().get(0).contains("@test>"), v.signers().toString());
        }
    }

    @Test
    void signaturesByUnknownKeysAreIgnoredWhenOneKnownKeySignedIt() throws ImageException {
        final TestKeys.SigningKey known = TestKeys.ed25519("Known <k@test>");
        final TestKeys.SigningKey stranger = TestKeys.ed25519("Stranger <s@test>");
        final byte[] doc = TestKeys.clearSign(TEXT, stranger, known);
        final ReleaseVerifier.Verified v = ReleaseVerifier.of(known.publicRing(), "kr").verify("InRelease", doc);
        assertEquals(List.of(v.signers().get(0)), v.signers());
        assertTrue(v.signers().get(0).contains("Known"));
    }

    @Test
    void tamperedTextIsABadSignature() {
        final TestKeys.SigningKey k = TestKeys.ed25519("K <k@test>");
        final String doc = new String(TestKeys.clearSign(TEXT, k), StandardCharsets.UTF_8).replace("a".repeat(64),
                "b".repeat(64));
        final ImageException e = assertThrows(ImageException.class,
                () -> verify(k.publicRing(), doc.getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().startsWith("InRelease: BAD signature by "), e.getMessage());
    }

    @Test
    void aBadSignatureByAKnownKeyFailsEvenNextToAGoodOne() {
        final TestKeys.SigningKey a = TestKeys.ed25519("A <a@test>");
        final TestKeys.SigningKey b = TestKeys.ed25519("B <b@test>");
        final PGPSignature good = a.sign(TestKeys.canonical(TEXT), PGPSignature.CANONICAL_TEXT_DOCUMENT,
                HashAlgorithmTags.SHA256);
        final PGPSignature wrong = b.sign(TestKeys.canonical(TEXT + "X: y\n"), PGPSignature.CANONICAL_TEXT_DOCUMENT,
                HashAlgorithmTags.SHA256);
        final byte[] doc = TestKeys.clearSigned(TEXT, List.of(good, wrong));
        final ImageException e = assertThrows(ImageException.class, () -> verify(TestKeys.keyring(a, b), doc));
        assertTrue(e.getMessage().contains("BAD signature by") && e.getMessage().contains("B <b@test>"),
                e.getMessage());
    }

    @Test
    void noSignatureByAKeyInTheKeyringIsRefused() {
        final TestKeys.SigningKey k = TestKeys.ed25519("K <k@test>");
        final TestKeys.SigningKey other = TestKeys.ed25519("O <o@test>");
        final ImageException e = assertThrows(ImageException.class,
                () -> verify(other.publicRing(), TestKeys.clearSign(TEXT, k)));
        assertTrue(e.getMessage().startsWith("InRelease: no good signature by a key in test-keyring; signatures: key "),
                e.getMessage());
        assertTrue(e.getMessage().contains("(not in keyring)"), e.getMessage());
    }

    @Test
    void weakDigestsAndBinarySignaturesDoNotCount() {
        final TestKeys.SigningKey k = TestKeys.ed25519("K <k@test>");
        final PGPSignature sha1 = k.sign(TestKeys.canonical(TEXT), PGPSignature.CANONICAL_TEXT_DOCUMENT,
                HashAlgorithmTags.SHA1);
        ImageException e = assertThrows(ImageException.class,
                () -> verify(k.publicRing(), TestKeys.clearSigned(TEXT, List.of(sha1))));
        assertTrue(e.getMessage().contains("weak digest"), e.getMessage());
        final PGPSignature binary = k.sign(TestKeys.canonical(TEXT), PGPSignature.BINARY_DOCUMENT,
                HashAlgorithmTags.SHA256);
        e = assertThrows(ImageException.class,
                () -> verify(k.publicRing(), TestKeys.clearSigned(TEXT, List.of(binary))));
        assertTrue(e.getMessage().contains("not a text signature"), e.getMessage());
    }

    @Test
    void malformedDocumentsAreRefusedWithTheReason() {
        final TestKeys.SigningKey k = TestKeys.ed25519("K <k@test>");
        final String doc = new String(TestKeys.clearSign(TEXT, k), StandardCharsets.UTF_8);
        assertRefused(k, "Unsigned: prefix\n" + doc, "not an OpenPGP clear-signed file");
        assertRefused(k, doc + "Injected: after the signature\n", "unsigned text after the signature block");
        assertRefused(k, doc.substring(0, doc.indexOf("-----BEGIN PGP SIGNATURE")), "truncated");
        assertRefused(k, doc.substring(0, doc.indexOf("-----END PGP SIGNATURE")), "truncated");
        assertRefused(k, doc.replace("- -dashed", "-dashed"), "not dash-escaped");
        assertRefused(k, "plain text\n", "not an OpenPGP clear-signed file");
        final String sigBody = doc.substring(doc.indexOf("-----BEGIN PGP SIGNATURE"));
        final String garbled = doc.replace(sigBody,
                "-----BEGIN PGP SIGNATURE-----\n\nAAAA\n-----END PGP SIGNATURE-----\n");
        final ImageException e = assertThrows(ImageException.class,
                () -> verify(k.publicRing(), garbled.getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().startsWith("InRelease: "), e.getMessage());
    }

    private static void assertRefused(final TestKeys.SigningKey k, final String doc, final String reason) {
        final ImageException e = assertThrows(ImageException.class,
                () -> verify(k.publicRing(), doc.getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().startsWith("InRelease: ") && e.getMessage().contains(reason), e.getMessage());
    }

    @Test
    void anUnreadableKeyringIsAClearError() {
        ImageException e = assertThrows(ImageException.class,
                () -> ReleaseVerifier.of("not a keyring".getBytes(StandardCharsets.US_ASCII), "kr.gpg"));
        assertTrue(e.getMessage().startsWith("kr.gpg: "), e.getMessage());
        e = assertThrows(ImageException.class, () -> ReleaseVerifier.load(java.nio.file.Path.of("/nonexistent/k.gpg")));
        assertTrue(e.getMessage().contains("no such keyring") && e.getMessage().contains("debian-archive-keyring"),
                e.getMessage());
    }

    @Test
    void armouredKeyringsWork() throws Exception {
        final TestKeys.SigningKey k = TestKeys.ed25519("K <k@test>");
        final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (org.bouncycastle.bcpg.ArmoredOutputStream a = new org.bouncycastle.bcpg.ArmoredOutputStream(out)) {
            a.write(k.publicRing());
        }
        assertEquals(TEXT.replace("blanks   \t", "blanks"), verify(out.toByteArray(), TestKeys.clearSign(TEXT, k)));
    }
}
