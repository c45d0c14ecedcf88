package io.sublet.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sublet.dev.virtio.VirtioNet;
import io.sublet.machine.snapshot.SnapshotFile;
import io.sublet.net.Ethernet;
import io.sublet.net.NetSpec;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A machine with network cards survives a snapshot: the cards' specs travel in the snapshot, the restored
 * machine has the same cards in the same slots with the same MACs, and its backends are started afresh.
 */
class VirtMachineNetSnapshotTest {
    @TempDir
    Path dir;

    @Test
    void networkCardsAreSavedAndComeBackInTheirSlots() throws Exception {
        final List<NetSpec> cards = List.of(NetSpec.parse("network=lab,rate=1M,mac=52:54:00:ab:cd:01"),
                NetSpec.parse("stream,listen=127.0.0.1:0"));
        final VirtConfig config = new VirtConfig(16L << 20, SnapshotKernels.counter(dir), null, null, null, null, true)
                .withNets(cards);
        final VirtMachine original = new VirtMachine(config, new ByteArrayOutputStream());
        for (int done = 0; done < 200_000; ) {
            done += original.hart().run(4096);
        }
        final Path file = dir.resolve("net.snap");
        original.saveSnapshot(file);
        final MachineState saved = MachineStateCodec.decode(SnapshotFile.open(file).state());
        assertEquals(List.of("network=lab,rate=1048576,mac=52:54:00:ab:cd:01", "stream,listen=127.0.0.1:0"),
                saved.config().nets().stream().map(NetSpec::toText).toList());

        final VirtMachine restored = VirtMachine.restore(file, new ByteArrayOutputStream(), false, true);
        try {
            final List<VirtioNet> nics = restored.nics();
            assertEquals(2, nics.size());
            assertEquals(0x5254_00ab_cd01L, nics.get(0).mac());
            assertEquals(Ethernet.defaultMac(1), nics.get(1).mac());
            assertTrue(nics.get(0).backend().describe().contains("network lab"), nics.get(0).backend().describe());
            assertTrue(restored.describe().stream().filter(d -> d.contains("VirtioNet")).count() == 2, restored.describe().toString());
        } finally {
            original.requestStop(ExitReason.quit());
            original.run();
            restored.requestStop(ExitReason.quit());
            restored.run();
        }
        assertTrue(!original.nics().get(1).backend().linkUp() && !restored.nics().get(0).backend().linkUp(),
                "backends are closed with their machines");
    }
}
