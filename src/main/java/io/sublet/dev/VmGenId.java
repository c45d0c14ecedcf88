package io.sublet.dev;

import io.sublet.mem.Device;

/**
 * The virtual machine generation ID (Microsoft's vmgenid, devicetree compatible {@code "microsoft,vmgenid"}, which
 * Linux's {@code drivers/virt/vmgenid.c} drives): 16 bytes that change whenever the machine is restored from a
 * snapshot or cloned, and an interrupt that says so. Linux then mixes the new ID into its random number generator
 * ({@code add_vmfork_randomness}), so two copies of one snapshot do not go on producing the same "random" numbers.
 *
 * <pre>
 *  offset  size  access  register
 *  0x00    16    R       the generation ID, little-endian bytes; any width (1, 2, 4, 8); reading it ends the
 *                        interrupt (the driver reads it in its handler)
 *  0x10+         R       0; writes are ignored everywhere
 * </pre>
 *
 * The interrupt is a level held from {@link #newGeneration} until the guest next reads the ID (the PLIC is
 * level-triggered and the device has no acknowledge register). Register side serialised by this object's monitor.
 */
public final class VmGenId implements Device {
    public static final long SIZE = 0x1000;
    public static final int ID_BYTES = 16;
    public static final String[] COMPATIBLE = {"microsoft,vmgenid"};

    private final IrqLine irq;
    private final byte[] id = new byte[ID_BYTES];
    private boolean pending;
    private long generations;

    /** Saved state: the ID, and whether the guest has yet to read a new one. */
    public record State(byte[] id, boolean pending) { }

    public VmGenId(final byte[] initial, final IrqLine irq) {
        if (initial.length != ID_BYTES) {
            throw new IllegalArgumentException("a generation ID has " + ID_BYTES + " bytes, got " + initial.length);
        }
        System.arraycopy(initial, 0, id, 0, ID_BYTES);
        this.irq = irq;
    }

    @Override
    public synchronized long load(final long offset, final int size) {
        if (offset < 0 || offset + size > ID_BYTES) {
            return 0;
        }
        long v = 0;
        for (int i = size - 1; i >= 0; i--) {
            v = (v << 8) | (id[(int) offset + i] & 0xff);
        }
        if (pending) {
            pending = false;
            irq.set(false);
        }
        return v;
    }

    @Override
    public void store(final long offset, final int size, final long value) {
        // read-only
    }

    /** A new generation: the machine was restored or cloned. Raises the interrupt until the guest reads the ID. */
    public synchronized void newGeneration(final byte[] next) {
        if (next.length != ID_BYTES) {
            throw new IllegalArgumentException("a generation ID has " + ID_BYTES + " bytes, got " + next.length);
        }
        System.arraycopy(next, 0, id, 0, ID_BYTES);
        generations++;
        pending = true;
        irq.set(true);
    }

    public synchronized byte[] id() {
        return id.clone();
    }

    /** Generations since this device was made (restores and clones). */
    public synchronized long generations() {
        return generations;
    }

    public synchronized State save() {
        return new State(id.clone(), pending);
    }

    public synchronized void restore(final State s) {
        if (s.id().length != ID_BYTES) {
            throw new IllegalArgumentException("vmgenid state has " + s.id().length + " bytes, not " + ID_BYTES);
        }
        System.arraycopy(s.id(), 0, id, 0, ID_BYTES);
        pending = s.pending();
        irq.set(pending);
    }
}
