package io.sublet.machine;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The migration stream between two Sublet hosts, version {@value #VERSION}: stop-and-copy of a paused machine.
 *
 * <pre>
 *  target -> source   "SUBLMIGR" | version u32 | nonce (32 random bytes)
 *  source -> target   "SUBLMIGR" | version u32 | HMAC-SHA256(token, "source" | nonce)
 *  target -> source   verdict (below)                               the source is who it says
 *  source -> target   the snapshot ({@link io.sublet.machine.snapshot.SnapshotStream})
 *                     | HMAC-SHA256(token, nonce | every snapshot byte)   nothing in between can be altered
 *  target -> source   verdict: READY (received, every CRC checked, the state decodes)
 *  source -> target   COMMIT (the source has released its disks)
 *  target -> source   verdict: RUNNING (restored; the source stops) or FAILED (the source takes its disks back
 *                     and resumes)
 *  verdict: u8 0 = yes | u8 1 + u16 length + UTF-8 reason = no
 * </pre>
 *
 * Every step has a timeout; a cut, corrupt or forged stream fails the migration and the source goes on.
 */
final class MigrationProtocol {
    static final byte[] MAGIC = "SUBLMIGR".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;
    static final int NONCE = 32;
    static final int COMMIT = 0x43;

    private MigrationProtocol() { }

    static void hello(final DataOutputStream out) throws IOException {
        out.write(MAGIC);
        out.writeInt(VERSION);
    }

    /** Reads the peer's magic and version; throws naming what was wrong. */
    static void expectHello(final DataInputStream in) throws IOException {
        final byte[] m = new byte[MAGIC.length];
        in.readFully(m);
        if (!MessageDigest.isEqual(m, MAGIC)) {
            throw new IOException("the peer is not a Sublet migration endpoint");
        }
        final int v = in.readInt();
        if (v != VERSION) {
            throw new IOException("the peer speaks migration version " + v + ", this Sublet version " + VERSION);
        }
    }

    static Mac mac(final byte[] token) {
        try {
            final Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(token, "HmacSHA256"));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has HmacSHA256", e);
        }
    }

    static byte[] proof(final byte[] token, final byte[] nonce) {
        final Mac mac = mac(token);
        mac.update("source".getBytes(StandardCharsets.US_ASCII));
        return mac.doFinal(nonce);
    }

    static void yes(final DataOutputStream out) throws IOException {
        out.writeByte(0);
        out.flush();
    }

    static void no(final DataOutputStream out, final String reason) throws IOException {
        final byte[] b = reason.getBytes(StandardCharsets.UTF_8);
        out.writeByte(1);
        out.writeShort(Math.min(b.length, 0xffff));
        out.write(b, 0, Math.min(b.length, 0xffff));
        out.flush();
    }

    /** Reads a verdict; a "no" becomes an IOException with the peer's reason. */
    static void expectYes(final DataInputStream in, final String step) throws IOException {
        final int v = in.readUnsignedByte();
        if (v == 0) {
            return;
        }
        if (v != 1) {
            throw new IOException(step + ": the peer sent verdict " + v);
        }
        final byte[] b = new byte[in.readUnsignedShort()];
        in.readFully(b);
        throw new IOException(step + ": the target refused: " + new String(b, StandardCharsets.UTF_8));
    }

    /** Output that also feeds every byte to a MAC. */
    static final class MacOut extends FilterOutputStream {
        private final Mac mac;

        MacOut(final OutputStream out, final Mac mac) {
            super(out);
            this.mac = mac;
        }

        @Override
        public void write(final int b) throws IOException {
            mac.update((byte) b);
            out.write(b);
        }

        @Override
        public void write(final byte[] b, final int off, final int len) throws IOException {
            mac.update(b, off, len);
            out.write(b, off, len);
        }
    }

    /** Input that also feeds every byte to a MAC. */
    static final class MacIn extends FilterInputStream {
        private final Mac mac;

        MacIn(final InputStream in, final Mac mac) {
            super(in);
            this.mac = mac;
        }

        @Override
        public int read() throws IOException {
            final int b = in.read();
            if (b >= 0) {
                mac.update((byte) b);
            }
            return b;
        }

        @Override
        public int read(final byte[] b, final int off, final int len) throws IOException {
            final int n = in.read(b, off, len);
            if (n > 0) {
                mac.update(b, off, n);
            }
            return n;
        }
    }
}
