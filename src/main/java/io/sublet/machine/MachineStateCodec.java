package io.sublet.machine;

import io.sublet.boot.BootRom;
import io.sublet.cpu.HartState;
import io.sublet.cpu.Pmp;
import io.sublet.dev.Clint;
import io.sublet.dev.GoldfishRtc;
import io.sublet.dev.Plic;
import io.sublet.dev.Uart16550;
import io.sublet.dev.VmGenId;
import io.sublet.dev.virtio.Virtqueue;
import io.sublet.dev.virtio.VirtioMmio;
import io.sublet.machine.snapshot.SnapshotException;
import io.sublet.machine.snapshot.StateReader;
import io.sublet.machine.snapshot.StateWriter;
import io.sublet.net.NetSpec;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The state section of a virt machine snapshot, one tagged section per part:
 * {@code CONF} the configuration, {@code BOOT} ROM and device tree, {@code HART}, {@code CLNT}, {@code PLIC},
 * {@code UART}, {@code UATX} (the UART's transmit FIFO; optional), {@code RTC_}, {@code VMGI} (the generation ID), {@code VIRT} (each slot: transport, queues, device state) and {@code DISK},
 * and {@code NETS} (the network cards' {@code --net} specs) when the machine has any.
 * Decoding checks shapes and lengths; the parts check their values when they are restored.
 */
final class MachineStateCodec {
    private static final int MAX_PATH = 4096;
    private static final int MAX_APPEND = 64 << 10;
    private static final int MAX_DTB = 1 << 20;
    private static final int MAX_DISKS = 16;
    private static final int MAX_NETS = 8;
    private static final int MAX_QUEUES = 64;
    private static final int MAX_DEVICE_STATE = 1 << 20;
    private static final int MAX_ARRAY = 1 << 16;

    private MachineStateCodec() { }

    static byte[] encode(final MachineState s) {
        final StateWriter w = new StateWriter();
        final VirtConfig c = s.config();
        w.begin("CONF").putLong(c.ramSize()).putString(c.kernel().toString()).putString(str(c.initrd()))
                .putString(c.append()).putString(str(c.bios())).putBoolean(c.deterministic()).putBoolean(c.rng());
        w.putInt(c.disks().size());
        for (DiskSpec d : c.disks()) {
            w.putString(d.path().toString()).putBoolean(d.readOnly());
        }
        if (!c.nets().isEmpty()) { // an optional section: snapshots of machines without a network card lack it
            w.begin("NETS").putInt(c.nets().size());
            for (NetSpec n : c.nets()) {
                w.putString(n.toText());
            }
        }
        w.begin("BOOT").putBytes(s.rom()).putBytes(s.dtb()).putLong(s.dtbAddress());
        final HartState h = s.hart();
        w.begin("HART").putLongs(h.x()).putLongs(h.f()).putLong(h.pc()).putInt(h.priv()).putInt(h.fflags())
                .putInt(h.frm()).putLong(h.mstatus()).putLong(h.medeleg()).putLong(h.mideleg()).putLong(h.mie())
                .putLong(h.mipSoftware()).putLong(h.mtvec()).putLong(h.mepc()).putLong(h.mcause()).putLong(h.mtval())
                .putLong(h.mscratch()).putInt(h.mcounteren()).putInt(h.scounteren()).putInt(h.mcountinhibit())
                .putLong(h.menvcfg()).putLong(h.senvcfg()).putLong(h.stvec()).putLong(h.sepc()).putLong(h.scause())
                .putLong(h.stval()).putLong(h.sscratch()).putLong(h.satp()).putLong(h.mcycle()).putLong(h.minstret())
                .putInts(h.pmpCfg()).putLongs(h.pmpAddr()).putLong(h.reservation())
                .putBoolean(h.waitingForInterrupt()).putLong(h.retiredTotal());
        final Clint.State cl = s.clint();
        w.begin("CLNT").putLong(cl.mtime()).putLongs(cl.mtimecmp()).putBooleans(cl.msip());
        final Plic.State p = s.plic();
        w.begin("PLIC").putInts(p.priority()).putLongs(p.enable()).putInts(p.threshold()).putLongs(p.claimed());
        final Uart16550.State u = s.uart();
        w.begin("UART").putInt(u.ier()).putInt(u.lcr()).putInt(u.mcr()).putInt(u.scr()).putInt(u.dll())
                .putInt(u.dlm()).putBoolean(u.fifos()).putInt(u.trigger()).putInt(u.lsrErrors()).putInt(u.msrDeltas())
                .putBoolean(u.thrPending()).putBytes(u.rx()).putInt(u.lastRbr());
        w.begin("UATX").putBytes(u.tx()); // the UART's transmit FIFO: bytes a full host terminal had not taken
        final GoldfishRtc.State r = s.rtc();
        w.begin("RTC_").putLong(r.time()).putInt(r.timeHighLatch()).putLong(r.alarmNext()).putLong(r.alarm())
                .putBoolean(r.armed()).putBoolean(r.irqEnabled()).putBoolean(r.pending());
        w.begin("VMGI").putBytes(s.vmGenId().id()).putBoolean(s.vmGenId().pending());
        w.begin("VIRT").putInt(s.virtio().length);
        for (VirtioMmio.State v : s.virtio()) {
            w.putInt(v.deviceId()).putInt(v.deviceFeaturesSel()).putInt(v.driverFeaturesSel())
                    .putLong(v.driverFeatures()).putBoolean(v.driverFeaturesBeyond()).putLong(v.negotiated())
                    .putInt(v.queueSel()).putInt(v.status()).putInt(v.interruptStatus()).putInt(v.configGeneration())
                    .putInt(v.queues().length);
            for (Virtqueue.State q : v.queues()) {
                w.putInt(q.size()).putLong(q.descAddr()).putLong(q.availAddr()).putLong(q.usedAddr())
                        .putBoolean(q.ready()).putBoolean(q.resetDone()).putBoolean(q.eventIdx())
                        .putBoolean(q.indirect()).putInt(q.lastAvail()).putInt(q.usedIdx()).putInt(q.signalledUsed());
            }
            w.putBytes(v.device());
        }
        w.begin("DISK").putInt(s.disks().size());
        for (DiskIdentity d : s.disks()) {
            w.putString(d.path()).putBoolean(d.readOnly()).putLong(d.size()).putLong(d.modifiedNanos())
                    .putString(d.fileKey());
        }
        return w.toBytes();
    }

    private static String str(final Path p) {
        return p == null ? null : p.toString();
    }

    static MachineState decode(final byte[] state) throws SnapshotException {
        final StateReader r = StateReader.parse(state);
        final VirtConfig conf = config(r.section("CONF"));
        r.end();
        final VirtConfig config = conf.withNets(nets(r));
        r.section("BOOT");
        final byte[] rom = r.getBytes(BootRom.SIZE);
        final byte[] dtb = r.getBytes(MAX_DTB);
        final long dtbAddress = r.getLong();
        r.end();
        if (rom.length != BootRom.SIZE) {
            throw new SnapshotException("the boot ROM in the snapshot is " + rom.length + " bytes, not " + BootRom.SIZE);
        }
        final HartState hart = hart(r.section("HART"));
        r.end();
        r.section("CLNT");
        final Clint.State clint = new Clint.State(r.getLong(), r.getLongs(MAX_ARRAY), r.getBooleans(MAX_ARRAY));
        r.end();
        r.section("PLIC");
        final Plic.State plic = new Plic.State(r.getInts(MAX_ARRAY), r.getLongs(MAX_ARRAY), r.getInts(MAX_ARRAY),
                r.getLongs(MAX_ARRAY));
        r.end();
        r.section("UART");
        final int[] regs = {r.getInt(), r.getInt(), r.getInt(), r.getInt(), r.getInt(), r.getInt()};
        final boolean fifos = r.getBoolean();
        final int trigger = r.getInt();
        final int lsrErrors = r.getInt();
        final int msrDeltas = r.getInt();
        final boolean thrPending = r.getBoolean();
        final byte[] rx = r.getBytes(Uart16550.FIFO_SIZE);
        final int lastRbr = r.getInt();
        r.end();
        byte[] tx = new byte[0]; // snapshots from before the transmit FIFO existed have none
        if (r.has("UATX")) {
            r.section("UATX");
            tx = r.getBytes(Uart16550.FIFO_SIZE);
            r.end();
        }
        final Uart16550.State uart = new Uart16550.State(regs[0], regs[1], regs[2], regs[3], regs[4], regs[5], fifos,
                trigger, lsrErrors, msrDeltas, thrPending, rx, lastRbr, tx);
        r.section("RTC_");
        final GoldfishRtc.State rtc = new GoldfishRtc.State(r.getLong(), r.getInt(), r.getLong(), r.getLong(),
                r.getBoolean(), r.getBoolean(), r.getBoolean());
        r.end();
        r.section("VMGI");
        final VmGenId.State vmGenId = new VmGenId.State(r.getBytes(VmGenId.ID_BYTES), r.getBoolean());
        r.end();
        r.section("VIRT");
        final VirtioMmio.State[] virtio = new VirtioMmio.State[r.getCount(VirtDeviceTree.VIRTIO_MAX_SLOTS)];
        for (int i = 0; i < virtio.length; i++) {
            virtio[i] = virtio(r);
        }
        r.end();
        r.section("DISK");
        final List<DiskIdentity> disks = new ArrayList<>();
        for (int n = r.getCount(MAX_DISKS), i = 0; i < n; i++) {
            disks.add(new DiskIdentity(r.getString(MAX_PATH), r.getBoolean(), r.getLong(), r.getLong(),
                    r.getString(MAX_PATH)));
        }
        r.end();
        if (disks.size() != config.disks().size() || disks.stream().anyMatch(d -> d.path() == null)) {
            throw new SnapshotException("the snapshot identifies " + disks.size() + " disks for "
                    + config.disks().size() + " attached");
        }
        return new MachineState(config, rom, dtb, dtbAddress, hart, clint, plic, uart, rtc, vmGenId, virtio, disks);
    }

    /** The network cards, in {@code --net} syntax (section NETS, absent when there are none). */
    private static List<NetSpec> nets(final StateReader r) throws SnapshotException {
        final List<NetSpec> nets = new ArrayList<>();
        if (!r.has("NETS")) {
            return nets;
        }
        r.section("NETS");
        for (int n = r.getCount(MAX_NETS), i = 0; i < n; i++) {
            final String text = r.getString(MAX_APPEND);
            try {
                nets.add(NetSpec.parse(text == null ? "" : text));
            } catch (IllegalArgumentException e) {
                throw new SnapshotException("the snapshot's network card: " + e.getMessage());
            }
        }
        r.end();
        return nets;
    }

    private static VirtConfig config(final StateReader r) throws SnapshotException {
        final long ramSize = r.getLong();
        final String kernel = r.getString(MAX_PATH);
        final String initrd = r.getString(MAX_PATH);
        final String append = r.getString(MAX_APPEND);
        final String bios = r.getString(MAX_PATH);
        final boolean deterministic = r.getBoolean();
        final boolean rng = r.getBoolean();
        final List<DiskSpec> disks = new ArrayList<>();
        for (int n = r.getCount(MAX_DISKS), i = 0; i < n; i++) {
            final String p = r.getString(MAX_PATH);
            final boolean ro = r.getBoolean();
            disks.add(new DiskSpec(path(p, "disk"), ro));
        }
        if (kernel == null || append == null) {
            throw new SnapshotException("the snapshot's configuration names no kernel or command line");
        }
        try {
            MachineConfig.defaults().withRamSize(ramSize).validate();
        } catch (IllegalArgumentException e) {
            throw new SnapshotException("the snapshot's configuration: " + e.getMessage());
        }
        return new VirtConfig(ramSize, path(kernel, "kernel"), initrd == null ? null : path(initrd, "initrd"), append,
                bios == null ? null : path(bios, "firmware"), null, deterministic, disks, rng);
    }

    private static Path path(final String p, final String what) throws SnapshotException {
        if (p == null) {
            throw new SnapshotException("the snapshot's configuration has no path for a " + what);
        }
        try {
            return Path.of(p);
        } catch (InvalidPathException e) {
            throw new SnapshotException("the snapshot's configuration has a bad " + what + " path");
        }
    }

    private static HartState hart(final StateReader r) throws SnapshotException {
        return new HartState(r.getLongs(32), r.getLongs(32), r.getLong(), r.getInt(), r.getInt(), r.getInt(),
                r.getLong(), r.getLong(), r.getLong(), r.getLong(), r.getLong(),
                r.getLong(), r.getLong(), r.getLong(), r.getLong(), r.getLong(),
                r.getInt(), r.getInt(), r.getInt(), r.getLong(), r.getLong(),
                r.getLong(), r.getLong(), r.getLong(), r.getLong(), r.getLong(), r.getLong(),
                r.getLong(), r.getLong(), r.getInts(Pmp.ENTRIES), r.getLongs(Pmp.ENTRIES),
                r.getLong(), r.getBoolean(), r.getLong());
    }

    private static VirtioMmio.State virtio(final StateReader r) throws SnapshotException {
        final int deviceId = r.getInt();
        final int dfs = r.getInt();
        final int drfs = r.getInt();
        final long driverFeatures = r.getLong();
        final boolean beyond = r.getBoolean();
        final long negotiated = r.getLong();
        final int queueSel = r.getInt();
        final int status = r.getInt();
        final int interruptStatus = r.getInt();
        final int generation = r.getInt();
        final Virtqueue.State[] queues = new Virtqueue.State[r.getCount(MAX_QUEUES)];
        for (int q = 0; q < queues.length; q++) {
            queues[q] = new Virtqueue.State(r.getInt(), r.getLong(), r.getLong(), r.getLong(), r.getBoolean(),
                    r.getBoolean(), r.getBoolean(), r.getBoolean(), r.getInt(), r.getInt(), r.getInt());
        }
        final byte[] device = r.getBytes(MAX_DEVICE_STATE);
        return new VirtioMmio.State(deviceId, dfs, drfs, driverFeatures, beyond, negotiated, queueSel, status,
                interruptStatus, generation, queues, device);
    }
}
