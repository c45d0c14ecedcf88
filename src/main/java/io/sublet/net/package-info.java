/**
 * Host network backends for a VM's network card: where the guest's Ethernet frames go and where the
 * frames for the guest come from. Nothing here knows virtio or guests; a NIC model (virtio-net) sees one
 * {@link io.sublet.net.NetBackend} and moves frames between it and the guest.
 *
 * <ul>
 * <li>{@link io.sublet.net.FrameQueue}: the bounded single-producer, single-consumer ring of frame
 *     buffers between a backend's threads and the hart thread; no allocation per frame.
 * <li>{@link io.sublet.net.StreamLink}: frames over a byte stream in QEMU's stream protocol (4-byte
 *     big-endian length, then the frame), with a reader and a writer thread.
 * <li>{@link io.sublet.net.PasstBackend}: user-mode networking through Debian's {@code passt}, a child
 *     process per NIC spoken to over a UNIX socket; {@link io.sublet.net.HostForward} its port forwards.
 * <li>{@link io.sublet.net.StreamBackend}: QEMU's {@code -netdev stream} (client or server, TCP or UNIX).
 * <li>{@link io.sublet.net.VirtualSwitch}: an L2 learning switch between NICs in one process, with
 *     per-port token-bucket rate limits and counters; {@link io.sublet.net.SwitchNetworks} names them.
 * <li>{@link io.sublet.net.NetSpec}: a {@code --net} option, parsed and opened into a backend.
 * </ul>
 */
package io.sublet.net;
