package io.sublet.machine;

import io.sublet.machine.snapshot.SnapshotException;
import io.sublet.machine.snapshot.SnapshotFile;
import io.sublet.machine.snapshot.SnapshotStream;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import javax.crypto.Mac;

/**
 * Moving a machine to another Sublet over TCP ({@link MigrationProtocol}): stop-and-copy. The source pauses its
 * guest, sends a snapshot, and stops only after the target has checked every byte, taken over the disks
 * (shared storage: the same paths on both sides) and restored the machine; until then any failure — a cut,
 * corrupt or forged stream, a refusal, a timeout — leaves the source running as before. Disk locks make the one
 * ambiguous case safe: when the target's answer to COMMIT is lost, the source takes its disks back only if the
 * target does not hold them, else it stays stopped rather than run the same disks twice.
 */
public final class Migration {
    /** What a migration measured: bytes on the wire, pages sent, the guest's pause and the whole migration. */
    public record Report(long bytes, long pages, double downtimeMillis, double totalMillis) { }

    private Migration() { }

    /** Source side: migrates {@code vm}, which keeps running on any failure (IOException or SnapshotException). */
    public static Report send(final VirtMachine vm, final InetSocketAddress to, final byte[] token,
            final Duration timeout, final Path scratch) throws IOException, SnapshotException {
        final long start = System.nanoTime();
        try (Socket s = new Socket()) {
            s.connect(to, (int) timeout.toMillis());
            s.setSoTimeout((int) timeout.toMillis());
            final DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream()));
            final BufferedOutputStream raw = new BufferedOutputStream(s.getOutputStream());
            final DataOutputStream out = new DataOutputStream(raw);
            MigrationProtocol.expectHello(in);
            final byte[] nonce = new byte[MigrationProtocol.NONCE];
            in.readFully(nonce);
            MigrationProtocol.hello(out);
            out.write(MigrationProtocol.proof(token, nonce));
            out.flush();
            MigrationProtocol.expectYes(in, "authentication");
            return vm.migrateOut(() -> transfer(vm, in, raw, token, nonce, scratch, start, to));
        }
    }

    /** With the guest paused, on the source's run loop: the snapshot out, the handover, the verdicts. */
    private static Report transfer(final VirtMachine vm, final DataInputStream in, final BufferedOutputStream raw,
            final byte[] token, final byte[] nonce, final Path scratch, final long start, final InetSocketAddress to)
            throws IOException, SnapshotException {
        final long paused = System.nanoTime();
        final Path temp = scratch.resolve(".migration-" + ProcessHandle.current().pid() + "-" + paused + ".snap");
        final long bytes;
        final long pages;
        try {
            final SnapshotFile.Written w = SnapshotFile.write(temp, MachineStateCodec.encode(vm.capture()),
                    vm.ramBytes(), MachineConfig.RAM_BASE, false);
            pages = w.storedPages();
            final Mac mac = MigrationProtocol.mac(token);
            mac.update(nonce);
            final DataOutputStream signed = new DataOutputStream(new MigrationProtocol.MacOut(raw, mac));
            bytes = SnapshotStream.send(temp, signed);
            raw.write(mac.doFinal());
            raw.flush();
        } finally {
            Files.deleteIfExists(temp);
        }
        MigrationProtocol.expectYes(in, "transfer");
        vm.releaseDisks();
        try {
            raw.write(MigrationProtocol.COMMIT);
            raw.flush();
            MigrationProtocol.expectYes(in, "restore");
        } catch (IOException e) {
            vm.reclaimDisks(e); // the target did not take over: back onto our disks, the guest goes on
            throw e;
        }
        vm.requestStop(new ExitReason(ExitReason.Kind.QUIT, 0, "migrated to " + to));
        final long end = System.nanoTime();
        return new Report(bytes, pages, (end - paused) / 1e6, (end - start) / 1e6);
    }

    /**
     * Target side: accepts one migration on {@code server} and returns the restored machine, ready to
     * {@link VirtMachine#run}. The snapshot is kept as {@code file}, which the machine maps copy-on-write.
     */
    public static VirtMachine receive(final ServerSocket server, final byte[] token, final Duration timeout,
            final Path file, final OutputStream console) throws IOException, SnapshotException {
        try (Socket s = server.accept()) {
            s.setSoTimeout((int) timeout.toMillis());
            final BufferedInputStream raw = new BufferedInputStream(s.getInputStream());
            final DataInputStream in = new DataInputStream(raw);
            final DataOutputStream out = new DataOutputStream(new BufferedOutputStream(s.getOutputStream()));
            final byte[] nonce = new byte[MigrationProtocol.NONCE];
            new SecureRandom().nextBytes(nonce);
            MigrationProtocol.hello(out);
            out.write(nonce);
            out.flush();
            MigrationProtocol.expectHello(in);
            final byte[] proof = new byte[32];
            in.readFully(proof);
            if (!MessageDigest.isEqual(proof, MigrationProtocol.proof(token, nonce))) {
                MigrationProtocol.no(out, "authentication failed (a different host token)");
                throw new IOException("migration refused: the source did not prove the host token");
            }
            MigrationProtocol.yes(out);
            final Mac mac = MigrationProtocol.mac(token);
            mac.update(nonce);
            try {
                SnapshotStream.receive(new DataInputStream(new MigrationProtocol.MacIn(raw, mac)), file);
                final byte[] tag = new byte[32];
                in.readFully(tag);
                if (!MessageDigest.isEqual(tag, mac.doFinal())) {
                    throw new SnapshotException("the migration stream was altered (HMAC mismatch)");
                }
                MachineStateCodec.decode(SnapshotFile.open(file).state());
            } catch (SnapshotException e) {
                Files.deleteIfExists(file);
                MigrationProtocol.no(out, e.getMessage());
                throw e;
            }
            MigrationProtocol.yes(out);
            if (in.readUnsignedByte() != MigrationProtocol.COMMIT) {
                Files.deleteIfExists(file);
                throw new IOException("migration: the source did not commit");
            }
            final VirtMachine m;
            try {
                m = MachineRestore.restore(file, console, false, true, Map.of(), false); // the same guest, moved
            } catch (SnapshotException e) {
                MigrationProtocol.no(out, e.getMessage());
                throw e;
            }
            MigrationProtocol.yes(out);
            return m;
        }
    }
}
