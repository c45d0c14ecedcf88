package io.sublet.boot.image;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.generators.Ed25519KeyPairGenerator;
import org.bouncycastle.crypto.generators.RSAKeyPairGenerator;
import org.bouncycastle.crypto.params.Ed25519KeyGenerationParameters;
import org.bouncycastle.crypto.params.RSAKeyGenerationParameters;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPKeyPair;
import org.bouncycastle.openpgp.PGPKeyRingGenerator;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;
import org.bouncycastle.openpgp.operator.PGPDigestCalculator;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPDigestCalculatorProvider;
import org.bouncycastle.openpgp.operator.bc.BcPGPKeyPair;

/**
 * OpenPGP keys made in the test and clear-signed documents made with them, with Bouncy Castle's signing side, so
 * that the verifier is tested without any fixture files. RSA keys are generated once per JVM (they take a while).
 */
final class TestKeys {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static SigningKey rsa;

    private TestKeys() {
    }

    /** A key pair with a self-certified user ID. */
    static final class SigningKey {
        final PGPKeyPair pair;
        final PGPPublicKeyRing ring;

        SigningKey(final PGPKeyPair pair, final PGPPublicKeyRing ring) {
            this.pair = pair;
            this.ring = ring;
        }

        byte[] publicRing() {
            try {
                return ring.getEncoded();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        PGPSignature sign(final byte[] data, final int type, final int hashAlgorithm) {
            try {
                final PGPSignatureGenerator g = new PGPSignatureGenerator(
                        new BcPGPContentSignerBuilder(pair.getPublicKey().getAlgorithm(), hashAlgorithm));
                g.init(type, pair.getPrivateKey());
                g.update(data);
                return g.generate();
            } catch (PGPException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    static synchronized SigningKey rsa() {
        if (rsa == null) {
            final RSAKeyPairGenerator g = new RSAKeyPairGenerator();
            g.init(new RSAKeyGenerationParameters(BigInteger.valueOf(0x10001), RANDOM, 2048, 80));
            rsa = key(PublicKeyAlgorithmTags.RSA_GENERAL, g.generateKeyPair(), "Test Archive Key (RSA) <archive@test>");
        }
        return rsa;
    }

    static SigningKey ed25519(final String uid) {
        final Ed25519KeyPairGenerator g = new Ed25519KeyPairGenerator();
        g.init(new Ed25519KeyGenerationParameters(RANDOM));
        return key(PublicKeyAlgorithmTags.EDDSA_LEGACY, g.generateKeyPair(), uid);
    }

    private static SigningKey key(final int algorithm, final AsymmetricCipherKeyPair kp, final String uid) {
        try {
            final PGPKeyPair pair = new BcPGPKeyPair(algorithm, kp, new Date());
            final PGPDigestCalculator sha1 = new BcPGPDigestCalculatorProvider().get(HashAlgorithmTags.SHA1);
            final PGPKeyRingGenerator gen = new PGPKeyRingGenerator(PGPSignature.POSITIVE_CERTIFICATION, pair, uid,
                    sha1, null, null, new BcPGPContentSignerBuilder(algorithm, HashAlgorithmTags.SHA256), null);
            return new SigningKey(pair, gen.generatePublicKeyRing());
        } catch (PGPException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The concatenated public rings, as a binary keyring file holds them. */
    static byte[] keyring(final SigningKey... keys) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (SigningKey k : keys) {
            out.writeBytes(k.publicRing());
        }
        return out.toByteArray();
    }

    /** The bytes a text signature over {@code text} covers (RFC 4880 7.1): trailing blanks cut, CR LF, no final EOL. */
    static byte[] canonical(final String text) {
        final String body = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        final List<String> lines = new ArrayList<>();
        for (String l : body.split("\n", -1)) {
            lines.add(l.replaceAll("[ \\t]+$", ""));
        }
        return String.join("\r\n", lines).getBytes(StandardCharsets.UTF_8);
    }

    /** A clear-signed document of {@code text} (which ends in a newline) with the given signatures. */
    static byte[] clearSigned(final String text, final List<PGPSignature> signatures) {
        final StringBuilder doc = new StringBuilder("-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\n");
        for (String line : text.substring(0, text.length() - 1).split("\n", -1)) {
            doc.append(line.startsWith("-") ? "- " + line : line).append('\n');
        }
        final ByteArrayOutputStream armored = new ByteArrayOutputStream();
        try (ArmoredOutputStream a = new ArmoredOutputStream(armored)) {
            for (PGPSignature s : signatures) {
                s.encode(a);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        doc.append(armored.toString(StandardCharsets.US_ASCII));
        return doc.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** {@code text} clear-signed by each of {@code keys} with SHA-256 text signatures. */
    static byte[] clearSign(final String text, final SigningKey... keys) {
        final List<PGPSignature> sigs = new ArrayList<>();
        for (SigningKey k : keys) {
            sigs.add(k.sign(canonical(text), PGPSignature.CANONICAL_TEXT_DOCUMENT, HashAlgorithmTags.SHA256));
        }
        return clearSigned(text, sigs);
    }
}
