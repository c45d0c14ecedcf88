package io.sublet.machine;

import io.sublet.dev.virtio.BlockBackend;
import io.sublet.dev.virtio.DiskImages;
import io.sublet.dev.virtio.Qcow2Disk;
import io.sublet.machine.snapshot.SnapshotException;
import io.sublet.machine.snapshot.SnapshotFile;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Forking a running virt machine into two that go on from the same instant (see {@link VirtMachine#fork}).
 * After the fork neither may write the disk image they shared, so each writable image becomes the read-only
 * backing file of two qcow2 overlays, one per machine; read-only disks are simply shared. Memory goes through
 * a snapshot file that the clone maps copy-on-write. Runs on the parent's run-loop thread with its guest
 * paused; every step before the parent's disks move is undone on failure.
 */
final class MachineFork {
    private MachineFork() { }

    static VirtMachine fork(VirtMachine parent, Path dir, String name, OutputStream console)
            throws IOException, SnapshotException {
        if (name.isEmpty() || name.contains("/") || name.startsWith(".")) {
            throw new IllegalArgumentException("a clone's name is a plain file name, got '" + name + "'");
        }
        final Path memory = dir.resolve(name + ".snap");
        if (Files.exists(memory)) {
            throw new IOException(memory + ": already exists; a clone needs a new name");
        }
        final List<DiskSpec> specs = parent.config().disks();
        final List<BlockBackend> open = parent.openDisks();
        final List<DiskSpec> cloneDisks = new ArrayList<>();
        final List<Path> created = new ArrayList<>();
        try {
            for (int i = 0; i < specs.size(); i++) {
                final DiskSpec spec = specs.get(i);
                if (spec.readOnly()) {
                    cloneDisks.add(spec);
                    continue;
                }
                final Path base = spec.path().toAbsolutePath().normalize();
                final Path mine = dir.resolve(name + "-parent-disk" + i + ".qcow2").toAbsolutePath();
                final Path theirs = dir.resolve(name + "-disk" + i + ".qcow2").toAbsolutePath();
                final BlockBackend old = open.get(i);
                old.flush();
                final long size = old.size();
                final String id = old.id();
                old.close(); // the image becomes the overlays' read-only backing file
                final BlockBackend overlay;
                try {
                    Qcow2Disk.create(mine, size, base, Qcow2Disk.DEFAULT_CLUSTER_BITS);
                    created.add(mine);
                    Qcow2Disk.create(theirs, size, base, Qcow2Disk.DEFAULT_CLUSTER_BITS);
                    created.add(theirs);
                    overlay = Qcow2Disk.open(mine, false, id);
                } catch (IOException | RuntimeException e) {
                    parent.replaceDisk(i, DiskImages.open(base, false), spec); // back onto the image itself
                    throw e;
                }
                parent.replaceDisk(i, overlay, new DiskSpec(mine, false));
                cloneDisks.add(new DiskSpec(theirs, false));
            }
            // From here on the parent runs on its overlays whatever happens; only the clone's files can go.
            SnapshotFile.write(memory, MachineStateCodec.encode(parent.capture(cloneDisks)),
                    parent.ramBytes(), MachineConfig.RAM_BASE, false); // no fsync: the clone lives no longer than the host
            created.add(memory);
            return MachineRestore.restore(memory, console, false, true, Map.of(), true);
        } catch (IOException | SnapshotException | RuntimeException e) {
            for (Path p : created) {
                if (!inUse(parent, p)) { // the parent's own overlays stay: it runs on them now
                    Files.deleteIfExists(p);
                }
            }
            throw e;
        }
    }

    private static boolean inUse(VirtMachine parent, Path overlay) {
        return parent.config().disks().stream().anyMatch(d -> d.path().toAbsolutePath().equals(overlay));
    }
}
