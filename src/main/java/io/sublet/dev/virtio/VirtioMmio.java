package io.sublet.dev.virtio;

import io.sublet.dev.IrqLine;
import io.sublet.mem.BusFault;
import io.sublet.mem.Device;

/**
 * The virtio-mmio transport, version 2 (virtio 1.2 §4.2; modern devices only), in one 4 KiB slot of
 * the board, with one {@link VirtioDevice} behind it and one level interrupt.
 *
 * <pre>
 *  off    dir  register             off    dir  register
 *  0x000  R    MagicValue "virt"    0x060  R    InterruptStatus  bit 0 used buffer, bit 1 config change
 *  0x004  R    Version = 2          0x064  W    InterruptACK     clears the bits written
 *  0x008  R    DeviceID             0x070  RW   Status           0 resets; see {@link Virtio} for bits
 *  0x00c  R    VendorID "SUBL"      0x080  W    QueueDescLow     0x084 QueueDescHigh
 *  0x010  R    DeviceFeatures       0x090  W    QueueDriverLow   0x094 QueueDriverHigh  (available ring)
 *  0x014  W    DeviceFeaturesSel    0x0a0  W    QueueDeviceLow   0x0a4 QueueDeviceHigh  (used ring)
 *  0x020  W    DriverFeatures       0x0ac  W    SHMSel
 *  0x024  W    DriverFeaturesSel    0x0b0  R    SHMLenLow/High   -1: no shared memory regions
 *  0x030  W    QueueSel             0x0b8  R    SHMBaseLow/High  -1
 *  0x034  R    QueueSizeMax         0x0c0  RW   QueueReset       VIRTIO_F_RING_RESET
 *  0x038  W    QueueSize            0x0fc  R    ConfigGeneration
 *  0x044  RW   QueueReady           0x100+ RW   device configuration space, any width
 *  0x050  W    QueueNotify          (other offsets read 0, ignore writes)
 * </pre>
 *
 * Registers below 0x100 are 32 bits wide; other access widths fault, as the PLIC's do. Write-only
 * registers read 0. The device offers its own features plus VERSION_1, INDIRECT_DESC, EVENT_IDX and
 * RING_RESET. FEATURES_OK sticks only when the driver accepted VERSION_1 and nothing that was not
 * offered; status bits are otherwise sticky until a reset (the driver may not clear them), and only the
 * device sets NEEDS_RESET. The device consumes buffers only while live: DRIVER_OK and FEATURES_OK set,
 * NEEDS_RESET and FAILED clear. A driver may not change a queue while QueueReady is 1; such writes are
 * ignored. Enabling a queue checks its size (a power of 2 up to QueueSizeMax) and its three areas
 * (aligned, inside RAM); a bad one leaves QueueReady 0 and puts the device into NEEDS_RESET.
 *
 * <p>Notifications are handled synchronously: a QueueNotify store returns after the device has used
 * every buffer it could. The interrupt level is {@code InterruptStatus != 0}. When the device needs a
 * reset after DRIVER_OK it raises a configuration change, as §2.1.2 requires. Whatever the guest does,
 * nothing is thrown at the caller but {@link BusFault} for a wrong access width: guest errors, and any
 * exception from the device, end in NEEDS_RESET with the reason kept in {@link #lastError()}.
 *
 * <p>A transport built by {@link #empty()} is a placeholder (DeviceID 0) for a slot listed in the
 * device tree with nothing behind it: Linux reads MagicValue, Version and DeviceID and leaves it alone.
 *
 * <p>Thread safety: register accesses, {@link #update()} and the device's hooks are serialised by this
 * object's monitor; the interrupt line is driven with it held.
 */
public final class VirtioMmio implements Device {
    public static final long SIZE = 0x1000;
    public static final int MAGIC = 0x7472_6976;
    public static final int VERSION = 2;
    /** "SUBL" in memory order, as QEMU's 0x554d4551 reads "QEMU". */
    public static final int VENDOR_ID = 0x4c42_5553;

    public static final int MAGIC_VALUE = 0x000;
    public static final int VERSION_REG = 0x004;
    public static final int DEVICE_ID = 0x008;
    public static final int VENDOR_ID_REG = 0x00c;
    public static final int DEVICE_FEATURES = 0x010;
    public static final int DEVICE_FEATURES_SEL = 0x014;
    public static final int DRIVER_FEATURES = 0x020;
    public static final int DRIVER_FEATURES_SEL = 0x024;
    public static final int QUEUE_SEL = 0x030;
    public static final int QUEUE_SIZE_MAX = 0x034;
    public static final int QUEUE_SIZE = 0x038;
    public static final int QUEUE_READY = 0x044;
    public static final int QUEUE_NOTIFY = 0x050;
    public static final int INTERRUPT_STATUS = 0x060;
    public static final int INTERRUPT_ACK = 0x064;
    public static final int STATUS = 0x070;
    public static final int QUEUE_DESC_LOW = 0x080;
    public static final int QUEUE_DESC_HIGH = 0x084;
    public static final int QUEUE_DRIVER_LOW = 0x090;
    public static final int QUEUE_DRIVER_HIGH = 0x094;
    public static final int QUEUE_DEVICE_LOW = 0x0a0;
    public static final int QUEUE_DEVICE_HIGH = 0x0a4;
    public static final int SHM_SEL = 0x0ac;
    public static final int SHM_LEN_LOW = 0x0b0;
    public static final int SHM_LEN_HIGH = 0x0b4;
    public static final int SHM_BASE_LOW = 0x0b8;
    public static final int SHM_BASE_HIGH = 0x0bc;
    public static final int QUEUE_RESET = 0x0c0;
    public static final int CONFIG_GENERATION = 0x0fc;
    public static final int CONFIG = 0x100;

    /** Features every device on this transport offers. */
    public static final long TRANSPORT_FEATURES = Virtio.F_VERSION_1 | Virtio.F_INDIRECT_DESC | Virtio.F_EVENT_IDX
            | Virtio.F_RING_RESET;

    private final VirtioDevice device;
    private final IrqLine irq;
    private final Virtqueue[] queues;
    private final long offered;
    private final boolean placeholder;

    // Register state, guarded by this.
    private int deviceFeaturesSel;
    private int driverFeaturesSel;
    private long driverFeatures;
    /** The driver set feature bits above 63, which no device offers. */
    private boolean driverFeaturesBeyond;
    private long negotiated;
    private int queueSel;
    private int status;
    private int interruptStatus;
    private int configGeneration;
    private boolean irqLevel;

    // Counters and diagnosis, guarded by this.
    private long resets;
    private long deviceErrors;
    private long refusedFeatures;
    private long notifies;
    private String lastError;

    /**
     * @param device the back end; attached to this transport for good
     * @param mem    guest RAM as the device's queues reach it
     * @param irq    the slot's interrupt (a PLIC source)
     */
    public VirtioMmio(final VirtioDevice device, final GuestMemory mem, final IrqLine irq) {
        this(device, mem, irq, false);
    }

    private VirtioMmio(final VirtioDevice device, final GuestMemory mem, final IrqLine irq, final boolean placeholder) {
        this.device = device;
        this.irq = irq;
        this.placeholder = placeholder;
        this.offered = placeholder ? 0 : device.deviceFeatures() | TRANSPORT_FEATURES;
        device.attach(this);
        this.queues = new Virtqueue[device.queueCount()];
        for (int q = 0; q < queues.length; q++) {
            queues[q] = new Virtqueue(this, mem, q, device.queueMaxSize(q));
        }
    }

    /** A slot with no device (DeviceID 0). */
    public static VirtioMmio empty() {
        return new VirtioMmio(new Placeholder(), null, IrqLine.NONE, true);
    }

    /** The device behind an empty slot: no queues, no features, no configuration. */
    private static final class Placeholder extends VirtioDevice {
        Placeholder() {
            super(Virtio.ID_NONE, new int[0], 0);
        }

        @Override
        protected long deviceFeatures() {
            return 0;
        }

        @Override
        protected void onNotify(final int queue) {
        }
    }

    public VirtioDevice device() {
        return device;
    }

    // ---- register side (hart threads) ----

    @Override
    public synchronized long load(final long offset, final int size) {
        if (offset >= CONFIG) {
            return placeholder ? 0 : readConfig((int) offset - CONFIG, size);
        }
        if (size != 4) {
            throw BusFault.INSTANCE;
        }
        final int off = (int) offset;
        switch (off) {
            case MAGIC_VALUE:
                return MAGIC;
            case VERSION_REG:
                return VERSION;
            case DEVICE_ID:
                return device.deviceId();
            case VENDOR_ID_REG:
                return VENDOR_ID;
            default:
                break;
        }
        if (placeholder) {
            return 0;
        }
        final Virtqueue q = selected();
        switch (off) {
            case DEVICE_FEATURES:
                return deviceFeaturesSel == 0 ? offered & 0xffff_ffffL : deviceFeaturesSel == 1 ? offered >>> 32 : 0;
            case QUEUE_SIZE_MAX:
                return q == null ? 0 : q.maxSize();
            case QUEUE_READY:
                return q != null && q.ready() ? 1 : 0;
            case QUEUE_RESET:
                return q != null && q.resetDone() ? 1 : 0;
            case INTERRUPT_STATUS:
                return interruptStatus;
            case STATUS:
                return status;
            case SHM_LEN_LOW:
            case SHM_LEN_HIGH:
            case SHM_BASE_LOW:
            case SHM_BASE_HIGH:
                return 0xffff_ffffL; // no shared memory regions: length and base -1
            case CONFIG_GENERATION:
                return configGeneration & 0xffff_ffffL;
            default:
                return 0; // write-only and unassigned registers
        }
    }

    @Override
    public synchronized void store(final long offset, final int size, final long value) {
        if (offset >= CONFIG) {
            if (!placeholder) {
                writeConfig((int) offset - CONFIG, size, value);
            }
            return;
        }
        if (size != 4) {
            throw BusFault.INSTANCE;
        }
        if (placeholder) {
            return;
        }
        final long v = value & 0xffff_ffffL;
        final Virtqueue q = selected();
        final boolean configurable = q != null && !q.ready();
        switch ((int) offset) {
            case DEVICE_FEATURES_SEL:
                deviceFeaturesSel = (int) v;
                break;
            case DRIVER_FEATURES_SEL:
                driverFeaturesSel = (int) v;
                break;
            case DRIVER_FEATURES:
                writeDriverFeatures(v);
                break;
            case QUEUE_SEL:
                queueSel = (int) v;
                break;
            case QUEUE_SIZE:
                if (configurable) {
                    q.setSize((int) Math.min(v, Integer.MAX_VALUE));
                }
                break;
            case QUEUE_READY:
                writeQueueReady(q, v);
                break;
            case QUEUE_RESET:
                if (q != null && v == 1 && (negotiated & Virtio.F_RING_RESET) != 0) {
                    q.resetQueue();
                }
                break;
            case QUEUE_NOTIFY:
                notifyQueue((int) (v & 0xffff));
                break;
            case INTERRUPT_ACK:
                interruptStatus &= ~(int) v;
                updateIrq();
                break;
            case STATUS:
                writeStatus((int) v & 0xff);
                break;
            case QUEUE_DESC_LOW:
                if (configurable) {
                    q.setDescLow(v);
                }
                break;
            case QUEUE_DESC_HIGH:
                if (configurable) {
                    q.setDescHigh(v);
                }
                break;
            case QUEUE_DRIVER_LOW:
                if (configurable) {
                    q.setAvailLow(v);
                }
                break;
            case QUEUE_DRIVER_HIGH:
                if (configurable) {
                    q.setAvailHigh(v);
                }
                break;
            case QUEUE_DEVICE_LOW:
                if (configurable) {
                    q.setUsedLow(v);
                }
                break;
            case QUEUE_DEVICE_HIGH:
                if (configurable) {
                    q.setUsedHigh(v);
                }
                break;
            default:
                break; // read-only and unassigned registers, SHMSel (there are no regions)
        }
    }

    private Virtqueue selected() {
        return queueSel >= 0 && queueSel < queues.length ? queues[queueSel] : null;
    }

    private void writeDriverFeatures(final long v) {
        if ((status & Virtio.STATUS_FEATURES_OK) != 0) {
            return; // negotiation is over until the next reset
        }
        if (driverFeaturesSel == 0) {
            driverFeatures = (driverFeatures & 0xffff_ffff_0000_0000L) | v;
        } else if (driverFeaturesSel == 1) {
            driverFeatures = (driverFeatures & 0xffff_ffffL) | (v << 32);
        } else if (v != 0) {
            driverFeaturesBeyond = true;
        }
    }

    private void writeQueueReady(final Virtqueue q, final long v) {
        if (q == null) {
            return;
        }
        if (v == 0) {
            q.disable();
            return;
        }
        if (v != 1 || q.ready()) {
            return;
        }
        if ((status & Virtio.STATUS_FEATURES_OK) == 0) {
            deviceError("queue " + q.index() + " enabled before FEATURES_OK");
            return;
        }
        final String bad = q.enable(negotiated);
        if (bad != null) {
            deviceError(bad);
        } else if (live()) {
            guardedNotify(q.index()); // re-enabled after a queue reset: buffers may be waiting
            flushInterrupts();
        }
    }

    private void writeStatus(final int v) {
        if (v == 0) {
            reset();
            return;
        }
        final int before = status;
        int s = before | (v & ~(Virtio.STATUS_NEEDS_RESET | Virtio.STATUS_FEATURES_OK));
        if ((v & Virtio.STATUS_FEATURES_OK) != 0 && (before & Virtio.STATUS_FEATURES_OK) == 0) {
            if (featuresAcceptable()) {
                negotiated = driverFeatures;
                s |= Virtio.STATUS_FEATURES_OK;
            } else {
                refusedFeatures++;
            }
        }
        status = s;
        if ((s & Virtio.STATUS_DRIVER_OK) != 0 && (before & Virtio.STATUS_DRIVER_OK) == 0) {
            if ((s & Virtio.STATUS_NEEDS_RESET) != 0) {
                interruptStatus |= Virtio.INT_CONFIG_CHANGE; // the error came first: tell the driver now
                updateIrq();
            } else if ((s & Virtio.STATUS_FEATURES_OK) == 0) {
                deviceError("DRIVER_OK without FEATURES_OK");
            } else if (live()) {
                try {
                    device.onDriverOk();
                } catch (GuestMemory.OutOfRange e) {
                    deviceError("guest address outside RAM");
                } catch (RuntimeException e) {
                    deviceError("device failure: " + e);
                }
                flushInterrupts();
            }
        }
    }

    private boolean featuresAcceptable() {
        if (driverFeaturesBeyond || (driverFeatures & ~offered) != 0 || (driverFeatures & Virtio.F_VERSION_1) == 0) {
            return false;
        }
        try {
            return device.acceptFeatures(driverFeatures);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Status 0: everything the driver set up is forgotten; counters and the last error stay. */
    private void reset() {
        status = 0;
        deviceFeaturesSel = 0;
        driverFeaturesSel = 0;
        driverFeatures = 0;
        driverFeaturesBeyond = false;
        negotiated = 0;
        queueSel = 0;
        for (Virtqueue q : queues) {
            q.reset();
        }
        interruptStatus = 0;
        updateIrq();
        resets++;
        try {
            device.onReset();
        } catch (RuntimeException e) {
            lastError = "device failure on reset: " + e;
        }
    }

    private void notifyQueue(final int index) {
        notifies++;
        if (index >= queues.length || !queues[index].ready() || !live()) {
            return; // spurious, or before DRIVER_OK: DRIVER_OK looks at every queue anyway
        }
        guardedNotify(index);
        flushInterrupts();
    }

    private void guardedNotify(final int index) {
        try {
            device.onNotify(index);
        } catch (GuestMemory.OutOfRange e) {
            deviceError("guest address outside RAM");
        } catch (RuntimeException e) {
            deviceError("device failure: " + e);
        }
    }

    private long readConfig(final int offset, final int size) {
        try {
            return device.readConfig(offset, size);
        } catch (RuntimeException e) {
            deviceError("device failure reading config: " + e);
            return 0;
        }
    }

    private void writeConfig(final int offset, final int size, final long value) {
        try {
            device.writeConfig(offset, size, value);
        } catch (RuntimeException e) {
            deviceError("device failure writing config: " + e);
        }
        flushInterrupts();
    }

    /** Sets InterruptStatus bit 0 for every queue whose driver wants to hear about its new used buffers. */
    private void flushInterrupts() {
        for (Virtqueue q : queues) {
            try {
                if (q.needsNotification()) {
                    interruptStatus |= Virtio.INT_USED_BUFFER;
                }
            } catch (RuntimeException e) {
                deviceError("queue " + q.index() + ": used_event unreadable: " + e.getMessage());
            }
        }
        updateIrq();
    }

    private void updateIrq() {
        final boolean level = interruptStatus != 0;
        if (level != irqLevel) {
            irqLevel = level;
            irq.set(level);
        }
    }

    // ---- machine side ----

    /**
     * Lets the device do work that does not come from a notification (host input for the console);
     * the machine calls it between execution slices, on a hart thread. Returns the device's work count.
     */
    public synchronized int update() {
        if (placeholder || !live()) {
            return 0;
        }
        int work = 0;
        try {
            work = device.onUpdate();
        } catch (GuestMemory.OutOfRange e) {
            deviceError("guest address outside RAM");
        } catch (RuntimeException e) {
            deviceError("device failure: " + e);
        }
        flushInterrupts();
        return work;
    }

    // ---- services for the device and its queues (lock held) ----

    boolean live() {
        return (status & (Virtio.STATUS_DRIVER_OK | Virtio.STATUS_FEATURES_OK))
                == (Virtio.STATUS_DRIVER_OK | Virtio.STATUS_FEATURES_OK)
                && (status & (Virtio.STATUS_NEEDS_RESET | Virtio.STATUS_FAILED)) == 0;
    }

    long negotiatedFeatures() {
        return negotiated;
    }

    Virtqueue queue(final int index) {
        return queues[index];
    }

    /** The device cannot go on: NEEDS_RESET, and a configuration change once the driver is up (§2.1.2). */
    void deviceError(final String reason) {
        if ((status & Virtio.STATUS_NEEDS_RESET) != 0) {
            return;
        }
        status |= Virtio.STATUS_NEEDS_RESET;
        deviceErrors++;
        lastError = reason;
        if ((status & Virtio.STATUS_DRIVER_OK) != 0) {
            interruptStatus |= Virtio.INT_CONFIG_CHANGE;
            updateIrq();
        }
    }

    void configChanged() {
        configGeneration++;
        if ((status & Virtio.STATUS_DRIVER_OK) != 0) {
            interruptStatus |= Virtio.INT_CONFIG_CHANGE;
            updateIrq();
        }
    }

    // ---- observation (any thread) ----

    public synchronized int status() {
        return status;
    }

    public synchronized boolean needsReset() {
        return (status & Virtio.STATUS_NEEDS_RESET) != 0;
    }

    /** Why the device last went into NEEDS_RESET, or null; kept across resets for the VMM to report. */
    public synchronized String lastError() {
        return lastError;
    }

    /** Times the device went into NEEDS_RESET. */
    public synchronized long deviceErrors() {
        return deviceErrors;
    }

    /** Driver resets (status 0 written). */
    public synchronized long resets() {
        return resets;
    }

    /** FEATURES_OK refused: the driver accepted features not offered, or not VERSION_1. */
    public synchronized long refusedFeatures() {
        return refusedFeatures;
    }

    /** QueueNotify writes. */
    public synchronized long notifies() {
        return notifies;
    }

    public synchronized long negotiated() {
        return negotiated;
    }

    public synchronized int interruptStatus() {
        return interruptStatus;
    }

    // ---- snapshots (machine side, with the guest paused) ----

    /**
     * What a snapshot keeps of a slot: the transport's registers, each queue, and the device's own state
     * ({@link VirtioDevice#saveState}). Counters and the last error are diagnosis, not state.
     */
    public record State(int deviceId, int deviceFeaturesSel, int driverFeaturesSel, long driverFeatures,
                        boolean driverFeaturesBeyond, long negotiated, int queueSel, int status, int interruptStatus,
                        int configGeneration, Virtqueue.State[] queues, byte[] device) { }

    public synchronized State save() {
        final Virtqueue.State[] qs = new Virtqueue.State[queues.length];
        for (int q = 0; q < qs.length; q++) {
            qs[q] = queues[q].save();
        }
        return new State(device.deviceId(), deviceFeaturesSel, driverFeaturesSel, driverFeatures,
                driverFeaturesBeyond, negotiated, queueSel, status, interruptStatus, configGeneration, qs,
                placeholder ? new byte[0] : device.saveState());
    }

    /**
     * Takes saved state after checking it as strictly as guest input: the same device type and queues,
     * features that were offered, rings inside RAM. IllegalArgumentException names the problem; the
     * transport is then reset (as a driver's status 0 would), never left half-restored.
     */
    public synchronized void restore(final State s) {
        if (s.deviceId() != device.deviceId() || s.queues().length != queues.length) {
            throw new IllegalArgumentException("virtio state is for device id " + s.deviceId() + " with "
                    + s.queues().length + " queues, this slot holds device id " + device.deviceId() + " with "
                    + queues.length);
        }
        final boolean featuresOk = (s.status() & Virtio.STATUS_FEATURES_OK) != 0;
        if ((s.negotiated() & ~offered) != 0 || (featuresOk ? (s.negotiated() & Virtio.F_VERSION_1) == 0
                : s.negotiated() != 0)) {
            throw new IllegalArgumentException("virtio state negotiated features that were not offered");
        }
        if ((s.status() & ~0xff) != 0 || (s.interruptStatus() & ~(Virtio.INT_USED_BUFFER | Virtio.INT_CONFIG_CHANGE)) != 0) {
            throw new IllegalArgumentException("virtio state has status or interrupt bits beyond their registers");
        }
        deviceFeaturesSel = s.deviceFeaturesSel();
        driverFeaturesSel = s.driverFeaturesSel();
        driverFeatures = s.driverFeatures();
        driverFeaturesBeyond = s.driverFeaturesBeyond();
        negotiated = s.negotiated();
        queueSel = s.queueSel();
        status = s.status();
        interruptStatus = s.interruptStatus();
        configGeneration = s.configGeneration();
        String bad = null;
        for (int q = 0; q < queues.length && bad == null; q++) {
            bad = queues[q].restore(s.queues()[q], negotiated);
        }
        if (bad == null && !placeholder) {
            try {
                device.restoreState(s.device());
            } catch (RuntimeException e) {
                bad = e.getMessage();
            }
        }
        if (bad != null) {
            reset();
            throw new IllegalArgumentException("virtio state: " + bad);
        }
        irqLevel = interruptStatus != 0;
        irq.set(irqLevel);
    }
}
