/**
 * Paravirtual devices: virtio back ends for the guest's own drivers (OASIS virtio 1.2).
 *
 * <ul>
 * <li>{@link io.sublet.dev.virtio.VirtioMmio}: the virtio-mmio transport (version 2) of one board slot,
 *     a {@link io.sublet.mem.Device}; {@link io.sublet.dev.virtio.VirtioMmio#empty()} fills unused slots.
 * <li>{@link io.sublet.dev.virtio.Virtqueue}, {@link io.sublet.dev.virtio.DescriptorChain},
 *     {@link io.sublet.dev.virtio.SplitRing}: split virtqueues read in place in guest RAM, with indirect
 *     descriptors and EVENT_IDX.
 * <li>{@link io.sublet.dev.virtio.GuestMemory}: checked device access to guest RAM (DMA).
 * <li>Devices, each a {@link io.sublet.dev.virtio.VirtioDevice}: {@link io.sublet.dev.virtio.VirtioBlk}
 *     over a {@link io.sublet.dev.virtio.BlockBackend}, {@link io.sublet.dev.virtio.VirtioConsole},
 *     {@link io.sublet.dev.virtio.VirtioRng}, {@link io.sublet.dev.virtio.VirtioNet} over an
 *     {@link io.sublet.net.NetBackend}.
 * </ul>
 *
 * Wiring a slot: {@code bus.map(base, VirtioMmio.SIZE, new VirtioMmio(new VirtioBlk(disk), mem,
 * plic.source(irq)), name)}, with one {@code new GuestMemory(ram, codeCache::invalidate)} shared by all
 * slots, and {@code update()} on every transport between execution slices.
 *
 * <p>The guest is an adversary: nothing it writes to registers or rings makes these classes throw at
 * the host (except the bus's access fault for a wrong register width). A malformed ring puts that one
 * device into NEEDS_RESET with a reason ({@link io.sublet.dev.virtio.VirtioMmio#lastError()}); a bad
 * request whose protocol has an error status (virtio-blk) is answered with it.
 */
package io.sublet.dev.virtio;
