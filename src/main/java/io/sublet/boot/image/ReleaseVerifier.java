package io.sublet.boot.image;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.bcpg.ArmoredInputStream;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPPublicKeyRingCollection;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.bc.BcPGPObjectFactory;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentVerifierBuilderProvider;

/**
 * Checks an OpenPGP clear-signed document (RFC 4880 section 7, the form of Debian's {@code InRelease}) against a
 * keyring, with Bouncy Castle doing the cryptography.
 *
 * <p>Policy: the document is accepted when at least one of its signatures is a good signature by a key in the
 * keyring, and none of the signatures by keys in the keyring is bad. Signatures by keys not in the keyring are
 * ignored (Debian signs with several keys; a keyring from an older release lacks the newest). Key expiry is not
 * checked, so an old keyring on the host keeps working; revoked keys, non-text signatures and weak digests (MD5,
 * SHA-1, RIPEMD-160) never count as good.
 *
 * <p>Only the signed text is returned, so the caller cannot parse anything the signature does not cover; text
 * before the signed-message header or after the signature block is refused.
 */
public final class ReleaseVerifier {
    private static final String BEGIN_MESSAGE = "-----BEGIN PGP SIGNED MESSAGE-----";
    private static final String BEGIN_SIGNATURE = "-----BEGIN PGP SIGNATURE-----";
    private static final String END_SIGNATURE = "-----END PGP SIGNATURE-----";
    private static final long MAX_KEYRING = 16L << 20;

    /** The verified text, lines joined with {@code \n}, and who signed it, one line per good signature. */
    public record Verified(String text, List<String> signers) { }

    private final PGPPublicKeyRingCollection keys;
    private final String keyringName;

    private ReleaseVerifier(final PGPPublicKeyRingCollection keys, final String keyringName) {
        this.keys = keys;
        this.keyringName = keyringName;
    }

    /** Reads a keyring file, binary ({@code .gpg}, {@code .pgp}) or ASCII-armoured ({@code .asc}). */
    public static ReleaseVerifier load(final Path keyring) throws ImageException {
        final byte[] bytes;
        try {
            if (Files.isDirectory(keyring)) {
                throw new ImageException(keyring + ": is a directory, not an OpenPGP keyring");
            }
            if (Files.size(keyring) > MAX_KEYRING) {
                throw new ImageException(keyring + ": larger than 16 MiB, not an OpenPGP keyring");
            }
            bytes = Files.readAllBytes(keyring);
        } catch (NoSuchFileException e) {
            throw new ImageException(keyring + ": no such keyring (on Debian, install the package "
                    + "debian-archive-keyring, or give --keyring FILE)");
        } catch (IOException e) {
            throw new ImageException(keyring + ": cannot read keyring: " + e.getMessage());
        }
        return of(bytes, keyring.toString());
    }

    /** A verifier over the keys in {@code keyring} (binary or armoured); {@code name} is used in messages. */
    public static ReleaseVerifier of(final byte[] keyring, final String name) throws ImageException {
        final List<PGPPublicKeyRing> rings = new ArrayList<>();
        try (InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(keyring))) {
            final BcPGPObjectFactory f = new BcPGPObjectFactory(in);
            Object o;
            while ((o = f.nextObject()) != null) {
                if (o instanceof PGPPublicKeyRing) {
                    rings.add((PGPPublicKeyRing) o);
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new ImageException(name + ": not a readable OpenPGP keyring: " + e.getMessage());
        }
        if (rings.isEmpty()) {
            throw new ImageException(name + ": keyring holds no public keys");
        }
        return new ReleaseVerifier(new PGPPublicKeyRingCollection(rings), name);
    }

    /** The number of keys (primary keys and subkeys) the verifier trusts. */
    public int keyCount() {
        int n = 0;
        for (PGPPublicKeyRing ring : keys) {
            for (Iterator<PGPPublicKey> it = ring.getPublicKeys(); it.hasNext(); it.next()) {
                n++;
            }
        }
        return n;
    }

    /**
     * Verifies {@code document}, a clear-signed file called {@code name} in messages, and returns its signed text.
     *
     * @throws ImageException if the document is malformed, any signature by a keyring key is bad, or no
     *     signature is a good one by a keyring key
     */
    public Verified verify(final String name, final byte[] document) throws ImageException {
        final ClearSigned cs = ClearSigned.parse(name, document);
        final List<PGPSignature> signatures = readSignatures(name, cs.armoredSignature());
        final List<String> good = new ArrayList<>();
        final List<String> unusable = new ArrayList<>();
        for (PGPSignature sig : signatures) {
            final PGPPublicKey key = signingKey(sig);
            if (key == null) {
                unusable.add(keyId(sig.getKeyID()) + " (not in keyring)");
                continue;
            }
            final String who = describe(key);
            if (sig.getSignatureType() != PGPSignature.CANONICAL_TEXT_DOCUMENT) {
                unusable.add(who + " (signature type " + sig.getSignatureType() + ", not a text signature)");
                continue;
            }
            if (!strongDigest(sig.getHashAlgorithm())) {
                unusable.add(who + " (weak digest algorithm " + sig.getHashAlgorithm() + ")");
                continue;
            }
            if (key.hasRevocation() || masterOf(key).hasRevocation()) {
                unusable.add(who + " (key revoked)");
                continue;
            }
            final boolean ok;
            try {
                sig.init(new BcPGPContentVerifierBuilderProvider(), key);
                sig.update(cs.signedBytes());
                ok = sig.verify();
            } catch (PGPException | RuntimeException e) {
                unusable.add(who + " (" + e.getMessage() + ")");
                continue;
            }
            if (!ok) {
                throw new ImageException(name + ": BAD signature by " + who
                        + ": the file was altered after it was signed");
            }
            good.add(who);
        }
        if (good.isEmpty()) {
            throw new ImageException(name + ": no good signature by a key in " + keyringName
                    + (unusable.isEmpty() ? "" : "; signatures: " + String.join(", ", unusable)));
        }
        return new Verified(cs.text(), List.copyOf(good));
    }

    private static List<PGPSignature> readSignatures(final String name, final byte[] armored)
            throws ImageException {
        final List<PGPSignature> out = new ArrayList<>();
        try (ArmoredInputStream in = new ArmoredInputStream(new ByteArrayInputStream(armored))) {
            final BcPGPObjectFactory f = new BcPGPObjectFactory(in);
            Object o;
            while ((o = f.nextObject()) != null) {
                if (!(o instanceof PGPSignatureList)) {
                    throw new ImageException(name + ": signature block holds a "
                            + o.getClass().getSimpleName() + ", not signatures");
                }
                for (PGPSignature s : (PGPSignatureList) o) {
                    out.add(s);
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new ImageException(name + ": unreadable signature block: " + e.getMessage());
        }
        if (out.isEmpty()) {
            throw new ImageException(name + ": signature block holds no signature");
        }
        return out;
    }

    private PGPPublicKey signingKey(final PGPSignature sig) {
        if (sig.getKeyID() != 0) {
            return keys.getPublicKey(sig.getKeyID());
        }
        if (sig.getHashedSubPackets() != null && sig.getHashedSubPackets().getIssuerFingerprint() != null) {
            return keys.getPublicKey(sig.getHashedSubPackets().getIssuerFingerprint().getFingerprint());
        }
        return null;
    }

    private PGPPublicKey masterOf(final PGPPublicKey key) {
        if (key.isMasterKey()) {
            return key;
        }
        final PGPPublicKeyRing ring = keys.getPublicKeyRing(key.getKeyID());
        return ring == null ? key : ring.getPublicKey();
    }

    private String describe(final PGPPublicKey key) {
        final Iterator<String> ids = masterOf(key).getUserIDs();
        final String uid = ids.hasNext() ? " \"" + ids.next() + "\"" : "";
        return HexFormat.of().withUpperCase().formatHex(key.getFingerprint()) + uid;
    }

    private static String keyId(final long id) {
        return String.format(Locale.ROOT, "key %016X", id);
    }

    private static boolean strongDigest(final int alg) {
        switch (alg) {
            case HashAlgorithmTags.SHA224:
            case HashAlgorithmTags.SHA256:
            case HashAlgorithmTags.SHA384:
            case HashAlgorithmTags.SHA512:
            case HashAlgorithmTags.SHA3_256:
            case HashAlgorithmTags.SHA3_512:
                return true;
            default:
                return false;
        }
    }

    /**
     * The parts of a clear-signed document. {@code signedBytes} is what the signatures cover: the dash-unescaped
     * lines, trailing spaces and tabs removed, joined by CR LF, with no line ending after the last line.
     */
    private record ClearSigned(String text, byte[] signedBytes, byte[] armoredSignature) {
        static ClearSigned parse(final String name, final byte[] document) throws ImageException {
            // ISO-8859-1 maps bytes 1:1 to chars, so the signed bytes are exactly the file's bytes.
            final String[] lines = new String(document, StandardCharsets.ISO_8859_1).split("\r?\n", -1);
            int i = 0;
            if (lines.length == 0 || !stripTrailing(lines[0]).equals(BEGIN_MESSAGE)) {
                throw new ImageException(name + ": not an OpenPGP clear-signed file (no '" + BEGIN_MESSAGE
                        + "' on the first line)");
            }
            i++;
            while (i < lines.length && !stripTrailing(lines[i]).isEmpty()) {
                if (!lines[i].startsWith("Hash: ")) {
                    throw new ImageException(name + ": malformed clear-signed header line: " + lines[i]);
                }
                i++;
            }
            i++; // the blank line
            final StringBuilder signed = new StringBuilder();
            final StringBuilder text = new StringBuilder();
            boolean first = true;
            while (true) {
                if (i >= lines.length) {
                    throw new ImageException(name + ": truncated: no '" + BEGIN_SIGNATURE + "' line");
                }
                String line = lines[i++];
                if (stripTrailing(line).equals(BEGIN_SIGNATURE)) {
                    break;
                }
                if (line.startsWith("- ")) {
                    line = line.substring(2);
                } else if (line.startsWith("-")) {
                    throw new ImageException(name + ": malformed: line " + i + " starts with '-' but is not "
                            + "dash-escaped");
                }
                line = stripTrailing(line);
                if (!first) {
                    signed.append("\r\n");
                }
                first = false;
                signed.append(line);
                text.append(line).append('\n');
            }
            final StringBuilder armor = new StringBuilder(BEGIN_SIGNATURE).append('\n');
            boolean ended = false;
            while (i < lines.length) {
                final String line = lines[i++];
                if (ended) {
                    if (!line.isBlank()) {
                        throw new ImageException(name + ": unsigned text after the signature block");
                    }
                    continue;
                }
                armor.append(line).append('\n');
                ended = stripTrailing(line).equals(END_SIGNATURE);
            }
            if (!ended) {
                throw new ImageException(name + ": truncated: no '" + END_SIGNATURE + "' line");
            }
            final String utf8 = new String(text.toString().getBytes(StandardCharsets.ISO_8859_1),
                    StandardCharsets.UTF_8);
            return new ClearSigned(utf8, signed.toString().getBytes(StandardCharsets.ISO_8859_1),
                    armor.toString().getBytes(StandardCharsets.ISO_8859_1));
        }

        private static String stripTrailing(final String s) {
            int end = s.length();
            while (end > 0 && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == '\t' || s.charAt(end - 1) == '\r')) {
                end--;
            }
            return s.substring(0, end);
        }
    }
}
