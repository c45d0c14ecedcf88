package io.sublet.machine;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.sublet.machine.snapshot.SnapshotException;
import io.sublet.machine.snapshot.SnapshotFile;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The snapshot loader against damaged and hostile files, seeded so that a failure can be replayed: every
 * case either restores a machine or fails with a SnapshotException; nothing else escapes, nothing hangs.
 */
class SnapshotFuzzTest {
    private static final long SEED = 0x5b1e7L;
    private static final long RAM = 4L << 20;

    @TempDir
    Path dir;
    private Path good;
    private byte[] goodBytes;
    private byte[] state;
    private ByteBuffer ram;

    @BeforeEach
    void snapshot() throws Exception {
        final VirtMachine m = new VirtMachine(new VirtConfig(RAM, SnapshotKernels.counter(dir), null, null, null, null,
                true), new ByteArrayOutputStream());
        for (int i = 0; i < 20; i++) {
            m.hart().run(1000);
        }
        good = dir.resolve("good.snap");
        m.saveSnapshot(good);
        m.requestStop(ExitReason.quit());
        m.run();
        goodBytes = Files.readAllBytes(good);
        final SnapshotFile f = SnapshotFile.open(good);
        state = f.state();
        ram = ByteBuffer.allocateDirect((int) f.memoryLength());
        f.readMemory(ram);
    }

    /** Returns true when the file restored; fails the test on anything but a SnapshotException. */
    private static boolean tryRestore(Path file, boolean lazy, String what) {
        try {
            final VirtMachine m = VirtMachine.restore(file, new ByteArrayOutputStream(), false, lazy);
            m.requestStop(ExitReason.quit());
            m.run();
            return true;
        } catch (SnapshotException e) {
            assertTrue(e.getMessage() != null && e.getMessage().contains(file.toString()),
                    what + ": the error names the file: " + e.getMessage());
            return false;
        } catch (Throwable t) {
            fail(what + ": the loader threw " + t, t);
            return false;
        }
    }

    @Test
    void theGoodSnapshotRestores() {
        assertTrue(tryRestore(good, true, "good"));
        assertTrue(tryRestore(good, false, "good"));
    }

    @Test
    void everyTruncationIsRefused() throws Exception {
        final Path cut = dir.resolve("cut.snap");
        final Random r = new Random(SEED);
        for (int i = 0; i < 200; i++) {
            final int length = i < 100 ? r.nextInt(8192) : r.nextInt(goodBytes.length);
            Files.write(cut, java.util.Arrays.copyOf(goodBytes, length));
            assertTrue(!tryRestore(cut, i % 2 == 0, "truncated to " + length), "truncated to " + length);
        }
    }

    /** Random damage to the header, state and page map of the file itself: the CRCs must catch it. */
    @Test
    void damagedBytesAreRefused() throws Exception {
        final Path bad = dir.resolve("damaged.snap");
        Files.write(bad, goodBytes);
        final Random r = new Random(SEED + 1);
        final int span = 4096 + state.length + 64;
        try (FileChannel ch = FileChannel.open(bad, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            for (int i = 0; i < 1500; i++) {
                final int at = r.nextInt(span);
                final byte was = goodBytes[at];
                final byte now = (byte) (was ^ (1 + r.nextInt(255)));
                ch.write(ByteBuffer.wrap(new byte[] {now}), at);
                if (at < 96 || at >= 4096) { // header fields or state: always covered by a CRC
                    assertTrue(!tryRestore(bad, true, "byte " + at + " flipped"), "byte " + at + " flipped");
                } else {
                    tryRestore(bad, true, "unused header byte " + at); // padding: may restore
                }
                ch.write(ByteBuffer.wrap(new byte[] {was}), at);
            }
        }
    }

    /** Hostile state with valid CRCs: the decoder and every part's checks must hold on their own. */
    @Test
    void hostileStateWithValidChecksumsNeverEscapes() throws Exception {
        final Path hostile = dir.resolve("hostile.snap");
        final Random r = new Random(SEED + 2);
        int restored = 0;
        for (int i = 0; i < 1500; i++) {
            final byte[] s = state.clone();
            final int edits = 1 + r.nextInt(4);
            for (int e = 0; e < edits; e++) {
                final int at = r.nextInt(s.length);
                switch (r.nextInt(4)) {
                    case 0:
                        s[at] ^= (byte) (1 << r.nextInt(8));
                        break;
                    case 1:
                        s[at] = (byte) r.nextInt(256);
                        break;
                    case 2: { // a boundary value in a 32-bit field
                        final int[] v = {0, -1, 1, Integer.MAX_VALUE, Integer.MIN_VALUE, 0x10000};
                        ByteBuffer.wrap(s).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                                .putInt(Math.min(at, s.length - 4), v[r.nextInt(v.length)]);
                        break;
                    }
                    default:
                        s[at] = (byte) 0xff;
                        break;
                }
            }
            final byte[] cut = r.nextInt(10) == 0 ? java.util.Arrays.copyOf(s, r.nextInt(s.length)) : s;
            SnapshotFile.write(hostile, cut, ram, MachineConfig.RAM_BASE);
            if (tryRestore(hostile, i % 2 == 0, "hostile case " + i)) {
                restored++;
            }
        }
        assertTrue(restored < 1500, "most hostile states are refused");
    }
}
