package io.sublet.machine;

import io.sublet.cpu.HartState;
import io.sublet.dev.Clint;
import io.sublet.dev.GoldfishRtc;
import io.sublet.dev.Plic;
import io.sublet.dev.Uart16550;
import io.sublet.dev.VmGenId;
import io.sublet.dev.virtio.VirtioMmio;
import java.util.List;

/**
 * A whole virt machine at one instruction boundary, without its RAM: what it was built from, the boot
 * ROM and device tree it booted with, the hart, every device and every virtio slot, and the identity of
 * each disk. RAM travels beside it in the snapshot's memory section. Nothing derived is kept (TLBs,
 * decoded instructions, host queues of console input that the guest had not yet received).
 */
record MachineState(VirtConfig config, byte[] rom, byte[] dtb, long dtbAddress, HartState hart, Clint.State clint,
                    Plic.State plic, Uart16550.State uart, GoldfishRtc.State rtc, VmGenId.State vmGenId,
                    VirtioMmio.State[] virtio, List<DiskIdentity> disks) {
}
