package io.sublet.machine;

import io.sublet.boot.BadImageException;
import io.sublet.dev.virtio.BlockBackend;
import io.sublet.machine.snapshot.SnapshotException;
import io.sublet.machine.snapshot.SnapshotFile;
import io.sublet.mem.Ram;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Building a virt machine from a snapshot file, which is untrusted input: the container is checked
 * ({@link SnapshotFile}), the state decoded ({@link MachineStateCodec}), the disks compared with what they
 * were, and only then is a machine built and every part restored, each checking its own values. Any
 * failure is a SnapshotException naming the file and the problem, and leaves no machine behind.
 */
final class MachineRestore {
    private MachineRestore() { }

    /**
     * @param newCopy the restored guest is a new copy (a restore or a clone, not a migration): it gets a new
     *                generation ID, so it does not repeat the randomness of the machine it was copied from
     */
    static VirtMachine restore(Path file, OutputStream console, boolean force, boolean lazy,
                               Map<Path, BlockBackend> reuse, boolean newCopy) throws SnapshotException {
        try {
            return restoreChecked(file, console, force, lazy, reuse, newCopy);
        } catch (RuntimeException e) {
            // whatever a hostile file provokes ends here, never in the caller
            throw new SnapshotException(file + ": the snapshot cannot be restored (" + e + ")", e);
        }
    }

    private static VirtMachine restoreChecked(Path file, OutputStream console, boolean force, boolean lazy,
                                              Map<Path, BlockBackend> reuse, boolean newCopy) throws SnapshotException {
        final SnapshotFile f = SnapshotFile.open(file);
        final MachineState s;
        try {
            s = MachineStateCodec.decode(f.state());
        } catch (SnapshotException e) {
            throw new SnapshotException(file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new SnapshotException(file + ": corrupt machine state (" + e.getMessage() + ")", e);
        }
        if (f.memoryLength() != s.config().ramSize() || f.ramBase() != MachineConfig.RAM_BASE) {
            throw new SnapshotException(file + ": the memory section does not match the machine's RAM");
        }
        if (!force) {
            for (DiskIdentity d : s.disks()) {
                final String changed = d.changedSince();
                if (changed != null) {
                    throw new SnapshotException(changed + "; restoring would show the guest a disk it did not "
                            + "write (force it to restore anyway)");
                }
            }
        }
        final Ram ram;
        if (lazy && Files.isWritable(file)) { // else read it: the JDK maps PRIVATE only writable files
            ram = new Ram(MachineConfig.RAM_BASE, f.mapMemory());
        } else {
            ram = new Ram(MachineConfig.RAM_BASE, f.memoryLength());
            f.readMemory(ram.bytes());
        }
        final VirtMachine m;
        try {
            m = new VirtMachine(s.config(), console, ram, s, reuse);
        } catch (BadImageException e) {
            throw new SnapshotException(file + ": " + e.getMessage(), e);
        }
        try {
            m.restoreParts(s);
            if (newCopy) {
                m.newGeneration(); // a new copy of the guest must not repeat the other copy's randomness
            }
        } catch (RuntimeException e) {
            m.closeNics();
            m.closeDisks();
            throw new SnapshotException(file + ": " + e.getMessage(), e);
        }
        return m;
    }
}
